import Crypto
import Foundation
import LinkwrightCore

/// One file of `migrations/`: `NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the file's bytes, hex. An applied migration whose file changed stops start-up.
    public var checksum: String {
        SHA256.hash(data: Array(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public var statements: [String] { SQLScript.statements(in: sql) }

    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Every migration in `directory`, in version order. Refuses names that do not follow the
    /// pattern and duplicate versions, so a typo cannot silently skip a file.
    public static func load(from directory: URL) throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw LoadError(description: "cannot read migrations directory \(directory.path): \(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        for file in names.sorted() where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else {
                throw LoadError(description: "migration file \(file) must be named NNNN_name.sql")
            }
            guard !migrations.contains(where: { $0.version == version }) else {
                throw LoadError(description: "two migration files have version \(version)")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        return migrations.sorted { $0.version < $1.version }
    }
}
