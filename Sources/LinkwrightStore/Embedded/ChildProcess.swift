import Foundation
import NIOPosix
#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion without blocking a Swift concurrency thread.
///
/// Not Foundation's `Process`: its exit monitoring is inherited by the daemon `pg_ctl start`
/// leaves behind, so it never reports the exit. Here the child is started with `posix_spawn`
/// and reaped by `waitpid` on NIO's blocking-I/O pool.
enum ChildProcess {
    struct Failed: Error, CustomStringConvertible {
        let command: String
        let status: Int32
        let output: String
        var description: String { "\(command) exited with status \(status): \(output)" }
    }

    /// Runs `executable` with `arguments`; as another system user (through runuser) when `asUser`
    /// is set. Output is collected in a temporary file rather than a pipe, which a daemonised
    /// grandchild could hold open forever.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], asUser user: String? = nil, check: Bool = true) async throws -> (
        status: Int32, output: String
    ) {
        let argv = user.map { ["/usr/sbin/runuser", "-u", $0, "--", executable] } ?? [executable]
        let command = (argv + arguments).joined(separator: " ")
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("linkwright-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let cArgs: [UnsafeMutablePointer<CChar>?] = (argv + arguments).map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ)
        guard spawned == 0 else {
            throw Failed(command: command, status: -1, output: String(cString: strerror(spawned)))
        }
        let child = pid
        let status = try await NIOThreadPool.singleton.runIfActive { () -> Int32 in
            var raw: Int32 = 0
            while waitpid(child, &raw, 0) == -1 && errno == EINTR {}
            // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
            return (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        if check, status != 0 { throw Failed(command: command, status: status, output: output) }
        return (status, output)
    }
}
