/// Wakes a waiting loop when something it waits for happens (work arrived, a slot came free).
/// A ring while nobody waits is kept until the next wait, so a ring that lands between "look"
/// and "wait" is never lost to the safety poll.
actor Doorbell {
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    /// Waits that ended (timed out) before their waiter had parked: it must not park then.
    private var ended: Set<Int> = []
    private var next = 0
    private var pending = false

    func ring() {
        guard !waiters.isEmpty else {
            pending = true
            return
        }
        let waiting = waiters
        waiters = [:]
        for continuation in waiting.values { continuation.resume() }
    }

    /// Returns on the next ring (or at once for one that came while nobody waited) or after
    /// `timeout`, whichever comes first.
    func wait(timeout: Duration) async {
        if pending {
            pending = false
            return
        }
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
        ended.remove(id)
    }

    /// Parks until rung or woken; the checks run on the actor, so a ring or a timeout that came
    /// before the waiter got here is not missed.
    private func park(_ id: Int) async {
        if ended.contains(id) { return }
        if pending {
            pending = false
            return
        }
        await withCheckedContinuation { waiters[id] = $0 }
    }

    private func wake(_ id: Int) {
        if let waiter = waiters.removeValue(forKey: id) {
            waiter.resume()
        } else {
            ended.insert(id)
        }
    }
}
