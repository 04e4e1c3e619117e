import Foundation

/// An opaque keyset-pagination cursor: the sort key (time in microseconds since the epoch, id)
/// of the last row a page returned.
///
/// Keyset pagination keeps pages stable while rows are added and costs one index probe per page,
/// where OFFSET would rescan. The time is kept as integer microseconds, PostgreSQL's own
/// resolution, so comparisons are exact. Clients must treat the string as opaque.
public struct PageCursor: Sendable, Hashable {
    public let micros: Int64
    public let id: UUID

    public init(micros: Int64, id: UUID) {
        self.micros = micros
        self.id = id
    }

    public var encoded: String {
        Base64URL.encode(Array("\(micros):\(id.uuidString.lowercased())".utf8))
    }

    public init?(encoded: String) {
        guard encoded.utf8.count <= 128, let bytes = Base64URL.decode(encoded) else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: ":")
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else { return nil }
        self.micros = micros
        self.id = id
    }
}

/// Page size rules shared by every list endpoint.
public enum PageSize {
    public static let `default` = 50
    public static let maximum = 200
}

/// A cursor over rows ordered by an increasing integer id (queue tasks).
public struct SequenceCursor: Sendable, Hashable {
    public let after: Int64

    public init(after: Int64) { self.after = after }

    public var encoded: String { Base64URL.encode(Array("s:\(after)".utf8)) }

    public init?(encoded: String) {
        guard encoded.utf8.count <= 64, let bytes = Base64URL.decode(encoded) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("s:"), let value = Int64(text.dropFirst(2)) else { return nil }
        self.after = value
    }
}
