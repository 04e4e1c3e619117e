// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "linkwright",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "linkwright", targets: ["linkwright"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CArgon2", pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "CGumbo", pkgConfig: "gumbo", providers: [.apt(["libgumbo-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "LinkwrightCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LinkwrightStore",
            dependencies: [
                "LinkwrightCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LinkwrightEngines",
            dependencies: [
                "LinkwrightCore",
                "CGumbo",
                "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LinkwrightCoordination",
            dependencies: [
                "CHiredis", "LinkwrightEngines", "LinkwrightCore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The worker runtime, completions, doorbell, scheduler and task metrics: everything that
        // runs tasks, with no HTTP layer, so `serve --role worker` links no Hummingbird.
        .target(
            name: "LinkwrightWorkers",
            dependencies: [
                "LinkwrightCore", "LinkwrightStore", "LinkwrightEngines", "LinkwrightCoordination",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LinkwrightServer",
            dependencies: [
                "CArgon2",
                "LinkwrightCore",
                "LinkwrightStore",
                "LinkwrightEngines",
                "LinkwrightCoordination",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.embedInCode("OpenAPI/openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "linkwright",
            dependencies: [
                "LinkwrightServer",
                "LinkwrightWorkers",
                "LinkwrightStore",
                "LinkwrightCore",
                "LinkwrightEngines",
                "LinkwrightCoordination",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The queue benchmark's driver (ops/bench/queue.sh); not shipped, kept beside its script.
        .executableTarget(
            name: "linkwright-queue-bench",
            dependencies: [
                "LinkwrightWorkers", "LinkwrightStore", "LinkwrightCore", "LinkwrightEngines",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "ops/bench/queue",
            swiftSettings: swiftSettings
        ),
        // The content pipeline's benchmark driver (ops/bench/content.sh); not shipped.
        .executableTarget(
            name: "linkwright-content-bench",
            dependencies: [
                "LinkwrightWorkers", "LinkwrightStore", "LinkwrightCore", "LinkwrightEngines",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "ops/bench/content",
            swiftSettings: swiftSettings
        ),
        // The publishing benchmark's driver (ops/bench/publish.sh); not shipped.
        .executableTarget(
            name: "linkwright-publish-bench",
            dependencies: [
                "LinkwrightCore", "LinkwrightEngines", "LinkwrightCoordination",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "ops/bench/publish",
            swiftSettings: swiftSettings
        ),
        // The prospecting crawl benchmark's driver (ops/bench/prospect.sh); not shipped.
        .executableTarget(
            name: "linkwright-prospect-bench",
            dependencies: [
                "LinkwrightWorkers", "LinkwrightStore", "LinkwrightCore", "LinkwrightEngines", "LinkwrightTestSupport", "LinkwrightServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "ops/bench/prospect",
            swiftSettings: swiftSettings
        ),
        // The verification benchmark's driver (ops/bench/verify.sh); not shipped.
        .executableTarget(
            name: "linkwright-verify-bench",
            dependencies: [
                "LinkwrightEngines", "LinkwrightCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "ops/bench/verify",
            swiftSettings: swiftSettings
        ),
        // The API rate-limit benchmark's driver (ops/bench/api.sh); not shipped.
        .executableTarget(
            name: "linkwright-api-bench",
            dependencies: [
                "LinkwrightServer", "LinkwrightStore", "LinkwrightCoordination",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "ops/bench/api",
            swiftSettings: swiftSettings
        ),
        // A worker process the prospecting crash test kills (Tests/LinkwrightProspectWorker); not shipped.
        .executableTarget(
            name: "linkwright-prospect-worker",
            dependencies: [
                "LinkwrightWorkers", "LinkwrightStore", "LinkwrightEngines", "LinkwrightCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/LinkwrightProspectWorker",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LinkwrightTestSupport",
            dependencies: [
                "LinkwrightStore", "LinkwrightEngines", "LinkwrightCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/LinkwrightTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LinkwrightCoreTests",
            dependencies: ["LinkwrightCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LinkwrightEnginesTests",
            dependencies: [
                "LinkwrightEngines", "LinkwrightCore", "LinkwrightTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LinkwrightCoordinationTests",
            dependencies: [
                "LinkwrightCoordination", "LinkwrightEngines", "LinkwrightTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LinkwrightStoreTests",
            dependencies: [
                "LinkwrightStore", "LinkwrightCore", "LinkwrightTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LinkwrightServerTests",
            dependencies: [
                "LinkwrightServer", "LinkwrightWorkers", "LinkwrightStore", "LinkwrightCore", "LinkwrightEngines", "LinkwrightTestSupport",
                "LinkwrightCoordination",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
