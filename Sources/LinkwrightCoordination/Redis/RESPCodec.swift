import CHiredis
#if canImport(Glibc)
    import Glibc
#endif
import NIOCore

/// Commands out and replies in, through hiredis: `redisFormatCommandArgv` writes the RESP
/// request, and a `redisReader` fed with the bytes as they arrive parses replies (several in one
/// read when commands are pipelined). Both are pure in-memory work: nothing here blocks.
final class RESPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue
    private let reader: UnsafeMutablePointer<redisReader>

    init() {
        reader = redisReaderCreate()
    }

    deinit { redisReaderFree(reader) }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let bytes = buffer.readableBytesView
        if !bytes.isEmpty {
            let fed =
                bytes.withContiguousStorageIfAvailable { raw in
                    raw.withMemoryRebound(to: CChar.self) { redisReaderFeed(reader, $0.baseAddress, $0.count) }
                }
                ?? Array(bytes).withUnsafeBufferPointer { raw in
                    raw.withMemoryRebound(to: CChar.self) { redisReaderFeed(reader, $0.baseAddress, $0.count) }
                }
            buffer.moveReaderIndex(forwardBy: bytes.count)
            guard fed == REDIS_OK else { throw RedisError(message: "protocol error") }
        }
        while true {
            var reply: UnsafeMutableRawPointer?
            guard redisReaderGetReply(reader, &reply) == REDIS_OK else { throw RedisError(message: "protocol error") }
            guard let reply else { return .needMoreData }
            let value = Self.value(reply.assumingMemoryBound(to: redisReply.self))
            freeReplyObject(reply)
            context.fireChannelRead(wrapInboundOut(value))
        }
    }

    static func value(_ reply: UnsafeMutablePointer<redisReply>) -> RESPValue {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STATUS: return .status(string(r))
        case REDIS_REPLY_ERROR: return .error(string(r))
        case REDIS_REPLY_INTEGER: return .integer(r.integer)
        case REDIS_REPLY_NIL: return .bulk(nil)
        case REDIS_REPLY_STRING: return .bulk(r.str.map { Array(UnsafeRawBufferPointer(start: $0, count: r.len)) } ?? [])
        case REDIS_REPLY_ARRAY:
            return .array((0..<r.elements).compactMap { r.element[$0].map(value) })
        default: return .error("unknown reply type \(r.type)")
        }
    }

    static func string(_ r: redisReply) -> String {
        guard let str = r.str else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: str, count: r.len), as: UTF8.self)
    }
}

enum RESPEncoder {
    static func encode(_ arguments: [[UInt8]], into buffer: inout ByteBuffer) {
        var pointers: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = []
        let storage = arguments.map { ContiguousArray($0.map { CChar(bitPattern: $0) }) }
        storage.withUnsafePointers { bases in
            pointers = bases
            lengths = arguments.map(\.count)
            var target: UnsafeMutablePointer<CChar>?
            let length = pointers.withUnsafeMutableBufferPointer { ptrs in
                lengths.withUnsafeBufferPointer { lens in
                    redisFormatCommandArgv(&target, Int32(arguments.count), ptrs.baseAddress, lens.baseAddress)
                }
            }
            if let target, length > 0 {
                buffer.writeBytes(UnsafeRawBufferPointer(start: target, count: Int(length)))
                free(target)
            }
        }
    }
}

extension Array where Element == ContiguousArray<CChar> {
    /// Calls `body` with a stable base pointer for every element.
    func withUnsafePointers<R>(_ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        func recurse(_ index: Int, _ collected: [UnsafePointer<CChar>?]) -> R {
            if index == count { return body(collected) }
            return self[index].withUnsafeBufferPointer { recurse(index + 1, collected + [$0.baseAddress]) }
        }
        return recurse(0, [])
    }
}
