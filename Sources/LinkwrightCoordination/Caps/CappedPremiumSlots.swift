import Foundation
import LinkwrightEngines

/// The premium provider's concurrency shared by every job and process through a
/// `ConcurrencyCap`: a request waits for a slot (asked again every 25–75 ms, jittered so waiting
/// processes do not ask in step), never drops.
public struct CappedPremiumSlots: PremiumSlots {
    let cap: ConcurrencyCap

    public init(cap: ConcurrencyCap) { self.cap = cap }

    public func acquire() async -> String {
        while true {
            if let token = await cap.tryAcquire() { return token }
            // Shutting down: the request is not made (the task runs again elsewhere).
            if Task.isCancelled { return "" }
            try? await Task.sleep(for: .milliseconds(Int.random(in: 25...75)))
        }
    }

    public func release(_ token: String) async { await cap.release(token) }
}
