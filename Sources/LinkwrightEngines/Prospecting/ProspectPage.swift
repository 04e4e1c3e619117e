import CGumbo
import Foundation

/// A crawled page as prospecting reads it: the text a visitor sees (what keywords are matched
/// in), the same-site pages it links to (where the crawl may go next), and whether it already
/// links to the client's site (then a mention is not an opportunity).
public struct ProspectPage: Sendable, Equatable {
    /// Visible text: scripts, styles, templates, `noscript` and the head left out; block elements
    /// separated by whitespace, so words of two paragraphs never run together.
    public var text: String
    /// Links to the page's own site (the host, `www.` or not), resolved, host lower-cased,
    /// fragments dropped, in order, each once.
    public var siteLinks: [String]
    /// Some link on the page goes to the client's domain or one of its subdomains.
    public var alreadyLinks: Bool

    /// Reads `html` served at `pageURL`; `clientDomain` is the bare host the job prospects for.
    /// CPU-bound: call it off the event loop.
    public static func read(html: [UInt8], pageURL: String, clientDomain: String) -> ProspectPage {
        var text = ""
        Gumbo.withDocument(html) { root in visible(root, into: &text) }
        let links = PageAnalysis.analyze(html: html, pageURL: pageURL).links.map(\.url)
        let host = bare(URLComponents(string: pageURL)?.host)
        let client = clientDomain.lowercased()
        var seen = Set<String>()
        var siteLinks: [String] = []
        var alreadyLinks = false
        for link in links {
            guard var components = URLComponents(string: link) else { continue }
            let linkHost = bare(components.host)
            if linkHost == client || linkHost.hasSuffix("." + client) { alreadyLinks = true }
            guard linkHost == host else { continue }
            components.fragment = nil
            components.host = components.host?.lowercased()
            if let url = components.string, seen.insert(url).inserted { siteLinks.append(url) }
        }
        return ProspectPage(text: PageAnalysis.collapse(text), siteLinks: siteLinks, alreadyLinks: alreadyLinks)
    }

    static func bare(_ host: String?) -> String {
        let lowered = (host ?? "").lowercased()
        return lowered.hasPrefix("www.") ? String(lowered.dropFirst(4)) : lowered
    }

    static let hidden: Set<GumboTag> = [GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_TEMPLATE, GUMBO_TAG_NOSCRIPT, GUMBO_TAG_HEAD]
    static let inline: Set<GumboTag> = [
        GUMBO_TAG_A, GUMBO_TAG_SPAN, GUMBO_TAG_STRONG, GUMBO_TAG_EM, GUMBO_TAG_B, GUMBO_TAG_I, GUMBO_TAG_U, GUMBO_TAG_SMALL, GUMBO_TAG_CODE,
        GUMBO_TAG_ABBR, GUMBO_TAG_MARK, GUMBO_TAG_SUB, GUMBO_TAG_SUP, GUMBO_TAG_Q, GUMBO_TAG_CITE, GUMBO_TAG_TIME, GUMBO_TAG_S,
    ]

    static func visible(_ node: UnsafeMutablePointer<GumboNode>, into text: inout String) {
        switch node.pointee.type {
        case GUMBO_NODE_TEXT, GUMBO_NODE_WHITESPACE, GUMBO_NODE_CDATA:
            if let chars = node.pointee.v.text.text { text += String(cString: chars) }
        case GUMBO_NODE_ELEMENT:
            let tag = node.pointee.v.element.tag
            if hidden.contains(tag) { return }
            if tag == GUMBO_TAG_IMG {
                text += " " + (PageAnalysis.attribute(node, "alt") ?? "") + " "
                return
            }
            let block = !inline.contains(tag)
            if block { text += " " }
            for child in PageAnalysis.children(node) { visible(child, into: &text) }
            if block { text += " " }
        case GUMBO_NODE_DOCUMENT:
            for child in PageAnalysis.children(node) { visible(child, into: &text) }
        default:
            break
        }
    }
}
