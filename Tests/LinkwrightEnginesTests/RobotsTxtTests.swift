import LinkwrightEngines
import Testing

/// robots.txt matching. The `googleCases` are ported as data from the public unit tests of
/// Google's robots.txt parser (github.com/google/robotstxt, robots_test.cc; Copyright 2019 Google
/// LLC, Apache License 2.0): the robots.txt, the agent, the URL path and Google's answer. Those
/// named "docs:" and "special:" are its documentation and special-character checks, case for
/// case; a few others (CR line ends, a versioned product token) are ours. Left out: Google's own
/// extension that treats `/index.html` as its directory and its 16 KiB line cut-off, which
/// RFC 9309 does not have.
@Suite struct RobotsTxtTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let robots: String
        let agent: String
        let path: String
        let allowed: Bool
        var description: String { "\(name): \(path)" }
    }

    static let googleCases: [Case] = [
        Case(name: "line syntax", robots: "user-agent: FooBot\ndisallow: /\n", agent: "FooBot", path: "/x/y", allowed: false),
        Case(name: "missing colon is not a rule", robots: "user-agent FooBot\ndisallow /\n", agent: "FooBot", path: "/x/y", allowed: true),
        Case(
            name: "groups: own group",
            robots:
                "allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\nuser-agent: BarBot\ndisallow: /\nallow: /y/\n\n\nallow: /w/\nuser-agent: BazBot\n\nuser-agent: FooBot\nallow: /z/\ndisallow: /\n",
            agent: "FooBot", path: "/x/b", allowed: true),
        Case(
            name: "groups: merged group",
            robots:
                "allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\nuser-agent: BarBot\ndisallow: /\nallow: /y/\n\n\nallow: /w/\nuser-agent: BazBot\n\nuser-agent: FooBot\nallow: /z/\ndisallow: /\n",
            agent: "FooBot", path: "/z/d", allowed: true),
        Case(
            name: "groups: not in own group",
            robots:
                "allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\nuser-agent: BarBot\ndisallow: /\nallow: /y/\n\n\nallow: /w/\nuser-agent: BazBot\n\nuser-agent: FooBot\nallow: /z/\ndisallow: /\n",
            agent: "FooBot", path: "/y/c", allowed: false),
        Case(
            name: "groups: rule before any agent", robots: "allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\n", agent: "FooBot",
            path: "/foo/bar/", allowed: false),
        Case(
            name: "names are case-insensitive", robots: "USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n", agent: "FooBot", path: "/x/y", allowed: true),
        Case(
            name: "names are case-insensitive (disallow)", robots: "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n", agent: "FooBot", path: "/a/b",
            allowed: false),
        Case(
            name: "agent value is case-insensitive", robots: "User-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n", agent: "Foo", path: "/x/y",
            allowed: true),
        Case(
            name: "agent value is case-insensitive (disallow)", robots: "User-Agent: foo bar\nAllow: /x/\nDisallow: /\n", agent: "Foo", path: "/a/b",
            allowed: false),
        Case(
            name: "global group applies", robots: "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n", agent: "BarBot", path: "/x/y",
            allowed: true),
        Case(
            name: "specific group wins over global", robots: "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n", agent: "FooBot",
            path: "/x/y", allowed: false),
        Case(
            name: "no group for us and no global",
            robots: "user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\nuser-agent: BazBot\ndisallow: /\n", agent: "QuxBot", path: "/x/y",
            allowed: true),
        Case(name: "paths are case-sensitive", robots: "user-agent: FooBot\ndisallow: /x/\n", agent: "FooBot", path: "/X/y", allowed: true),
        Case(name: "paths are case-sensitive (match)", robots: "user-agent: FooBot\ndisallow: /x/\n", agent: "FooBot", path: "/x/y", allowed: false),
        Case(
            name: "longest match: allow longer", robots: "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n", agent: "FooBot",
            path: "/x/page.html", allowed: true),
        Case(
            name: "longest match: equal goes to allow", robots: "user-agent: FooBot\nallow: /page\ndisallow: /page\n", agent: "FooBot", path: "/page",
            allowed: true),
        Case(
            name: "longest match: disallow longer", robots: "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", agent: "FooBot", path: "/x/",
            allowed: false),
        Case(
            name: "longest match: wildcard counts its length", robots: "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", agent: "FooBot",
            path: "/page.html", allowed: false),
        Case(
            name: "longest match: shorter allow loses", robots: "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", agent: "FooBot",
            path: "/page", allowed: true),
        Case(
            name: "longest match: dollar", robots: "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n", agent: "FooBot",
            path: "/x/page", allowed: true),
        Case(
            name: "encoding: query in rule", robots: "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n",
            agent: "FooBot", path: "/foo/bar?qux=taz&baz=http://foo.bar?tar&par", allowed: true),
        Case(
            name: "encoding: non-ASCII rule matches escaped path", robots: "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n", agent: "FooBot",
            path: "/foo/bar/%E3%83%84", allowed: true),
        Case(
            name: "encoding: escaped rule matches escaped path", robots: "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n",
            agent: "FooBot", path: "/foo/bar/%E3%83%84", allowed: true),
        Case(
            name: "encoding: escapes are not decoded", robots: "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", agent: "FooBot",
            path: "/foo/bar/baz", allowed: false),
        Case(
            name: "encoding: escaped letters match themselves", robots: "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n",
            agent: "FooBot", path: "/foo/bar/%62%61%7A", allowed: true),
        Case(
            name: "wildcard in the middle", robots: "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", agent: "FooBot",
            path: "/foo/bar/quz", allowed: false),
        Case(
            name: "wildcard in the middle (allow)", robots: "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", agent: "FooBot",
            path: "/foo/quz", allowed: true),
        Case(
            name: "dollar anchors the end", robots: "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", agent: "FooBot",
            path: "/foo/bar", allowed: false),
        Case(
            name: "dollar anchors the end (longer path)", robots: "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", agent: "FooBot",
            path: "/foo/bar/baz", allowed: true),
        Case(
            name: "comments end a line", robots: "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n", agent: "FooBot",
            path: "/foo/bar", allowed: true),
        Case(
            name: "comments end a line (rule before it)", robots: "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n",
            agent: "FooBot", path: "/foo/quz", allowed: false),
        Case(name: "empty disallow allows", robots: "user-agent: FooBot\ndisallow:\n", agent: "FooBot", path: "/x/y", allowed: true),
        Case(
            name: "robots.txt itself is always allowed", robots: "user-agent: FooBot\ndisallow: /\n", agent: "FooBot", path: "/robots.txt",
            allowed: true),
        Case(name: "docs: /fish", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish\n", agent: "FooBot", path: "/bar", allowed: false),
        Case(name: "docs: /fish", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish\n", agent: "FooBot", path: "/fish", allowed: true),
        Case(name: "docs: /fish", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish\n", agent: "FooBot", path: "/fish.html", allowed: true),
        Case(
            name: "docs: /fish", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish\n", agent: "FooBot", path: "/fish/salmon.html", allowed: true),
        Case(name: "docs: /fish", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish\n", agent: "FooBot", path: "/fishheads", allowed: true),
        Case(
            name: "docs: /fish", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish\n", agent: "FooBot", path: "/fishheads/yummy.html",
            allowed: true),
        Case(
            name: "docs: /fish", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish\n", agent: "FooBot", path: "/fish.html?id=anything",
            allowed: true),
        Case(name: "docs: /fish", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish\n", agent: "FooBot", path: "/Fish.asp", allowed: false),
        Case(name: "docs: /fish", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish\n", agent: "FooBot", path: "/catfish", allowed: false),
        Case(name: "docs: /fish", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish\n", agent: "FooBot", path: "/?id=fish", allowed: false),
        Case(name: "docs: /fish*", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish*\n", agent: "FooBot", path: "/bar", allowed: false),
        Case(name: "docs: /fish*", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish*\n", agent: "FooBot", path: "/fish", allowed: true),
        Case(name: "docs: /fish*", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish*\n", agent: "FooBot", path: "/fish.html", allowed: true),
        Case(
            name: "docs: /fish*", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish*\n", agent: "FooBot", path: "/fishheads/yummy.html",
            allowed: true),
        Case(name: "docs: /fish*", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish*\n", agent: "FooBot", path: "/Fish.bar", allowed: false),
        Case(name: "docs: /fish*", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish*\n", agent: "FooBot", path: "/catfish", allowed: false),
        Case(name: "docs: /fish*", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish*\n", agent: "FooBot", path: "/?id=fish", allowed: false),
        Case(name: "docs: /fish/", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish/\n", agent: "FooBot", path: "/bar", allowed: false),
        Case(name: "docs: /fish/", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish/\n", agent: "FooBot", path: "/fish/", allowed: true),
        Case(name: "docs: /fish/", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish/\n", agent: "FooBot", path: "/fish/salmon", allowed: true),
        Case(name: "docs: /fish/", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish/\n", agent: "FooBot", path: "/fish/?salmon", allowed: true),
        Case(name: "docs: /fish/", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish/\n", agent: "FooBot", path: "/fish", allowed: false),
        Case(name: "docs: /fish/", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish/\n", agent: "FooBot", path: "/fish.html", allowed: false),
        Case(
            name: "docs: /fish/", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish/\n", agent: "FooBot", path: "/Fish/Salmon.html",
            allowed: false),
        Case(name: "docs: /*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php\n", agent: "FooBot", path: "/bar", allowed: false),
        Case(name: "docs: /*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php\n", agent: "FooBot", path: "/filename.php", allowed: true),
        Case(
            name: "docs: /*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php\n", agent: "FooBot", path: "/folder/filename.php",
            allowed: true),
        Case(
            name: "docs: /*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php\n", agent: "FooBot",
            path: "/folder/filename.php?parameters", allowed: true),
        Case(
            name: "docs: /*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php\n", agent: "FooBot", path: "//folder/any.php.file.html",
            allowed: true),
        Case(
            name: "docs: /*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php\n", agent: "FooBot", path: "/filename.php/", allowed: true),
        Case(
            name: "docs: /*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php\n", agent: "FooBot", path: "/index?f=filename.php/",
            allowed: true),
        Case(name: "docs: /*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php\n", agent: "FooBot", path: "/php/", allowed: false),
        Case(name: "docs: /*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php\n", agent: "FooBot", path: "/index?php", allowed: false),
        Case(name: "docs: /*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php\n", agent: "FooBot", path: "/windows.PHP", allowed: false),
        Case(name: "docs: /*.php$", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n", agent: "FooBot", path: "/bar", allowed: false),
        Case(
            name: "docs: /*.php$", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n", agent: "FooBot", path: "/filename.php", allowed: true),
        Case(
            name: "docs: /*.php$", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n", agent: "FooBot", path: "/folder/filename.php",
            allowed: true),
        Case(
            name: "docs: /*.php$", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n", agent: "FooBot", path: "/filename.php?parameters",
            allowed: false),
        Case(
            name: "docs: /*.php$", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n", agent: "FooBot", path: "/filename.php/",
            allowed: false),
        Case(
            name: "docs: /*.php$", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n", agent: "FooBot", path: "/filename.php5",
            allowed: false),
        Case(name: "docs: /*.php$", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n", agent: "FooBot", path: "/php/", allowed: false),
        Case(
            name: "docs: /*.php$", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n", agent: "FooBot", path: "/filename?php", allowed: false
        ),
        Case(name: "docs: /*.php$", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n", agent: "FooBot", path: "/aaaphpaaa", allowed: false),
        Case(
            name: "docs: /*.php$", robots: "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n", agent: "FooBot", path: "//windows.PHP", allowed: false
        ),
        Case(name: "docs: /fish*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish*.php\n", agent: "FooBot", path: "/bar", allowed: false),
        Case(
            name: "docs: /fish*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish*.php\n", agent: "FooBot", path: "/fish.php",
            allowed: true),
        Case(
            name: "docs: /fish*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish*.php\n", agent: "FooBot",
            path: "/fishheads/catfish.php?parameters", allowed: true),
        Case(
            name: "docs: /fish*.php", robots: "user-agent: FooBot\ndisallow: /\nallow: /fish*.php\n", agent: "FooBot", path: "/Fish.PHP",
            allowed: false),
        Case(name: "docs: precedence /p", robots: "user-agent: FooBot\nallow: /p\ndisallow: /\n", agent: "FooBot", path: "/page", allowed: true),
        Case(
            name: "docs: precedence equal", robots: "user-agent: FooBot\nallow: /folder\ndisallow: /folder\n", agent: "FooBot", path: "/folder/page",
            allowed: true),
        Case(
            name: "docs: precedence wildcard", robots: "user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n", agent: "FooBot", path: "/page.htm",
            allowed: false),
        Case(name: "docs: precedence /$", robots: "user-agent: FooBot\nallow: /$\ndisallow: /\n", agent: "FooBot", path: "/", allowed: true),
        Case(
            name: "docs: precedence /$", robots: "user-agent: FooBot\nallow: /$\ndisallow: /\n", agent: "FooBot", path: "/page.html", allowed: false),
        Case(
            name: "special: wildcard", robots: "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", agent: "FooBot", path: "/foo//quz",
            allowed: true),
        Case(
            name: "special: wildcard", robots: "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", agent: "FooBot",
            path: "/foo/bax/quz", allowed: true),
        Case(
            name: "special: dollar", robots: "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", agent: "FooBot", path: "/foo/bar/qux",
            allowed: true),
        Case(
            name: "special: dollar", robots: "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", agent: "FooBot", path: "/foo/bar/",
            allowed: true),
        Case(name: "CRLF line ends", robots: "user-agent: FooBot\r\ndisallow: /x/\r\n", agent: "FooBot", path: "/x/y", allowed: false),
        Case(name: "CR line ends", robots: "user-agent: FooBot\rdisallow: /x/\r", agent: "FooBot", path: "/x/y", allowed: false),
        Case(name: "product token: version ignored", robots: "user-agent: FooBot/1.0\ndisallow: /\n", agent: "FooBot", path: "/a", allowed: false),
    ]

    @Test(arguments: googleCases)
    func matchesGooglesAnswer(_ c: Case) {
        #expect(RobotsTxt(c.robots).allows(c.path, agent: c.agent) == c.allowed)
    }

    @Test func crawlDelayComesFromOurGroup() {
        let robots = RobotsTxt("User-agent: *\nCrawl-delay: 2\n\nUser-agent: LinkwrightBot\nCrawl-delay: 5\nDisallow: /tmp/\n")
        #expect(robots.crawlDelay(agent: "LinkwrightBot") == 5)
        #expect(robots.crawlDelay(agent: "OtherBot") == 2)
    }

    @Test func unreachableRobotsMeansNothingAndA4xxMeansEverything() {
        #expect(!RobotsTxt.disallowAll.allows("/page", agent: "LinkwrightBot"))
        #expect(RobotsTxt.allowAll.allows("/page", agent: "LinkwrightBot"))
    }
}
