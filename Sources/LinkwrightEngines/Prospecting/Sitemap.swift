import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A sitemap (sitemaps.org): a `urlset` of page addresses, or a `sitemapindex` of further
/// sitemaps. Read leniently, as crawlers must: namespaces and unknown elements are ignored, only
/// each entry's `loc` counts, and entries that are not http(s) URLs are dropped.
public struct Sitemap: Sendable, Equatable {
    /// Pages, when this is a `urlset`.
    public var pages: [String] = []
    /// Further sitemaps, when this is a `sitemapindex`.
    public var sitemaps: [String] = []

    public init(pages: [String] = [], sitemaps: [String] = []) {
        self.pages = pages
        self.sitemaps = sitemaps
    }

    /// Parses `xml`; nil when it is not XML at all. CPU-bound: call it off the event loop.
    public static func parse(_ xml: [UInt8]) -> Sitemap? {
        let reader = Reader()
        let parser = XMLParser(data: Data(xml))
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        guard parser.parse() else { return reader.sitemap.pages.isEmpty && reader.sitemap.sitemaps.isEmpty ? nil : reader.sitemap }
        return reader.sitemap
    }

    final class Reader: NSObject, XMLParserDelegate {
        var sitemap = Sitemap()
        var inIndex = false
        var text = ""
        var inLoc = false

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if element == "sitemapindex" { inIndex = true }
            if element == "loc" {
                inLoc = true
                text = ""
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inLoc { text += string } }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            guard element == "loc" else { return }
            inLoc = false
            let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let scheme = URLComponents(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return }
            if inIndex { sitemap.sitemaps.append(url) } else { sitemap.pages.append(url) }
        }
    }
}
