import CGumbo
import Foundation

/// Sanitised draft HTML as Markdown, for forums that take Markdown (django-machina, Discourse).
/// Text is escaped so that nothing in it becomes markup: the post carries exactly the draft's
/// one link, and no word of it turns into a heading, a list, an image or a raw tag.
public enum Markdown {
    public static func from(sanitizedHTML html: String) -> String {
        var blocks: [String] = []
        Gumbo.withDocument(Array(html.utf8)) { root in block(root, into: &blocks) }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    static func block(_ node: UnsafeMutablePointer<GumboNode>, into blocks: inout [String]) {
        guard node.pointee.type == GUMBO_NODE_ELEMENT || node.pointee.type == GUMBO_NODE_DOCUMENT else {
            let text = line(inline(node))
            if !text.isEmpty { blocks.append(text) }
            return
        }
        let tag = node.pointee.type == GUMBO_NODE_ELEMENT ? node.pointee.v.element.tag : GUMBO_TAG_UNKNOWN
        switch tag {
        case GUMBO_TAG_H2, GUMBO_TAG_H3:
            blocks.append((tag == GUMBO_TAG_H2 ? "## " : "### ") + line(inline(node)))
        case GUMBO_TAG_P:
            let text = line(inline(node))
            if !text.isEmpty { blocks.append(text) }
        case GUMBO_TAG_BLOCKQUOTE:
            blocks.append("> " + line(inline(node)))
        case GUMBO_TAG_UL, GUMBO_TAG_OL:
            let items = PageAnalysis.children(node).filter { $0.pointee.type == GUMBO_NODE_ELEMENT }.enumerated().map { index, item in
                (tag == GUMBO_TAG_UL ? "- " : "\(index + 1). ") + line(inline(item))
            }
            blocks.append(items.joined(separator: "\n"))
        default:
            for child in PageAnalysis.children(node) { block(child, into: &blocks) }
        }
    }

    static func inline(_ node: UnsafeMutablePointer<GumboNode>) -> String {
        switch node.pointee.type {
        case GUMBO_NODE_TEXT, GUMBO_NODE_WHITESPACE, GUMBO_NODE_CDATA:
            return escape(String(cString: node.pointee.v.text.text))
        case GUMBO_NODE_ELEMENT:
            let inner = PageAnalysis.children(node).map(inline).joined()
            switch node.pointee.v.element.tag {
            case GUMBO_TAG_STRONG: return "**\(inner)**"
            case GUMBO_TAG_EM: return "*\(inner)*"
            case GUMBO_TAG_A:
                guard let href = PageAnalysis.attribute(node, "href").flatMap(HTMLSanitizer.safeHref) else { return inner }
                return "[\(inner)](\(href.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: ")", with: "%29")))"
            case GUMBO_TAG_UL, GUMBO_TAG_OL: return ""
            default: return inner
            }
        default:
            return ""
        }
    }

    /// Whitespace collapsed to one line.
    static func line(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Every character Markdown gives a meaning to, backslash-escaped; `<` and `&` as entities
    /// so no raw HTML comes through; a bare URL's `:` escaped so it is not linked a second time.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "(", ")", "#", "+", "-", ".", "!", "|", ">", "~", ":":
                out += "\\\(character)"
            default: out.append(character)
            }
        }
        return out
    }
}
