import Foundation

/// Runs a program to completion without blocking a thread while it runs.
enum ChildProcess {
    struct Failed: Error, CustomStringConvertible {
        let command: String
        let status: Int32
        let output: String
        var description: String { "\(command) exited with status \(status): \(output)" }
    }

    /// Runs `executable` with `arguments`; as the `postgres` system user when `asUser` is set.
    /// Output goes to a temporary file rather than a pipe: `pg_ctl start` leaves a daemon behind
    /// that could hold a pipe open forever.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], asUser user: String? = nil, check: Bool = true) async throws -> (status: Int32, output: String) {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("linkwright-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let handle = try FileHandle(forWritingTo: outputURL)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try? handle.close()
        let output = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        let command = ([executable] + arguments).joined(separator: " ")
        if check, status != 0 { throw Failed(command: command, status: status, output: output) }
        return (status, output)
    }
}
