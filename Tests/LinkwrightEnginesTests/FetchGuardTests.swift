import Foundation
import LinkwrightTestSupport
import LinkwrightEngines
import Testing

@Suite struct FetchGuardTests {
    @Test(arguments: [
        "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "169.254.0.1",
        "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
        "::", "::1", "::ffff:127.0.0.1", "::ffff:8.8.8.8", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
        "64:ff9b::a9fe:a9fe", "2001:db8::1",
    ])
    func nonPublicAddressesAreRefused(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(AddressPolicy().refusal(address, port: 80) != nil, "\(text) must be refused")
    }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "169.253.1.1", "2606:4700:4700::1111", "64:ff9b::808:808"])
    func publicAddressesAreAllowed(_ text: String) throws {
        #expect(AddressPolicy().refusal(try #require(IPAddress(text)), port: 443) == nil)
    }

    @Test func onlyTheExemptEndpointGetsThrough() throws {
        let loopback = try #require(IPAddress("127.0.0.1"))
        let policy = AddressPolicy(exempt: [.init(address: loopback, port: 8080)])
        #expect(policy.refusal(loopback, port: 8080) == nil)
        #expect(policy.refusal(loopback, port: 8081) != nil, "another port of the same address stays refused")
        #expect(AddressPolicy(allowPrivate: true).refusal(loopback, port: 1) == nil)
    }

    @Test func addressTricksAreNotAddresses() {
        // inet_pton takes only the canonical forms: octal, hex and short forms that some
        // resolvers accept are not treated as literals (they go to the resolver, then the guard).
        for text in ["0177.0.0.1", "0x7f.0.0.1", "2130706433", "127.1"] { #expect(IPAddress(text) == nil, "\(text)") }
    }

    @Test func aNameThatResolvesInwardIsRefusedBeforeAnyConnection() async {
        let fetcher = Fetcher(
            userAgent: "t", resolver: StaticResolver(["sneaky.test": [IPAddress("93.184.216.34")!, IPAddress("10.0.0.5")!]]),
            policy: AddressPolicy())
        do {
            _ = try await fetcher.get("http://sneaky.test/")
            Issue.record("fetched through a private address")
        } catch {
            guard case .refusedTarget(_, let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(reason.contains("10.0.0.5"))
        }
        do {
            _ = try await fetcher.get("file:///etc/passwd")
            Issue.record("fetched a file URL")
        } catch {
            #expect(error == .invalidURL("file:///etc/passwd"))
        }
    }
}

@Suite struct LinkURLTests {
    @Test func theSamePageWrittenDifferentlyIsTheSameLink() {
        let same = [
            "https://Example.COM/a/b", "https://example.com:443/a/b", "http://example.com/a/./c/../b", "https://example.com/a/%62",
            "https://www.example.com/a/b/", "https://example.com/a/b#section",
        ]
        let expected = LinkURL("https://example.com/a/b")
        for url in same { #expect(LinkURL(url) == expected, "\(url)") }
        #expect(LinkURL("https://example.com/a/B") != expected, "paths are case-sensitive")
        #expect(LinkURL("https://example.com/a/b?x=1") != expected)
        #expect(LinkURL("https://example.com/a%2Fb") != LinkURL("https://example.com/a/b"), "an escaped slash is not a slash")
    }

    @Test func wwwAndTrailingSlashAreEquivalentOnlyWhenAsked() {
        let strict = LinkURL.Equivalence(ignoreWWW: false, ignoreTrailingSlash: false)
        #expect(LinkURL("https://www.example.com/a", equivalence: strict) != LinkURL("https://example.com/a", equivalence: strict))
        #expect(LinkURL("https://example.com/a/", equivalence: strict) != LinkURL("https://example.com/a", equivalence: strict))
    }

    @Test func internationalisedHostsCompareInUnicode() {
        #expect(LinkURL("https://xn--bcher-kva.example/") == LinkURL("https://bücher.example/"))
        #expect(LinkURL("https://XN--BCHER-KVA.example/") == LinkURL("https://xn--bcher-kva.example/"))
    }
}

@Suite struct PolitenessTests {
    static let suffixes = PublicSuffixList(text: "// test list\ncom\nuk\nco.uk\n*.ck\n!www.ck\n")

    @Test func registrableDomainsFollowThePublicSuffixList() {
        #expect(Self.suffixes.registrableDomain(of: "blog.example.co.uk") == "example.co.uk")
        #expect(Self.suffixes.registrableDomain(of: "a.b.example.com") == "example.com")
        #expect(Self.suffixes.registrableDomain(of: "x.foo.ck") == "x.foo.ck", "wildcard rule: foo.ck is a suffix")
        #expect(Self.suffixes.registrableDomain(of: "www.ck") == "www.ck", "exception rule")
        #expect(Self.suffixes.registrableDomain(of: "127.0.0.1") == "127.0.0.1")
    }

    @Test func subdomainsOfOneSiteShareItsPaceAndOtherSitesDoNot() async {
        let politeness = LocalPoliteness(interval: .seconds(2), suffixes: Self.suffixes)
        let started = ContinuousClock.now
        await politeness.waitForTurn(host: "a.example.co.uk")
        await politeness.waitForTurn(host: "other.co.uk")
        #expect(ContinuousClock.now - started < .milliseconds(1500), "different sites go at once, not 2 s apart")
        await politeness.waitForTurn(host: "b.example.co.uk")
        #expect(ContinuousClock.now - started >= .milliseconds(1990), "a second request to the same site waits its turn")
    }

    @Test func requestsQueuedBehindADomainsPaceDoNotTimeOutWhileTheyWait() async throws {
        try await TestSiteFarm.run { farm in
            farm.add("queued.test", TestSiteFarm.site(pages: 1, origin: ""))
            var limits = FetchLimits()
            limits.totalTimeout = .seconds(1)
            let fetcher = Fetcher(
                userAgent: "test", resolver: farm.resolver,
                policy: AddressPolicy(exempt: [AddressPolicy.Endpoint(address: IPAddress("127.0.0.1")!, port: farm.port)]), limits: limits,
                politeness: LocalPoliteness(interval: .milliseconds(600), suffixes: Self.suffixes))
            // The fourth waits 1.8 s for its turn, longer than the 1 s a site has to answer.
            let statuses = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { (try? await fetcher.get("http://queued.test:\(farm.port)/"))?.status ?? -1 } }
                return await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == [200, 200, 200, 200])
        }
    }

    @Test func crawlDelayWidensTheSpacing() async {
        let politeness = LocalPoliteness(interval: .milliseconds(10), suffixes: Self.suffixes)
        await politeness.setCrawlDelay(host: "slow.com", .milliseconds(300))
        await politeness.waitForTurn(host: "slow.com")
        let started = ContinuousClock.now
        await politeness.waitForTurn(host: "www.slow.com")
        #expect(ContinuousClock.now - started >= .milliseconds(280))
    }
}
