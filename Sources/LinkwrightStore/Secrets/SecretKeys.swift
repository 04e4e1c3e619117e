import Foundation
import LinkwrightCore
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// Where the keyring for connection secrets comes from, kept current while the process runs.
///
/// Either configured (`LINKWRIGHT_SECRET_KEY`: base64 keys separated by commas, the first one
/// current), or, for the embedded default, a key file in the data directory that the first
/// start creates (mode 0600). The file is read again whenever it changes, so
/// `linkwright admin rotate-secret-key` can add a key and later retire the old one while
/// servers keep running: a server looks at the file before it seals anything and when it meets
/// a key id it does not know.
public final class SecretKeys: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case invalidConfiguredKey(Int)
        case unreadableFile(String)

        public var description: String {
            switch self {
            case .invalidConfiguredKey(let index):
                "LINKWRIGHT_SECRET_KEY: key \(index + 1) is not 32 bytes in base64 (make one with 'openssl rand -base64 32')"
            case .unreadableFile(let path): "\(path) holds no valid key (one base64 key of 32 bytes per line)"
            }
        }
    }

    struct Loaded {
        var keyring: SecretKeyring
        var modified: Date?
    }

    let file: URL?
    let state: NIOLockedValueBox<Loaded>

    init(keyring: SecretKeyring, file: URL?, modified: Date?) {
        self.file = file
        state = NIOLockedValueBox(Loaded(keyring: keyring, modified: modified))
    }

    /// Fixed keys, e.g. from configuration or for tests.
    public convenience init(_ keyring: SecretKeyring) {
        self.init(keyring: keyring, file: nil, modified: nil)
    }

    /// `configured` when set (comma-separated base64 keys, the first current), else the key file
    /// `secret-keys` in `dataDirectory`, created with a new key when missing.
    public static func resolve(configured: String?, dataDirectory: URL) throws -> SecretKeys {
        if let configured {
            var keys: [SecretKeyring.Key] = []
            for (index, text) in configured.split(separator: ",").enumerated() {
                guard let key = SecretKeyring.Key(base64: String(text)) else { throw Failure.invalidConfiguredKey(index) }
                keys.append(key)
            }
            guard let keyring = SecretKeyring(keys) else { throw Failure.invalidConfiguredKey(0) }
            return SecretKeys(keyring)
        }
        let file = keyFile(in: dataDirectory)
        if !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
            try SecretKeyFile.write([SecretKeyring.Key.generate()], to: file)
        }
        let (keyring, modified) = try SecretKeyFile.read(file)
        return SecretKeys(keyring: keyring, file: file, modified: modified)
    }

    public static func keyFile(in dataDirectory: URL) -> URL { dataDirectory.appendingPathComponent("secret-keys") }

    /// Whether the keys come from the key file (and rotation may write it).
    public var keyFile: URL? { file }

    /// The keyring to seal with: the key file is looked at first, so a rotation that has begun
    /// seals new secrets under the new key at once.
    public func forSealing() -> SecretKeyring {
        reloadIfChanged()
        return state.withLockedValue { $0.keyring }
    }

    /// Opens a sealed secret, reading the key file again if the key is one this process has not
    /// seen yet (another process rotated).
    public func open(_ sealed: SecretKeyring.Sealed, boundTo context: [UInt8]) throws -> String {
        do {
            return try state.withLockedValue { $0.keyring }.open(sealed, boundTo: context)
        } catch SecretKeyring.Failure.unknownKey where file != nil {
            reloadIfChanged()
            return try state.withLockedValue { $0.keyring }.open(sealed, boundTo: context)
        }
    }

    func reloadIfChanged() {
        guard let file else { return }
        let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
        guard modified != state.withLockedValue({ $0.modified }), let (keyring, stamp) = try? SecretKeyFile.read(file) else { return }
        state.withLockedValue { $0 = Loaded(keyring: keyring, modified: stamp) }
    }
}

/// The key file: one base64 key per line, the first current. Written whole to a temporary file
/// and renamed over the old one, so a reader never sees half a file.
public enum SecretKeyFile {
    public static func read(_ file: URL) throws -> (SecretKeyring, Date?) {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { throw SecretKeys.Failure.unreadableFile(file.path) }
        let keys = text.split(whereSeparator: \.isNewline).compactMap { SecretKeyring.Key(base64: String($0)) }
        guard let keyring = SecretKeyring(keys) else { throw SecretKeys.Failure.unreadableFile(file.path) }
        let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
        return (keyring, modified)
    }

    public static func keys(_ file: URL) throws -> [SecretKeyring.Key] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { throw SecretKeys.Failure.unreadableFile(file.path) }
        return text.split(whereSeparator: \.isNewline).compactMap { SecretKeyring.Key(base64: String($0)) }
    }

    public static func write(_ keys: [SecretKeyring.Key], to file: URL) throws {
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString)")
        let text = keys.map(\.base64).joined(separator: "\n") + "\n"
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SecretKeys.Failure.unreadableFile(temporary.path)
        }
        if rename(temporary.path, file.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw SecretKeys.Failure.unreadableFile(file.path)
        }
    }
}
