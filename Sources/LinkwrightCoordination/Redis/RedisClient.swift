import Crypto
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A small pool of pipelined connections to one Redis. Commands go round-robin over the pool;
/// a connection that dropped is replaced on next use, after a backoff that grows while Redis
/// stays away, so a dead Redis costs one quick failure per call rather than a connect attempt
/// each time. Nothing blocks a thread: I/O runs on SwiftNIO's event loops.
public final class RedisClient: Sendable {
    let endpoint: RedisEndpoint
    let group: any EventLoopGroup
    let size: Int
    let timeout: TimeAmount
    let logger: Logger
    private let state: NIOLockedValueBox<State>

    struct State {
        var connections: [Int: RedisConnection] = [:]
        var next = 0
        var retryAt: NIODeadline = .uptimeNanoseconds(0)
        var backoff: TimeAmount = .milliseconds(100)
        var connecting: [Int: Task<RedisConnection, any Error>] = [:]
    }

    public init(
        endpoint: RedisEndpoint, connections: Int = 4, timeout: TimeAmount = .milliseconds(250),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) {
        self.endpoint = endpoint
        self.group = group
        self.size = max(1, connections)
        self.timeout = timeout
        self.logger = logger
        self.state = NIOLockedValueBox(State())
    }

    public func command(_ arguments: String...) async throws -> RESPValue {
        try await command(arguments)
    }

    public func command(_ arguments: [String]) async throws -> RESPValue {
        let connection = try await connection()
        return try await connection.send(arguments, timeout: timeout)
    }

    /// Runs a Lua script by its SHA1 (EVALSHA), loading it once and again after a Redis restart
    /// forgot it (NOSCRIPT).
    public func eval(_ script: String, keys: [String], arguments: [String]) async throws -> RESPValue {
        let sha = Insecure.SHA1.hash(data: Data(script.utf8)).map { String(format: "%02x", $0) }.joined()
        let call = ["EVALSHA", sha, String(keys.count)] + keys + arguments
        do {
            return try await command(call)
        } catch let error as RedisError where error.message.hasPrefix("NOSCRIPT") {
            _ = try await command("SCRIPT", "LOAD", script)
            return try await command(call)
        }
    }

    /// The slot's connection, connecting it if needed. Callers that find the same slot
    /// connecting wait for that one attempt instead of racing their own.
    private func connection() async throws -> RedisConnection {
        enum Next {
            case ready(RedisConnection)
            case wait(Task<RedisConnection, any Error>)
            case refuse
        }
        let next: Next = state.withLockedValue { state in
            let slot = state.next % size
            state.next &+= 1
            if let existing = state.connections[slot], existing.isActive { return .ready(existing) }
            if let pending = state.connecting[slot] { return .wait(pending) }
            guard NIODeadline.now() >= state.retryAt else { return .refuse }
            let endpoint = self.endpoint
            let group = self.group
            let timeout = self.timeout
            let attempt = Task { try await RedisConnection.connect(to: endpoint, group: group, timeout: timeout * 4) }
            state.connecting[slot] = attempt
            let watcher = Task { [self] in
                let result = await attempt.result
                let replaced = self.state.withLockedValue { state -> RedisConnection? in
                    state.connecting[slot] = nil
                    switch result {
                    case .success(let fresh):
                        // Redis answers again: every slot may reconnect at once.
                        defer {
                            state.connections[slot] = fresh
                            state.backoff = .milliseconds(100)
                            state.retryAt = .uptimeNanoseconds(0)
                        }
                        return state.connections[slot]
                    case .failure:
                        state.retryAt = .now() + state.backoff
                        state.backoff = min(state.backoff * 2, .seconds(5))
                        return nil
                    }
                }
                if let replaced { await replaced.close() }
            }
            _ = watcher
            return .wait(attempt)
        }
        switch next {
        case .ready(let connection): return connection
        case .refuse: throw RedisError(message: "unreachable (retrying shortly)")
        case .wait(let attempt):
            do { return try await attempt.value } catch { throw RedisError(message: "unreachable: \(error)") }
        }
    }

    public func shutdown() async {
        let all = state.withLockedValue { state in
            defer { state.connections = [:] }
            return Array(state.connections.values)
        }
        for connection in all { await connection.close() }
    }
}
