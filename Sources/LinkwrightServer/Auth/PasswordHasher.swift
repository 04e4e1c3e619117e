import CArgon2

/// Argon2id password hashing, stored as PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).
///
/// Hashing is deliberately slow (≈ 30 ms); these calls block the calling thread, so the server
/// runs them on a dedicated thread pool, never on the event loop or the cooperative pool.
public struct PasswordHasher: Sendable {
    /// Memory cost in KiB. OWASP's minimum for Argon2id is 19 MiB with t=2, p=1.
    public var memoryKiB: UInt32
    public var iterations: UInt32
    public var parallelism: UInt32

    public init(memoryKiB: UInt32 = 19_456, iterations: UInt32 = 2, parallelism: UInt32 = 1) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    public struct HashingFailed: Error, CustomStringConvertible {
        public let code: Int32
        public var description: String { "argon2 failed with code \(code)" }
    }

    /// Hashes `password` with a fresh 16-byte random salt and returns the PHC string.
    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = rng.next() }
        let hashLength = 32
        let encodedLength = argon2_encodedlen(iterations, memoryKiB, parallelism, UInt32(salt.count), UInt32(hashLength), Argon2_id)
        var encoded = [CChar](repeating: 0, count: encodedLength)
        let bytes = Array(password.utf8)
        let rc = bytes.withUnsafeBytes { pwd in
            argon2id_hash_encoded(
                iterations, memoryKiB, parallelism,
                pwd.baseAddress, pwd.count, salt, salt.count, hashLength,
                &encoded, encodedLength)
        }
        guard rc == ARGON2_OK.rawValue else { throw HashingFailed(code: rc) }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when `password` matches the PHC string. Comparison inside libargon2 is constant-time.
    public func verify(_ password: String, against phc: String) -> Bool {
        let bytes = Array(password.utf8)
        return bytes.withUnsafeBytes { pwd in
            argon2id_verify(phc, pwd.baseAddress, pwd.count) == ARGON2_OK.rawValue
        }
    }
}
