import Foundation

/// Slows down password guessing, per account and per client address.
///
/// The first few failures are free (people mistype); after that each further attempt must wait
/// an exponentially growing delay since the last failure, capped at 15 minutes. Failures older
/// than the window are forgotten, and a successful sign-in clears the account's count. Checking
/// happens before the password is hashed, so a throttled attempt costs almost nothing.
///
/// In-process: correct for one API process. Issue 6 moves these counters behind the shared
/// coordination interface.
public actor LoginThrottle {
    public struct Policy: Sendable {
        public var freeAccountFailures = 5
        public var freeAddressFailures = 20
        public var window: Duration = .seconds(15 * 60)
        public var maximumDelay: Duration = .seconds(15 * 60)
        public init() {}
    }

    struct Record {
        var failures: Int
        var last: ContinuousClock.Instant
    }

    let policy: Policy
    private var accounts: [String: Record] = [:]
    private var addresses: [String: Record] = [:]

    public init(policy: Policy = Policy()) { self.policy = policy }

    /// How long the caller must wait before trying again, or nil when an attempt is allowed now.
    public func delay(account: String, address: String?) -> Duration? {
        let now = ContinuousClock.now
        let a = wait(accounts[account], free: policy.freeAccountFailures, now: now)
        let b = address.flatMap { wait(addresses[$0], free: policy.freeAddressFailures, now: now) }
        switch (a, b) {
        case (nil, nil): return nil
        case (let x?, nil), (nil, let x?): return x
        case (let x?, let y?): return max(x, y)
        }
    }

    public func recordFailure(account: String, address: String?) {
        let now = ContinuousClock.now
        bump(&accounts[account], now: now)
        if let address { bump(&addresses[address], now: now) }
        if accounts.count + addresses.count > 100_000 { prune(now: now) }
    }

    public func recordSuccess(account: String) {
        accounts[account] = nil
    }

    private func wait(_ record: Record?, free: Int, now: ContinuousClock.Instant) -> Duration? {
        guard let record, now - record.last < policy.window, record.failures >= free else { return nil }
        let exponent = min(record.failures - free, 20)
        let delay = min(Duration.seconds(1 << exponent), policy.maximumDelay)
        let remaining = record.last + delay - now
        return remaining > .zero ? remaining : nil
    }

    private func bump(_ record: inout Record?, now: ContinuousClock.Instant) {
        if let existing = record, now - existing.last < policy.window {
            record = Record(failures: existing.failures + 1, last: now)
        } else {
            record = Record(failures: 1, last: now)
        }
    }

    private func prune(now: ContinuousClock.Instant) {
        accounts = accounts.filter { now - $0.value.last < policy.window }
        addresses = addresses.filter { now - $0.value.last < policy.window }
    }
}
