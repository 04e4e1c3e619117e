import Foundation
import HTTPTypes
import LinkwrightStore
import LinkwrightTestSupport
import Testing

/// The `linkwright job` and `linkwright system` commands driven as a person and a script would:
/// the real binary as a subprocess, talking to a running server with an API key.
/// Part of `ProspectingTests`, which runs one test at a time (subprocesses and a whole application
/// each).
extension ProspectingTests {
    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs the binary with `LINKWRIGHT_URL` and `LINKWRIGHT_API_KEY` set (off the test's thread:
    /// it waits for the process).
    static func cli(_ arguments: [String], port: Int?, key: String?, directory: URL) async throws -> Run {
        let binary = TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/linkwright")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw TestDatabase.SQLFailed(description: "\(binary.path) is missing: build it (ops/test does) before this test")
        }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    let process = Process()
                    process.executableURL = binary
                    process.arguments = arguments
                    process.currentDirectoryURL = directory
                    var environment = ProcessInfo.processInfo.environment
                    environment["LINKWRIGHT_URL"] = port.map { "http://127.0.0.1:\($0)" }
                    environment["LINKWRIGHT_API_KEY"] = key
                    process.environment = environment
                    let output = Pipe()
                    let errors = Pipe()
                    process.standardOutput = output
                    process.standardError = errors
                    try process.run()
                    let out = output.fileHandleForReading.readDataToEndOfFile()
                    let err = errors.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(
                        returning: Run(
                            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                            errors: String(decoding: err, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    @Test func aJobIsRunWaitedForExportedAndReportedFromTheCommandLine() async throws {
        let directory = try TestDatabase.temporaryDirectory("cli")
        try await TestSiteFarm.run { farm in
            let domains = ProspectingTests.sites(farm, prefix: "cli", count: 4)
            try "domain\n".appending(domains.joined(separator: "\n")).appending("\nnever-\(UUID().uuidString.prefix(6)).test\n")
                .write(to: directory.appendingPathComponent("domains.csv"), atomically: true, encoding: .utf8)
            try "widgets\nCRM tools\n".write(to: directory.appendingPathComponent("keywords.txt"), atomically: true, encoding: .utf8)
            try await TestApp.run(workers: ProspectingTests.workers, engines: ProspectingTests.engines(farm)) { api, _ in
                let owner = try await api.signup()
                let key = try #require(
                    try await api.call(.post, "/api/v1/api-keys", json: ["name": "cli", "scopes": ["read", "write"]], token: owner.accessToken)
                        .string("key"))
                let port = try #require(api.port)
                func cli(_ arguments: String...) async throws -> Run {
                    try await Self.cli(arguments, port: port, key: key, directory: directory)
                }

                let run = try await cli(
                    "job", "run", "--name", "From the CLI", "--domains", "domains.csv", "--keywords", "keywords.txt", "--mode", "free-only", "--wait",
                    "--json")
                #expect(run.status == 0, "\(run.errors)")
                // One JSON status per poll, the last one completed.
                let last = try #require(run.output.split(separator: "\n").last)
                let job = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
                #expect(job["state"] as? String == "completed")
                let id = try #require(job["id"] as? String)
                #expect((job["progress"] as? [String: Any])?["done"] as? Int == 5)

                let status = try await cli("job", "status", id)
                #expect(status.status == 0)
                #expect(status.output.contains("From the CLI (\(id)): completed"), "\(status.output)")
                #expect(status.output.contains("5/5 domains (100%), 1 failed"), "\(status.output)")

                let list = try await cli("job", "list")
                #expect(list.output.contains(id) && list.output.contains("completed"))

                let export = try await cli("job", "export", id, "--format", "csv,json", "--wait", "--output", directory.path)
                #expect(export.status == 0, "\(export.errors)")
                let csv = try String(contentsOf: directory.appendingPathComponent("\(id)-results.csv"), encoding: .utf8)
                let csvLines = csv.split(separator: "\r\n").count
                #expect(csvLines == 25, "a header, then three pages a site and two keywords a page")
                let json = try Data(contentsOf: directory.appendingPathComponent("\(id)-results.json"))
                let results = try #require((try JSONSerialization.jsonObject(with: json) as? [String: Any])?["results"] as? [String: Any])
                #expect(Set(results.keys) == Set(domains))

                let errors = try await cli("job", "errors", id)
                #expect(errors.output.contains("DNS resolution failed"))
                let costs = try await cli("job", "cost-report", id, "--output", "costs.csv")
                #expect(costs.status == 0)
                #expect(try String(contentsOf: directory.appendingPathComponent("costs.csv"), encoding: .utf8).hasPrefix("domain,urls_crawled,"))

                let queue = try await cli("system", "queue-status", "--json")
                let counts = try #require(try JSONSerialization.jsonObject(with: Data(queue.output.utf8)) as? [String: Any])
                #expect((counts["prospecting_jobs"] as? [String: Int])?["completed"] == 1)

                // Mistakes say what to do next, and fail.
                let typo = try await cli("job", "run", "--name", "x", "--domains", "domainz.csv", "--keywords", "keywords.txt")
                #expect(typo.status != 0)
                #expect(typo.errors.contains("Domain file not found at 'domainz.csv'. Check the path. Expected: one domain per line."))
                let wrongID = try await cli("job", "pause", UUID().uuidString)
                #expect(wrongID.status != 0 && wrongID.errors.contains("linkwright job list"))
                let noKey = try await Self.cli(["job", "list"], port: port, key: nil, directory: directory)
                #expect(noKey.status != 0 && noKey.errors.contains("LINKWRIGHT_API_KEY is not set"))
            }
        }
    }
}
