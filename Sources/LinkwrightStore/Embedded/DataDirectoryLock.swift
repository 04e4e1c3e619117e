import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on `<data dir>/linkwright.lock`, held for the life of the process, so a
/// second `serve` on the same data directory stops with a clear message instead of fighting the
/// first over its PostgreSQL cluster. The kernel drops the lock if the process dies.
public final class DataDirectoryLock: Sendable {
    public struct AlreadyLocked: Error, CustomStringConvertible {
        public let directory: String
        public let holder: String
        public var description: String {
            "another linkwright process\(holder.isEmpty ? "" : " (pid \(holder))") is already serving from the data directory \(directory); stop it or choose another LINKWRIGHT_DATA_DIR"
        }
    }

    let descriptor: Int32

    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("linkwright.lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw AlreadyLocked(directory: directory.path, holder: holder)
        }
        ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        self.descriptor = fd
    }

    deinit { close(descriptor) }
}
