import Foundation
import LinkwrightCore
import Testing

@Suite struct CampaignRulesTests {
    @Test func theLifecycleAllowsExactlyTheDocumentedTransitions() {
        var allowed: [String] = []
        for status in CampaignStatus.allCases {
            for action in CampaignStatus.Action.allCases {
                if let next = status.applying(action) { allowed.append("\(status.rawValue) -\(action.rawValue)-> \(next.rawValue)") }
            }
        }
        #expect(
            Set(allowed) == [
                "draft -start-> active", "active -pause-> paused", "paused -resume-> active",
                "active -complete-> completed", "paused -complete-> completed",
                "draft -archive-> archived", "active -archive-> archived", "paused -archive-> archived", "completed -archive-> archived",
            ])
    }

    @Test(arguments: [
        ("HTTPS://Example.COM:443/Path?q=1#frag", "https://example.com/Path?q=1"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("  https://www.example.org/x  ", "https://www.example.org/x"),
    ])
    func targetURLsAreStoredNormalised(_ raw: String, _ expected: String) throws {
        #expect(try TargetURL.normalise(raw) == expected)
    }

    @Test(arguments: ["ftp://example.com/", "javascript:alert(1)", "example.com", "https://user:pw@example.com/", "https:///nohost", ""])
    func targetURLsThatAreNotWebPagesAreRefused(_ raw: String) {
        #expect(throws: FieldError.self) { try TargetURL.normalise(raw) }
    }

    /// A 2,048-character URL with no path becomes 2,049 once normalised (`/` is added): it is
    /// refused with the field named, not stored past the column's limit (found by schemathesis:
    /// it was a 500).
    @Test func aURLThatOutgrowsTheLimitWhenNormalisedIsRefused() throws {
        let host = String(repeating: "a", count: 2048 - "https://.com".count) + ".com"
        let raw = "https://" + host
        #expect(raw.utf8.count == 2048)
        #expect(throws: FieldError.self) { try TargetURL.normalise(raw) }
        let fits = "https://" + String(repeating: "a", count: 2047 - "https://.com".count) + ".com"
        #expect(try TargetURL.normalise(fits).utf8.count == 2048)
    }

    func valid() -> CampaignSettings.Input {
        CampaignSettings.Input(
            name: "Spring push", targetURL: "https://client.example/page", anchorTexts: ["best shoes", "best shoes"],
            engines: ["web2", "forums", "web2"])
    }

    @Test func aValidCampaignGetsDefaultsAndDeduplicatedLists() throws {
        let settings = try CampaignSettings.creating(from: valid())
        #expect(settings.anchorTexts == ["best shoes"])
        #expect(settings.engines == [.web2, .forums])
        #expect(settings.priority == .normal)
        #expect(settings.budgetMicros == 0)
    }

    @Test func everyInvalidFieldIsNamed() {
        func field(_ change: (inout CampaignSettings.Input) -> Void) -> String? {
            var input = valid()
            change(&input)
            do {
                _ = try CampaignSettings.creating(from: input)
                return nil
            } catch { return error.field }
        }
        #expect(field { $0.name = " " } == "name")
        #expect(field { $0.name = nil } == "name")
        #expect(field { $0.targetURL = "ftp://x.example" } == "target_url")
        #expect(field { $0.anchorTexts = [] } == "anchor_texts")
        #expect(field { $0.keywords = [String(repeating: "k", count: 101)] } == "keywords")
        #expect(field { $0.engines = ["email"] } == "engines")
        #expect(field { $0.engines = [] } == "engines")
        #expect(field { $0.priority = "urgent" } == "priority")
        #expect(field { $0.dailyLimit = 0 } == "daily_limit")
        #expect(field { $0.budgetMicros = -1 } == "budget_micros")
        #expect(field { $0.minAuthority = 101 } == "min_authority")
        #expect(field { $0.endsAt = .some(Date(timeIntervalSinceNow: -60)) } == "ends_at")
        #expect(
            field {
                $0.startsAt = .some(Date(timeIntervalSinceNow: 7200))
                $0.endsAt = .some(Date(timeIntervalSinceNow: 3600))
            } == "ends_at")
    }

    @Test func aFailedEditChangesNothing() throws {
        var settings = try CampaignSettings.creating(from: valid())
        let before = settings
        #expect(throws: FieldError.self) {
            try settings.apply(CampaignSettings.Input(name: "Renamed", dailyLimit: 5000))
        }
        #expect(settings == before)
    }
}
