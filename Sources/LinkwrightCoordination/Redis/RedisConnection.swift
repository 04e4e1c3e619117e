import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// `redis://[user:password@]host[:port][/db]`.
public struct RedisEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var database: Int

    public init(url: String) throws {
        guard let c = URLComponents(string: url), c.scheme == "redis", let host = c.host, !host.isEmpty else {
            throw RedisError(message: "LINKWRIGHT_REDIS_URL must look like redis://[:password@]host[:port][/db], not \(url)")
        }
        self.host = host
        port = c.port ?? 6379
        user = c.user.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        password = c.password?.removingPercentEncoding
        let path = c.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard path.isEmpty || Int(path) != nil else { throw RedisError(message: "the database in LINKWRIGHT_REDIS_URL must be a number") }
        database = Int(path) ?? 0
    }
}

/// Matches replies to commands in order: Redis answers a connection's commands in the order
/// they were sent, so many may be in flight at once (pipelining).
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = (command: [[UInt8]], promise: EventLoopPromise<RESPValue>)
    typealias OutboundOut = ByteBuffer

    private var waiting = CircularBuffer<EventLoopPromise<RESPValue>>()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let (command, reply) = unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: 64)
        RESPEncoder.encode(command, into: &buffer)
        waiting.append(reply)
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        guard let promise = waiting.popFirst() else { return }
        promise.succeed(value)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RedisError(message: "connection closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        while let promise = waiting.popFirst() { promise.fail(error) }
    }
}

/// One connection: authenticated and on its database before it is handed out.
final class RedisConnection: Sendable {
    let channel: any Channel

    init(channel: any Channel) { self.channel = channel }

    static func connect(to endpoint: RedisEndpoint, group: any EventLoopGroup, timeout: TimeAmount) async throws -> RedisConnection {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPReplyDecoder()))
                    try channel.pipeline.syncOperations.addHandler(RedisCommandHandler())
                }
            }
            .connect(host: endpoint.host, port: endpoint.port).get()
        let connection = RedisConnection(channel: channel)
        do {
            if let password = endpoint.password {
                let auth = endpoint.user.map { ["AUTH", $0, password] } ?? ["AUTH", password]
                _ = try await connection.send(auth, timeout: timeout)
            }
            if endpoint.database != 0 { _ = try await connection.send(["SELECT", String(endpoint.database)], timeout: timeout) }
        } catch {
            try? await channel.close()
            throw error
        }
        return connection
    }

    var isActive: Bool { channel.isActive }

    /// Sends one command; an error reply is thrown; no answer within `timeout` closes the
    /// connection (its later replies could no longer be matched) and throws.
    func send(_ command: [String], timeout: TimeAmount) async throws -> RESPValue {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(RedisError(message: "timed out after \(timeout.nanoseconds / 1_000_000) ms"))
        }
        channel.writeAndFlush((command: command.map { Array($0.utf8) }, promise: promise), promise: nil)
        do {
            let value = try await promise.futureResult.get()
            timer.cancel()
            if case .error(let message) = value { throw RedisError(message: message) }
            return value
        } catch let error as RedisError where error.message.hasPrefix("timed out") {
            channel.close(promise: nil)
            throw error
        }
    }

    func close() async { try? await channel.close() }
}
