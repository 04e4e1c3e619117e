import Foundation
import NIOPosix
@testable import LinkwrightServer
import Testing

@Suite struct PasswordHashingTests {
    @Test func hashesAreArgon2idPHCStringsWithAtLeastOWASPParameters() throws {
        let phc = try PasswordHasher().hash("correct horse battery staple")
        #expect(phc.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(PasswordHasher().verify("correct horse battery staple", against: phc))
        #expect(!PasswordHasher().verify("correct horse battery stapler", against: phc))
    }

    @Test func theSamePasswordHashesDifferentlyEachTime() throws {
        let hasher = PasswordHasher()
        #expect(try hasher.hash("correct horse battery") != hasher.hash("correct horse battery"))
    }

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
