import Foundation
import NIOPosix
@testable import LinkwrightServer
import Testing

@Suite struct PasswordHashingTests {
    @Test func hashingBeyondTheQueueLimitIsRefusedRatherThanQueuedForever() async throws {
        let hashing = PasswordHashing(threads: 1, maximumQueued: 2)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (try? await hashing.hash("correct horse battery")) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.contains(true))
        #expect(outcomes.contains(false))
        // Once the burst has passed, hashing works again.
        #expect(try await hashing.verify("correct horse battery", against: try await hashing.hash("correct horse battery")))
        try await hashing.pool.shutdownGracefully()
    }

}
