import Foundation
import NIOCore
import NIOPosix

/// A connection in Redis's subscribe mode: after `PSUBSCRIBE` it only receives pushed messages,
/// so it gets its own connection (a pooled one would interleave pushes with replies) and hands
/// every value it reads to a stream instead of matching it to a command.
struct RedisSubscription {
    let channel: any Channel
    let values: AsyncStream<RESPValue>

    final class Forwarder: ChannelInboundHandler, Sendable {
        typealias InboundIn = RESPValue
        let continuation: AsyncStream<RESPValue>.Continuation
        init(_ continuation: AsyncStream<RESPValue>.Continuation) { self.continuation = continuation }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) { continuation.yield(unwrapInboundIn(data)) }
        func channelInactive(context: ChannelHandlerContext) {
            continuation.finish()
            context.fireChannelInactive()
        }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }

    /// Connects, authenticates and subscribes to `pattern`; throws unless Redis confirms.
    static func open(_ endpoint: RedisEndpoint, pattern: String, group: any EventLoopGroup, timeout: TimeAmount) async throws -> RedisSubscription {
        let (values, continuation) = AsyncStream.makeStream(of: RESPValue.self, bufferingPolicy: .bufferingNewest(10_000))
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPReplyDecoder()))
                    try channel.pipeline.syncOperations.addHandler(Forwarder(continuation))
                }
            }
            .connect(host: endpoint.host, port: endpoint.port).get()
        let subscription = RedisSubscription(channel: channel, values: values)
        var replies = values.makeAsyncIterator()
        do {
            // Channels are not per database, so only AUTH comes before subscribing.
            if let password = endpoint.password {
                try await subscription.send(endpoint.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
                if case .error(let message)? = await replies.next() { throw RedisError(message: message) }
            }
            try await subscription.send(["PSUBSCRIBE", pattern])
            guard let confirmation = await replies.next()?.array, confirmation.first?.string == "psubscribe" else {
                throw RedisError(message: "PSUBSCRIBE was not confirmed")
            }
        } catch {
            try? await channel.close()
            throw error
        }
        return subscription
    }

    func send(_ command: [String]) async throws {
        var buffer = channel.allocator.buffer(capacity: 64)
        RESPEncoder.encode(command.map { Array($0.utf8) }, into: &buffer)
        try await channel.writeAndFlush(buffer)
    }

    func close() async { try? await channel.close() }
}
