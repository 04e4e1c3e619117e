/// Exponential backoff with jitter: attempt n waits base·2^(n-1), scaled by a random factor in
/// [0.5, 1.5) so that tasks failing together do not retry together, capped at `maximum`.
public struct RetryPolicy: Sendable {
    public var baseSeconds: Double
    public var maximumSeconds: Double

    public init(baseSeconds: Double = 5, maximumSeconds: Double = 3600) {
        self.baseSeconds = baseSeconds
        self.maximumSeconds = maximumSeconds
    }

    public func delay(afterAttempt attempt: Int, jitter: Double = Double.random(in: 0.5..<1.5)) -> Double {
        let exponential = baseSeconds * Double(1 << min(max(attempt - 1, 0), 30))
        return min(exponential * jitter, maximumSeconds)
    }
}
