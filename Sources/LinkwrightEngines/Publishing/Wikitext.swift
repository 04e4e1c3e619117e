import CGumbo
import Foundation

/// Sanitised draft HTML (the allow-list: `p`, `h2`, `h3`, lists, `blockquote`, `strong`, `em`,
/// `a[href]`) as MediaWiki wikitext. Text is escaped so that nothing in it becomes markup: no
/// stray links, templates, signatures, lists or headings can come from a draft's words, and the
/// page carries exactly the one link the draft has.
public enum Wikitext {
    public static func from(sanitizedHTML html: String) -> String {
        var out = ""
        let bytes = Array(html.utf8)
        Gumbo.withDocument(bytes) { root in
            block(root, listPrefix: "", into: &out)
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
    }

    static func block(_ node: UnsafeMutablePointer<GumboNode>, listPrefix: String, into out: inout String) {
        guard node.pointee.type == GUMBO_NODE_ELEMENT || node.pointee.type == GUMBO_NODE_DOCUMENT else {
            let text = inline(node).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { out += line(text) + "\n\n" }
            return
        }
        let tag = node.pointee.type == GUMBO_NODE_ELEMENT ? node.pointee.v.element.tag : GUMBO_TAG_UNKNOWN
        switch tag {
        case GUMBO_TAG_H2, GUMBO_TAG_H3:
            let marks = tag == GUMBO_TAG_H2 ? "==" : "==="
            out += "\(marks) \(inline(node).trimmingCharacters(in: .whitespacesAndNewlines)) \(marks)\n\n"
        case GUMBO_TAG_P:
            let text = inline(node).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { out += line(text) + "\n\n" }
        case GUMBO_TAG_UL, GUMBO_TAG_OL:
            let prefix = listPrefix + (tag == GUMBO_TAG_UL ? "*" : "#")
            for child in PageAnalysis.children(node) where child.pointee.type == GUMBO_NODE_ELEMENT {
                var text = ""
                var nested = ""
                for part in PageAnalysis.children(child) {
                    if part.pointee.type == GUMBO_NODE_ELEMENT, [GUMBO_TAG_UL, GUMBO_TAG_OL].contains(part.pointee.v.element.tag) {
                        block(part, listPrefix: prefix, into: &nested)
                    } else {
                        text += inline(part)
                    }
                }
                out += "\(prefix) \(text.trimmingCharacters(in: .whitespacesAndNewlines))\n" + nested
            }
            if listPrefix.isEmpty { out += "\n" }
        case GUMBO_TAG_BLOCKQUOTE:
            out += "<blockquote>\(inline(node).trimmingCharacters(in: .whitespacesAndNewlines))</blockquote>\n\n"
        default:
            for child in PageAnalysis.children(node) { block(child, listPrefix: listPrefix, into: &out) }
        }
    }

    static func inline(_ node: UnsafeMutablePointer<GumboNode>) -> String {
        switch node.pointee.type {
        case GUMBO_NODE_TEXT, GUMBO_NODE_WHITESPACE, GUMBO_NODE_CDATA:
            return escape(String(cString: node.pointee.v.text.text))
        case GUMBO_NODE_ELEMENT:
            let inner = PageAnalysis.children(node).map(inline).joined()
            switch node.pointee.v.element.tag {
            case GUMBO_TAG_STRONG: return "'''\(inner)'''"
            case GUMBO_TAG_EM: return "''\(inner)''"
            case GUMBO_TAG_A:
                guard let href = PageAnalysis.attribute(node, "href").flatMap(HTMLSanitizer.safeHref) else { return inner }
                let url = href.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "]", with: "%5D")
                return "[\(url) \(inner)]"
            default: return inner
            }
        default:
            return ""
        }
    }

    /// Whitespace collapsed (a line break would end a paragraph or a list item), and a line
    /// that would start as a list, heading, indent or rule starts with its character escaped.
    static func line(_ text: String) -> String {
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard let first = collapsed.first, "*#;-=".contains(first) else { return collapsed }
        return "&#\(first.unicodeScalars.first!.value);" + collapsed.dropFirst()
    }

    /// Every character wikitext gives a meaning to, as an entity: links `[ ]`, templates and
    /// tables `{ } |`, bold and italics `'`, signatures `~`, behaviour switches `_`, tags `< >`,
    /// entities `&`, and `:` so no bare URL becomes a second link.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "[", "]", "{", "}", "|", "'", "~", "_", ":":
                out += "&#\(character.unicodeScalars.first!.value);"
            default: out.append(character)
            }
        }
        return out.replacingOccurrences(of: "\n", with: " ")
    }
}
