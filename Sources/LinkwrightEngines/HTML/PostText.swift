import CGumbo
import Foundation

/// The title and main text of a blog post or forum topic, as a reader takes them in: what a
/// comment or reply must respond to. Navigation, headers, footers, sidebars, forms, scripts and
/// the comments already under the post are not the post, so they are left out; where the page
/// marks its content (`<article>`, `<main>`), only that is read.
public struct PostText: Sendable, Equatable {
    public var title: String
    /// Paragraphs, list items, headings and quotes, whitespace collapsed, one per line.
    public var text: String

    /// Parses `html`. CPU-bound: call it off the event loop.
    public static func read(html: [UInt8]) -> PostText {
        var post = PostText(title: "", text: "")
        Gumbo.withDocument(html) { root in
            let content = first(GUMBO_TAG_ARTICLE, in: root) ?? first(GUMBO_TAG_MAIN, in: root) ?? root
            let heading = first(GUMBO_TAG_H1, in: content).map { PageAnalysis.collapse(PageAnalysis.text(of: $0)) } ?? ""
            let documentTitle = first(GUMBO_TAG_TITLE, in: root).map { PageAnalysis.collapse(PageAnalysis.text(of: $0)) } ?? ""
            post.title = heading.isEmpty ? documentTitle : heading
            var blocks: [String] = []
            collect(content, into: &blocks)
            post.text = blocks.joined(separator: "\n")
        }
        return post
    }

    static let skipped: Set<GumboTag> = [
        GUMBO_TAG_NAV, GUMBO_TAG_HEADER, GUMBO_TAG_FOOTER, GUMBO_TAG_ASIDE, GUMBO_TAG_FORM, GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE,
        GUMBO_TAG_NOSCRIPT, GUMBO_TAG_TEMPLATE, GUMBO_TAG_H1,
    ]
    static let blocks: Set<GumboTag> = [
        GUMBO_TAG_P, GUMBO_TAG_LI, GUMBO_TAG_H2, GUMBO_TAG_H3, GUMBO_TAG_H4, GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_PRE, GUMBO_TAG_DD,
    ]

    static func first(_ tag: GumboTag, in node: UnsafeMutablePointer<GumboNode>) -> UnsafeMutablePointer<GumboNode>? {
        if node.pointee.type == GUMBO_NODE_ELEMENT, node.pointee.v.element.tag == tag { return node }
        for child in PageAnalysis.children(node) { if let found = first(tag, in: child) { return found } }
        return nil
    }

    /// The comments under a post, by the names blog and forum software give them
    /// (`#comments`, `.comment-list`, `.comments-area`).
    static func isCommentSection(_ node: UnsafeMutablePointer<GumboNode>) -> Bool {
        let names = ((PageAnalysis.attribute(node, "id") ?? "") + " " + (PageAnalysis.attribute(node, "class") ?? "")).lowercased()
        return names.contains("comment")
    }

    static func collect(_ node: UnsafeMutablePointer<GumboNode>, into blocks: inout [String]) {
        guard node.pointee.type == GUMBO_NODE_ELEMENT || node.pointee.type == GUMBO_NODE_DOCUMENT else { return }
        if node.pointee.type == GUMBO_NODE_ELEMENT {
            let tag = node.pointee.v.element.tag
            if skipped.contains(tag) || isCommentSection(node) { return }
            if Self.blocks.contains(tag) {
                let text = PageAnalysis.collapse(PageAnalysis.text(of: node))
                if !text.isEmpty { blocks.append(text) }
                return
            }
        }
        for child in PageAnalysis.children(node) { collect(child, into: &blocks) }
    }
}
