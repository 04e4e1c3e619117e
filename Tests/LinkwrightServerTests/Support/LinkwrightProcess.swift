import Foundation
import LinkwrightStore
import LinkwrightTestSupport
#if canImport(Glibc)
    import Glibc
#endif

/// The real `linkwright` binary in its own process, for what only separate processes prove
/// (a crash, limits and events shared through Redis).
enum LinkwrightProcess {
    static func launch(
        _ arguments: [String], endpoint: DatabaseEndpoint, dataDir: URL, log: URL,
        environment extra: [String: String] = [:]
    ) throws -> Process {
        let binary = TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/linkwright")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw TestDatabase.SQLFailed(description: "\(binary.path) is missing: build it (ops/test does) before this test")
        }
        let process = Process()
        process.executableURL = binary
        // Every role listens (a worker for its metrics): a free port unless the test chose one.
        let port = arguments.contains("--port") ? [] : ["--port", String(RedisServer.freePort())]
        process.arguments = arguments + port + ["--migrations-dir", TestDatabase.repositoryRoot.appendingPathComponent("migrations").path]
        var environment = ProcessInfo.processInfo.environment
        environment["LINKWRIGHT_DATABASE_URL"] = "postgres://\(endpoint.username)@\(endpoint.tcpHost):\(endpoint.tcpPort)/\(endpoint.database)"
        environment["LINKWRIGHT_DATA_DIR"] = dataDir.path
        environment.merge(extra) { $1 }
        process.environment = environment
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Waits until the process's log shows `line` (e.g. "working", "serving").
    static func waitForLog(_ log: URL, _ line: String, timeout: Duration = .seconds(60)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? String(contentsOf: log, encoding: .utf8))?.contains(line) == true { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    static func stop(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
