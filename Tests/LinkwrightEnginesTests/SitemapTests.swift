import Foundation
import LinkwrightEngines
import Testing

@Suite struct SitemapTests {
    @Test func aURLSetGivesItsPagesAndAnIndexItsSitemaps() {
        let urlset = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc> https://blog.example/a-post/ </loc><lastmod>2026-11-01</lastmod></url>
              <url><loc>https://blog.example/?p=2&amp;x=1</loc></url>
              <url><loc>javascript:alert(1)</loc></url>
            </urlset>
            """
        #expect(Sitemap.parse(Array(urlset.utf8)) == Sitemap(pages: ["https://blog.example/a-post/", "https://blog.example/?p=2&x=1"]))
        let index = """
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>https://blog.example/post-sitemap.xml</loc></sitemap>
              <sitemap><loc>https://blog.example/page-sitemap.xml</loc></sitemap>
            </sitemapindex>
            """
        #expect(Sitemap.parse(Array(index.utf8))?.sitemaps == ["https://blog.example/post-sitemap.xml", "https://blog.example/page-sitemap.xml"])
        #expect(Sitemap.parse(Array("<html><body>not a sitemap</body>".utf8))?.pages.isEmpty ?? true)
    }

    @Test func robotsTxtSitemapLinesAreCollectedWithoutBreakingItsGroups() {
        let robots = RobotsTxt(
            "User-agent: *\nSitemap: https://blog.example/sitemap.xml\nDisallow: /private/\nsitemap: https://blog.example/news.xml\n")
        #expect(robots.sitemaps == ["https://blog.example/sitemap.xml", "https://blog.example/news.xml"])
        #expect(!robots.allows("/private/x", agent: "LinkwrightBot"), "the sitemap line did not end the user-agent group")
    }
}
