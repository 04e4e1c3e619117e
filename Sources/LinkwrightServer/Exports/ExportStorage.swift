import Foundation
import LinkwrightStore
import Logging

/// Where export files go: the data directory (downloaded through the API with a signed link) or
/// an S3-compatible store (downloaded from it with a presigned link). Files are written as they
/// are produced, a part at a time, never held whole.
public protocol ExportStorage: Sendable {
    /// `file` or `s3`, as exports record it.
    var kind: String { get }
    /// Starts a file at `key` (`<tenant>/<export>.<ext>`).
    func create(key: String, contentType: String) async throws -> any ExportUpload
    /// Removes a file (an export expired or its job archived); a file already gone is fine.
    func delete(location: String) async throws
    /// A link the store itself serves until `expires` (S3's presigned GET); nil when files are
    /// downloaded through the API's signed link instead.
    func presignedURL(location: String, filename: String, expires: Date) -> String?
}

/// One file being written.
public protocol ExportUpload: Sendable {
    func append(_ bytes: [UInt8]) async throws
    /// Completes the file; returns where it is (the location recorded with the export).
    func finish() async throws -> String
    /// Gives up: nothing half-written is left behind.
    func abort() async
}

/// Files under `<data dir>/exports`, one directory per tenant.
public struct FileExportStorage: ExportStorage {
    public let kind = "file"
    let root: URL

    public init(root: URL) { self.root = root }

    /// A directory of its own under the system's temporary directory.
    static func temporary() -> FileExportStorage {
        FileExportStorage(root: FileManager.default.temporaryDirectory.appendingPathComponent("linkwright-exports-\(UUID().uuidString)"))
    }

    public func create(key: String, contentType: String) async throws -> any ExportUpload {
        let final = root.appendingPathComponent(key)
        try FileManager.default.createDirectory(at: final.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Written beside its final name and renamed when complete, so a half-written file is never
        // handed out.
        let partial = final.appendingPathExtension("partial")
        FileManager.default.createFile(atPath: partial.path, contents: nil, attributes: [.posixPermissions: 0o600])
        return FileUpload(handle: try FileHandle(forWritingTo: partial), partial: partial, final: final, key: key)
    }

    public func presignedURL(location: String, filename: String, expires: Date) -> String? { nil }

    public func delete(location: String) async throws {
        let url = root.appendingPathComponent(location)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
    }

    /// The file's path for reading, only inside the storage root.
    func path(of location: String) -> URL? {
        let url = root.appendingPathComponent(location).standardizedFileURL
        return url.path.hasPrefix(root.standardizedFileURL.path + "/") ? url : nil
    }

    struct FileUpload: ExportUpload, @unchecked Sendable {
        let handle: FileHandle
        let partial: URL
        let final: URL
        let key: String

        func append(_ bytes: [UInt8]) async throws { try handle.write(contentsOf: bytes) }

        func finish() async throws -> String {
            try handle.close()
            if FileManager.default.fileExists(atPath: final.path) { try FileManager.default.removeItem(at: final) }
            try FileManager.default.moveItem(at: partial, to: final)
            return key
        }

        func abort() async {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
        }
    }
}

/// What the API needs for exports: where files go, how download links are signed, and the
/// service that writes them in the background.
public struct ProspectExports: Sendable {
    let service: ProspectExportService
    let links: ExportLinks
    let storage: any ExportStorage

    init(database: Database, storage: any ExportStorage, secret: String, logger: Logger) {
        self.storage = storage
        links = ExportLinks(secret: secret)
        service = ProspectExportService(
            exporter: ProspectExporter(
                results: ProspectResultsRepository(database: database), exports: ProspectExportRepository(database: database), storage: storage,
                logger: logger), jobs: ProspectJobRepository(database: database))
    }
}
