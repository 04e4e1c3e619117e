import Foundation
import LinkwrightCore
import Testing

@Suite struct ProspectInputTests {
    @Test func domainsArePastedAsPeopleHaveThemAndStoredAsOneHostEach() {
        let cases: [(String, String)] = [
            ("https://www.Example.com/blog?x=1#top", "example.com"),
            ("  example.com.  ", "example.com"),
            ("http://user:pw@Shop.Example.co.uk:8080/path", "shop.example.co.uk"),
            ("bücher.de", "xn--bcher-kva.de"),
            ("https://www.müller-straße.de/", "xn--mller-strae-46a18a.de"),
            ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ]
        for (raw, expected) in cases {
            #expect((try? ProspectDomain.normalise(raw).get()) == expected, "\(raw)")
        }
        for bad in [
            "", "localhost", "not a domain", "exa_mple.com", "-bad.com", "example.123", "http://", String(repeating: "a", count: 64) + ".com",
        ] {
            #expect((try? ProspectDomain.normalise(bad).get()) == nil, "\(bad)")
        }
    }

    @Test func punycodeMatchesTheRFCsExamples() {
        // RFC 3492 section 7.1 (the Unicode sample strings, as labels).
        #expect(Punycode.ascii(label: "ليهمابتكلموشعربي؟") == "xn--egbpdaj6bu4bxfgehfvwxn")
        #expect(Punycode.ascii(label: "他们为什么不说中文") == "xn--ihqwcrb4cv8a8dqg056pqjye")
        #expect(Punycode.ascii(label: "почемужеонинеговорятпорусски") == "xn--b1abfaaepdrnnbgefbadotcwatmq2g4l")
        #expect(Punycode.ascii(label: "example") == "example")
    }

    @Test func aCSVWithADomainColumnAndATextListAreReadAlikeWithProblemsByLine() {
        let csv = "name,Domain,notes\nAcme,https://www.acme.com/,x\nDup,ACME.com,\nBad,not a domain,\n\nBeta,beta.io,\"a, quoted\nnote\"\n"
        let list = DomainList.parse(Array(csv.utf8))
        #expect(list.domains == ["acme.com", "beta.io"])
        #expect(list.duplicatesRemoved == 1)
        #expect(list.problems.map(\.line) == [4])
        #expect(list.problems.first?.message.contains("\"not a domain\" is not a domain name") == true)
        #expect(list.summary == "removed 1 duplicate, 2 unique domains")

        let text = DomainList.parse(Array("example.com\nwww.example.com\nother.org\n".utf8))
        #expect(text.domains == ["example.com", "other.org"] && text.duplicatesRemoved == 1 && text.problems.isEmpty)
        #expect(DomainList.parse([]).problems.map(\.message) == ["the file has no domains (one domain or URL per line)"])
    }

    @Test func entriesGivenOneByOneAreNeverSplitAsCSV() {
        // A JSON array's entries: "domain" is a domain-shaped word, not a header; a comma is no
        // column separator but makes the entry wrong, reported at its position.
        let list = DomainList.entries(["domain", "https://www.Example.com/a", "a.com,b.com", "", "example.com"])
        #expect(list.domains == ["example.com"])
        #expect(list.duplicatesRemoved == 1)
        #expect(list.problems.map(\.line) == [1, 3], "\(list.problems)")
    }

    @Test func fiftyThousandDomainsAreTheMostAJobTakes() {
        let many = (0...DomainList.maximum).map { "site\($0).example" }.joined(separator: "\n")
        let list = DomainList.parse(Array(many.utf8))
        #expect(list.domains.count == DomainList.maximum + 1)
        #expect(list.problems.last?.message == "the file has 50001 unique domains; a job takes at most 50000")
        let counted = DomainList(domains: Array(repeating: "a.example", count: 4873), duplicatesRemoved: 127, problems: [])
        #expect(counted.summary == "removed 127 duplicates, 4,873 unique domains")
    }

    @Test func keywordsAreOnePerLineWithoutRepeatsAndWithinTheirLimits() {
        let list = KeywordList.parse("CRM\n  customer   relationship software \ncrm\n\n" + String(repeating: "x", count: 201) + "\n")
        #expect(list.keywords == ["CRM", "customer relationship software"])
        #expect(list.problems.map(\.line) == [5])
        #expect(KeywordList.parse("\n \n").problems.map(\.message) == ["the file has no keywords (one keyword or phrase per line)"])
        let many = KeywordList.parse((0...KeywordList.maximum).map { "k\($0)" }.joined(separator: "\n"))
        #expect(many.problems.last?.message == "the file has 501 keywords; a job takes at most 500")
    }
}
