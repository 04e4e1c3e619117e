import Foundation
import LinkwrightCore
import Testing

@Suite struct PlacementProgressTests {
    let day: Double = 86_400

    func run(_ checks: [PlacementState]) -> [PlacementProgress.Step] {
        var progress = PlacementProgress()
        return checks.map { check in
            let step = progress.after(check, interval: day)
            progress = step.progress
            return step
        }
    }

    @Test func aLiveLinkIsLostOnlyWhenTwoCleanChecksAgree() {
        let steps = run([.live, .missing, .missing, .missing])
        #expect(steps.map(\.progress.state) == [.live, .live, .missing, .missing])
        #expect(steps.map(\.lost) == [false, false, true, false], "one event, when the second miss confirms it")
        #expect(steps[1].recheckIn == PlacementProgress.confirmationDelay, "the first miss is rechecked soon")
    }

    @Test func aMissThenTheLinkAgainIsNotALoss() {
        let steps = run([.live, .missing, .liveNofollow, .missing, .live])
        #expect(!steps.contains { $0.lost })
        #expect(steps.last?.progress.missStreak == 0)
    }

    @Test func unverifiableChecksNeverMakeALinkLostAndBackOff() {
        let steps = run([.live, .unverifiable, .unverifiable, .unverifiable, .missing, .unverifiable, .missing])
        #expect(
            steps.map(\.lost) == [false, false, false, false, false, false, true],
            "only the two clean misses count, the unverifiable one between them neither confirms nor clears")
        #expect(steps[1].recheckIn == 3600 && steps[2].recheckIn == 7200 && steps[3].recheckIn == 14400)
    }

    @Test func aPageThatIsGoneCountsAsAMissAndNeverSeenLinksRaiseNoEvent() {
        #expect(run([.live, .sourceGone, .sourceGone]).last?.lost == true)
        let never = run([.missing, .missing, .missing])
        #expect(never.allSatisfy { !$0.lost } && never.last?.progress.state == .missing)
    }

    @Test func aHeldCommentIsLookedForMoreRarelyUntilItAppearsOrTheModeratorsTimeRunsOut() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let deadline = start.addingTimeInterval(3 * day)
        var progress = PlacementProgress(state: .pendingModeration, moderationUntil: deadline)
        var now = start
        var waits: [TimeInterval] = []
        // Not there yet: it stays held, not missing, and no loss is raised.
        while waits.count < 100 {
            let step = progress.after(.missing, interval: day, now: now)
            #expect(!step.lost)
            progress = step.progress
            if progress.state != .pendingModeration { break }
            waits.append(step.recheckIn)
            now = now.addingTimeInterval(step.recheckIn)
        }
        #expect(Array(waits.prefix(4)) == [900, 1800, 3600, 7200], "from 15 minutes, doubling")
        #expect(waits.max() == PlacementProgress.moderationRecheckLimit)
        #expect(progress.state == .rejectedBySite)
        #expect(now == deadline, "the last look is at the deadline itself, and then it is rejected")

        // Approved in time: the next check finds it and it is live like any link.
        let held = PlacementProgress(state: .pendingModeration, moderationUntil: deadline)
        let shown = held.after(.liveNofollow, interval: day, now: start.addingTimeInterval(3600))
        #expect(shown.progress.state == .liveNofollow && shown.progress.moderationUntil == nil && !shown.lost)
    }
}
