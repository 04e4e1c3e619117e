import LinkwrightEngines
import Testing

/// Generated text is untrusted: whatever a provider returns, what reaches a reviewer's screen or
/// a platform is only the allow-list, escaped.
@Suite struct HTMLSanitizerTests {
    @Test func theAllowListSurvivesAsWritten() {
        let html =
            #"<h2>Title</h2><p>Some <strong>bold</strong> and <em>soft</em> words, <a href="https://client.example/shoes">running shoes</a>.</p><ul><li>one</li></ul><ol><li>two</li></ol><blockquote>quoted</blockquote><h3>End</h3>"#
        #expect(HTMLSanitizer.sanitize(html) == html)
    }

    @Test(arguments: [
        (#"<p>hi<script>alert(1)</script></p>"#, "<p>hi</p>"),
        (#"<p onclick="alert(1)" style="color:red" class="x">hi</p>"#, "<p>hi</p>"),
        (#"<a href="javascript:alert(1)">click</a>"#, "click"),
        (#"<a href=" JaVaScRiPt:alert(1)">click</a>"#, "click"),
        (#"<a href="java&#x09;script:alert(1)">click</a>"#, "click"),
        (#"<a href="data:text/html,<script>alert(1)</script>">x</a>"#, "x"),
        (#"<a href="//evil.example/">x</a>"#, "x"),
        (#"<a href="/relative">x</a>"#, "x"),
        (#"<a href="https://user:pw@evil.example/">x</a>"#, "x"),
        (#"<a href="https://ok.example/" onmouseover="alert(1)" target="_blank" rel="x">ok</a>"#, #"<a href="https://ok.example/">ok</a>"#),
        (#"<img src=x onerror=alert(1)>after"#, "after"),
        (#"<iframe src="https://evil.example"></iframe><p>p</p>"#, "<p>p</p>"),
        (#"<svg><script>alert(1)</script><a href="https://x.example">s</a></svg>text"#, "text"),
        (#"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"#, ""),
        (#"ok<style>p{}</style><template><p>t</p></template><noscript><p>n</p></noscript>"#, "ok"),
        (#"<div><span>kept text</span></div>"#, "kept text"),
        (#"<p>a &lt;b&gt; &amp; c</p>"#, "<p>a &lt;b&gt; &amp; c</p>"),
        (#"<p>unclosed <strong>bold"#, "<p>unclosed <strong>bold</strong></p>"),
        (
            #"<a href="https://a.example/"><a href="https://b.example/">inner</a></a>"#,
            #"<a href="https://a.example/"></a><a href="https://b.example/">inner</a>"#
        ),
        (#"<p title="x" id="y">"quotes" & 'apostrophes'</p>"#, "<p>\"quotes\" &amp; 'apostrophes'</p>"),
        (#"<!-- <script>alert(1)</script> --><p>c</p>"#, "<p>c</p>"),
        (#"<a href="https://x.example/?q=&quot;><script>">y</a>"#, #"<a href="https://x.example/?q=%22%3E%3Cscript%3E">y</a>"#),
        (#"<form action="https://evil.example"><input value="x"><button>b</button></form>left"#, "left"),
    ])
    func hostileMarkupIsReducedToTheAllowList(input: String, expected: String) {
        #expect(HTMLSanitizer.sanitize(input) == expected)
    }

    @Test func theOutputIsAFixedPoint() {
        let once = HTMLSanitizer.sanitize(#"<p>x<b>y</b><a href="https://e.example/a b">z</a><script>s</script></p>"#)
        #expect(HTMLSanitizer.sanitize(once) == once)
        #expect(!once.contains("<b>") && !once.contains("script"))
    }

    @Test func theLinksAQualityCheckReadsAreTheOnesThatSurvive() {
        let (html, links) = HTMLSanitizer.sanitizeWithLinks(
            #"<p>See <a href="https://client.example/shoes"> the <em>best</em>   shoes &amp; socks</a>, "#
                + #"<a href="javascript:alert(1)">not this</a> or <a href="/relative">this</a>.</p>"#)
        #expect(links.map(\.href) == ["https://client.example/shoes"])
        #expect(links.map(\.text) == ["the best shoes & socks"])
        #expect(html.contains("not this") && !html.contains("javascript"))
    }
}
