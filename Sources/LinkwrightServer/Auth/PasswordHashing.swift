import LinkwrightCore
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle

/// Argon2id on its own threads.
///
/// Each hash takes ≈ 30 ms of CPU and 19 MiB of memory. Run on Hummingbird's cooperative pool it
/// would stall every other request; here at most `threads` hashes run at once and at most
/// `maximumQueued` wait, so a login flood costs bounded CPU and memory and gets 503s beyond that
/// instead of an ever-growing queue.
public final class PasswordHashing: Service, Sendable {
    let hasher: PasswordHasher
    let pool: NIOThreadPool
    let maximumQueued: Int
    private let outstanding = NIOLockedValueBox(0)
    /// A real hash of a random password: unknown emails are verified against it so that a
    /// wrong email costs the same time as a wrong password.
    let decoyHash: String

    public init(hasher: PasswordHasher = PasswordHasher(), threads: Int, maximumQueued: Int = 256) {
        self.hasher = hasher
        self.pool = NIOThreadPool(numberOfThreads: max(1, threads))
        self.maximumQueued = maximumQueued
        self.pool.start()
        self.decoyHash = (try? hasher.hash(OpaqueToken.generate().secret)) ?? ""
    }

    public func hash(_ password: String) async throws -> String {
        try await admitted { [hasher] in try hasher.hash(password) }
    }

    public func verify(_ password: String, against phc: String) async throws -> Bool {
        try await admitted { [hasher] in hasher.verify(password, against: phc) }
    }

    /// Verifies against the decoy hash and always fails: equal cost for an unknown account.
    public func verifyDecoy(_ password: String) async throws {
        _ = try await verify(password, against: decoyHash)
    }

    private func admitted<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted = outstanding.withLockedValue { count in
            guard count < maximumQueued else { return false }
            count += 1
            return true
        }
        guard admitted else { throw APIError.unavailable("too many sign-ins at once; try again in a moment", retryAfter: 1) }
        defer { outstanding.withLockedValue { $0 -= 1 } }
        return try await pool.runIfActive(work)
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await pool.shutdownGracefully()
    }
}
