import Foundation
import LinkwrightCore
import LinkwrightCoordination
import Logging

/// Slows down password guessing, per account and per client address.
///
/// The first few failures are free (people mistype); after that each further attempt must wait
/// an exponentially growing delay since the last failure, capped at 15 minutes. Failures older
/// than the window are forgotten, and a successful sign-in clears the account's count. Checking
/// happens before the password is hashed, so a throttled attempt costs almost nothing.
///
/// The counts are shared by every API process through Redis when it is configured
/// (`FailureCounts`), so guesses spread over processes are counted together.
public final class LoginThrottle: Sendable {
    public struct Policy: Sendable {
        public var freeAccountFailures = 5
        public var freeAddressFailures = 20
        /// The wait after the first failure beyond the free ones; each further failure doubles it.
        public var firstDelay: Duration = .seconds(1)
        public var window: Duration = .seconds(15 * 60)
        public var maximumDelay: Duration = .seconds(15 * 60)
        public init() {}
    }

    let policy: Policy
    let counts: FailureCounts

    public init(policy: Policy = Policy(), coordination: Coordination) {
        self.policy = policy
        self.counts = FailureCounts(coordination: coordination, window: policy.window)
    }

    static func accountKey(_ account: String) -> String { "login:account:\(account)" }
    static func addressKey(_ address: String) -> String { "login:address:\(address)" }

    /// How long the caller must wait before trying again, or nil when an attempt is allowed now.
    public func delay(account: String, address: String?) async -> Duration? {
        let keys = [Self.accountKey(account)] + (address.map { [Self.addressKey($0)] } ?? [])
        let (records, now) = await counts.read(keys)
        let waits = [
            wait(records[0], free: policy.freeAccountFailures, nowMS: now),
            records.count > 1 ? wait(records[1], free: policy.freeAddressFailures, nowMS: now) : nil,
        ].compactMap { $0 }
        return waits.max()
    }

    public func recordFailure(account: String, address: String?) async {
        await counts.recordFailure([Self.accountKey(account)] + (address.map { [Self.addressKey($0)] } ?? []))
    }

    public func recordSuccess(account: String) async {
        await counts.clear(Self.accountKey(account))
    }

    private func wait(_ record: FailureCounts.Record?, free: Int, nowMS: Double) -> Duration? {
        guard let record, record.failures >= free else { return nil }
        let exponent = min(record.failures - free, 20)
        let delay = min(policy.firstDelay * (1 << exponent), policy.maximumDelay)
        let remainingMS = record.lastMS + delay.inMilliseconds - nowMS
        return remainingMS > 0 ? .milliseconds(Int64(remainingMS.rounded(.up))) : nil
    }
}
