import CGumbo
import Foundation

/// What a page says about its links and its indexing, read from the tree an HTML5 browser
/// builds (gumbo), so a link only inside a comment, a `<script>` string or a `<template>` is not
/// a link, exactly as a browser would not render one.
public struct PageAnalysis: Sendable, Equatable {
    public struct Link: Sendable, Equatable {
        /// Resolved against the page URL and `<base href>`.
        public let url: String
        /// Whitespace collapsed; an image link's `alt`.
        public let anchorText: String
        /// Lowercased `rel` tokens.
        public let rel: Set<String>
    }

    public var links: [Link] = []
    /// `<meta name=robots|googlebot content=…>` directives, lowercased, by name.
    public var metaRobots: [String: [String]] = [:]
    /// `<link rel=canonical href>` in the head, resolved.
    public var canonical: String?

    /// Parses `html` as served at `pageURL`. CPU-bound: call it off the event loop.
    public static func analyze(html: [UInt8], pageURL: String) -> PageAnalysis {
        var analysis = PageAnalysis()
        Gumbo.withDocument(html) { root in
            var base = URL(string: pageURL)
            if let href = firstBaseHref(root), let resolved = URL(string: href, relativeTo: base) {
                base = resolved.absoluteURL
            }
            walk(root, base: base, inHead: false, into: &analysis)
        }
        return analysis
    }

    static func children(_ node: UnsafeMutablePointer<GumboNode>) -> [UnsafeMutablePointer<GumboNode>] {
        let vector: GumboVector
        switch node.pointee.type {
        case GUMBO_NODE_ELEMENT, GUMBO_NODE_TEMPLATE: vector = node.pointee.v.element.children
        case GUMBO_NODE_DOCUMENT: vector = node.pointee.v.document.children
        default: return []
        }
        return (0..<Int(vector.length)).compactMap { vector.data[$0]?.assumingMemoryBound(to: GumboNode.self) }
    }

    static func attribute(_ node: UnsafeMutablePointer<GumboNode>, _ name: String) -> String? {
        var attributes = node.pointee.v.element.attributes
        guard let attribute = gumbo_get_attribute(&attributes, name), let value = attribute.pointee.value else { return nil }
        return String(cString: value)
    }

    /// The first `<base href>` in document order (the one HTML uses).
    static func firstBaseHref(_ node: UnsafeMutablePointer<GumboNode>) -> String? {
        if node.pointee.type == GUMBO_NODE_ELEMENT, node.pointee.v.element.tag == GUMBO_TAG_BASE,
            let href = attribute(node, "href")
        {
            return href
        }
        guard node.pointee.type != GUMBO_NODE_TEMPLATE else { return nil }
        for child in children(node) { if let href = firstBaseHref(child) { return href } }
        return nil
    }

    static func walk(_ node: UnsafeMutablePointer<GumboNode>, base: URL?, inHead: Bool, into analysis: inout PageAnalysis) {
        // A template's content is inert (never rendered): nothing in it is a link.
        guard node.pointee.type == GUMBO_NODE_ELEMENT else {
            if node.pointee.type == GUMBO_NODE_DOCUMENT { for child in children(node) { walk(child, base: base, inHead: inHead, into: &analysis) } }
            return
        }
        let tag = node.pointee.v.element.tag
        switch tag {
        case GUMBO_TAG_A:
            if let href = attribute(node, "href"), let url = resolve(href, base: base) {
                let rel = Set((attribute(node, "rel") ?? "").lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init))
                analysis.links.append(Link(url: url, anchorText: collapse(text(of: node)), rel: rel))
            }
        case GUMBO_TAG_META:
            if let name = attribute(node, "name")?.lowercased(), name == "robots" || name == "googlebot",
                let content = attribute(node, "content")
            {
                analysis.metaRobots[name, default: []] += content.lowercased().split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        case GUMBO_TAG_LINK:
            if inHead, analysis.canonical == nil,
                (attribute(node, "rel") ?? "").lowercased().split(whereSeparator: { $0.isWhitespace }).contains("canonical"),
                let href = attribute(node, "href"), let url = resolve(href, base: base)
            {
                analysis.canonical = url
            }
        default:
            break
        }
        let childInHead = inHead || tag == GUMBO_TAG_HEAD
        for child in children(node) { walk(child, base: base, inHead: childInHead, into: &analysis) }
    }

    /// Text a reader sees inside `node`: text nodes, and an image's `alt` in its place.
    static func text(of node: UnsafeMutablePointer<GumboNode>) -> String {
        switch node.pointee.type {
        case GUMBO_NODE_TEXT, GUMBO_NODE_WHITESPACE, GUMBO_NODE_CDATA:
            return node.pointee.v.text.text.map { String(cString: $0) } ?? ""
        case GUMBO_NODE_ELEMENT:
            let tag = node.pointee.v.element.tag
            if tag == GUMBO_TAG_IMG { return " " + (attribute(node, "alt") ?? "") + " " }
            if tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE { return "" }
            return children(node).map(text(of:)).joined()
        default:
            return ""
        }
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Only http(s) targets are links a reader can follow; `javascript:`, `mailto:` and the like
    /// are not.
    static func resolve(_ href: String, base: URL?) -> String? {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, let url = URL(string: trimmed, relativeTo: base)?.absoluteURL,
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else { return nil }
        return url.absoluteString
    }
}
