/// Wakes idle workers of a lane when work arrives. A ring that comes while nobody waits is lost;
/// that is fine, because workers look for work again before they wait and the wait is bounded
/// by the safety poll.
actor Doorbell {
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var next = 0

    func ring() {
        let waiting = waiters
        waiters = [:]
        for continuation in waiting.values { continuation.resume() }
    }

    /// Returns on the next ring or after `timeout`, whichever comes first.
    func wait(timeout: Duration) async {
        next += 1
        let id = next
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.park(id) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                await self.wake(id)
            }
            await group.next()
            group.cancelAll()
            await self.wake(id)
        }
    }

    private func park(_ id: Int) async {
        await withCheckedContinuation { waiters[id] = $0 }
    }

    private func wake(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }
}
