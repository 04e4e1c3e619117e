import LinkwrightEngines
import Testing

@Suite struct ProspectPageTests {
    @Test func visibleTextLeavesOutWhatNobodySeesAndKeepsParagraphsApart() {
        let html = Array(
            """
            <html><head><title>Head text</title><style>.crm{}</style></head><body>
            <nav><a href="/about">About</a></nav>
            <p>Our <strong>CRM</strong> review</p><p>software picks</p>
            <script>var x = "hidden CRM";</script><template><p>template CRM</p></template><noscript>enable js</noscript>
            <img src="x.png" alt="CRM chart">
            <a href="https://www.Blog.example/post#comments">Post</a> <a href="/post">again</a>
            <a href="https://other.example/">elsewhere</a> <a href="https://shop.client.example/x">client</a>
            </body></html>
            """.utf8)
        let page = ProspectPage.read(html: html, pageURL: "https://blog.example/", clientDomain: "client.example")
        #expect(page.text == "About Our CRM review software picks CRM chart Post again elsewhere client")
        #expect(page.siteLinks == ["https://blog.example/about", "https://www.blog.example/post", "https://blog.example/post"])
        #expect(page.alreadyLinks, "a link to a subdomain of the client's domain")
        let unlinked = ProspectPage.read(html: Array("<p>CRM</p>".utf8), pageURL: "https://blog.example/", clientDomain: "client.example")
        #expect(!unlinked.alreadyLinks)
    }
}
