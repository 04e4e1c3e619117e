import CGumbo
import Foundation

/// Generated text is untrusted input: parsed the way a browser would (gumbo) and written out
/// again with only an allow-list of elements, and of attributes only `href` on links, and only
/// to http(s). Anything else is dropped: a disallowed element's text survives when it is
/// harmless prose (a `<div>` or `<span>`), and disappears with it when it never renders as text
/// (`script`, `style`, `template`, `iframe`, `object`, form controls, SVG and MathML). The
/// output is escaped by construction, so it can be shown in a page or posted to a platform.
/// CPU-bound: call it off the event loop.
public enum HTMLSanitizer {
    static let kept: [GumboTag: String] = [
        GUMBO_TAG_P: "p", GUMBO_TAG_H2: "h2", GUMBO_TAG_H3: "h3", GUMBO_TAG_UL: "ul", GUMBO_TAG_OL: "ol", GUMBO_TAG_LI: "li",
        GUMBO_TAG_BLOCKQUOTE: "blockquote", GUMBO_TAG_STRONG: "strong", GUMBO_TAG_EM: "em", GUMBO_TAG_A: "a",
    ]
    /// Elements whose content is never prose: dropped whole.
    static let droppedWhole: Set<GumboTag> = [
        GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_TEMPLATE, GUMBO_TAG_IFRAME, GUMBO_TAG_OBJECT, GUMBO_TAG_EMBED,
        GUMBO_TAG_NOSCRIPT, GUMBO_TAG_TEXTAREA, GUMBO_TAG_SELECT, GUMBO_TAG_BUTTON, GUMBO_TAG_SVG, GUMBO_TAG_MATH,
        GUMBO_TAG_HEAD, GUMBO_TAG_TITLE, GUMBO_TAG_NOFRAMES, GUMBO_TAG_NOEMBED, GUMBO_TAG_XMP, GUMBO_TAG_PLAINTEXT,
    ]

    public static func sanitize(_ html: String) -> String { sanitizeWithLinks(html).html }

    /// A link the sanitised HTML keeps: its target and its visible text, whitespace collapsed.
    public struct Link: Sendable, Equatable {
        public let href: String
        public let text: String
    }

    /// The sanitised HTML and the links it kept, from one parse: the quality checks read the
    /// links, and parsing the output again to find them doubled the work per draft.
    public static func sanitizeWithLinks(_ html: String) -> (html: String, links: [Link]) {
        var out = ""
        var links: [Link] = []
        let bytes = Array(html.utf8)
        Gumbo.withDocument(bytes) { root in
            write(root, into: &out, links: &links, insideLink: false)
        }
        return (out.trimmingCharacters(in: .whitespacesAndNewlines), links)
    }

    static func write(_ node: UnsafeMutablePointer<GumboNode>, into out: inout String, links: inout [Link], insideLink: Bool) {
        switch node.pointee.type {
        case GUMBO_NODE_TEXT, GUMBO_NODE_WHITESPACE, GUMBO_NODE_CDATA:
            out += escape(String(cString: node.pointee.v.text.text))
        case GUMBO_NODE_ELEMENT:
            let tag = node.pointee.v.element.tag
            // Foreign content (SVG, MathML) can smuggle markup that reads differently when parsed again.
            guard node.pointee.v.element.tag_namespace == GUMBO_NAMESPACE_HTML, !droppedWhole.contains(tag) else { return }
            guard let name = kept[tag] else {
                for child in PageAnalysis.children(node) { write(child, into: &out, links: &links, insideLink: insideLink) }
                return
            }
            if tag == GUMBO_TAG_A {
                // A link inside a link is not allowed; one without a safe target keeps its text only.
                guard !insideLink, let href = PageAnalysis.attribute(node, "href").flatMap(safeHref) else {
                    for child in PageAnalysis.children(node) { write(child, into: &out, links: &links, insideLink: insideLink) }
                    return
                }
                out += "<a href=\"\(escape(href, attribute: true))\">"
                let start = out.utf8.count
                for child in PageAnalysis.children(node) { write(child, into: &out, links: &links, insideLink: true) }
                let inner = String(decoding: out.utf8.dropFirst(start), as: UTF8.self)
                links.append(Link(href: href, text: PageAnalysis.collapse(text(ofSanitized: inner, between: " "))))
                out += "</a>"
                return
            }
            out += "<\(name)>"
            for child in PageAnalysis.children(node) { write(child, into: &out, links: &links, insideLink: insideLink) }
            out += "</\(name)>"
        case GUMBO_NODE_DOCUMENT:
            for child in PageAnalysis.children(node) { write(child, into: &out, links: &links, insideLink: insideLink) }
        default:
            return  // comments and the like
        }
    }

    /// An absolute http(s) URL with a host, re-serialised; nil for anything else
    /// (`javascript:`, `data:`, protocol-relative, relative, credentials in the URL).
    static func safeHref(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters))
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil, let url = components.url
        else { return nil }
        return url.absoluteString
    }

    /// The visible text of `sanitize`'s output: its tags replaced by `between`, and `escape`
    /// undone. Only for sanitised HTML, whose markup is known to be nothing but the allow-list.
    static func text(ofSanitized html: String, between: String) -> String {
        html.replacingOccurrences(of: "<[^>]+>", with: between, options: .regularExpression)
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func escape(_ text: String, attribute: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "'" where attribute: out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
