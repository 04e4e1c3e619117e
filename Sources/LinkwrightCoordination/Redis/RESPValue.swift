/// A Redis reply (RESP2, what hiredis 0.14 speaks).
public enum RESPValue: Sendable, Equatable {
    case status(String)
    case error(String)
    case integer(Int64)
    case bulk([UInt8]?)
    case array([RESPValue]?)

    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .bulk(let bytes?): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    public var string: String? {
        switch self {
        case .status(let text), .error(let text): text
        case .bulk(let bytes?): String(decoding: bytes, as: UTF8.self)
        case .integer(let value): String(value)
        default: nil
        }
    }

    public var array: [RESPValue]? {
        if case .array(let values) = self { return values }
        return nil
    }
}

/// Redis answered with an error reply.
public struct RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { "redis: \(message)" }
}
