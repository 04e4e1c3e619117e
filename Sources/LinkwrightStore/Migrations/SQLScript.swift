import LinkwrightCore
/// Splits a SQL script into single statements.
///
/// PostgreSQL's extended query protocol, the only one postgres-nio speaks, takes one statement
/// at a time, while migrations are plain multi-statement files. Semicolons inside quoted strings,
/// quoted identifiers, dollar-quoted bodies (`$$ … $$`, `$tag$ … $tag$`) and comments do not
/// end a statement.
public enum SQLScript {
    public static func statements(in script: String) -> [String] {
        let s = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var i = 0

        func flush() {
            let text = String(current).trimmingWhitespace()
            if !text.isEmpty { statements.append(text) }
            current = .init()
        }

        func copyUntil(_ terminator: [Unicode.Scalar]) {
            while i < s.count {
                if i + terminator.count <= s.count, Array(s[i..<i + terminator.count]) == terminator {
                    current.append(contentsOf: terminator)
                    i += terminator.count
                    return
                }
                current.append(s[i])
                i += 1
            }
        }

        while i < s.count {
            let c = s[i]
            let next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
            switch c {
            case "-" where next == "-":
                // Line comment: dropped.
                while i < s.count, s[i] != "\n" { i += 1 }
            case "/" where next == "*":
                var depth = 0
                repeat {
                    if s[i] == "/", i + 1 < s.count, s[i + 1] == "*" {
                        depth += 1
                        i += 2
                    } else if s[i] == "*", i + 1 < s.count, s[i + 1] == "/" {
                        depth -= 1
                        i += 2
                    } else {
                        i += 1
                    }
                } while depth > 0 && i < s.count
                current.append(" ")
            case "'", "\"":
                current.append(c)
                i += 1
                copyUntil([c])
            case "$":
                if let tag = dollarTag(s, at: i) {
                    current.append(contentsOf: tag)
                    i += tag.count
                    copyUntil(tag)
                } else {
                    current.append(c)
                    i += 1
                }
            case ";":
                flush()
                i += 1
            default:
                current.append(c)
                i += 1
            }
        }
        flush()
        return statements
    }

    /// `$tag$` starting at `i`, if any. A `$1` parameter is not a tag.
    private static func dollarTag(_ s: [Unicode.Scalar], at i: Int) -> [Unicode.Scalar]? {
        var j = i + 1
        while j < s.count, s[j] != "$" {
            let ch = s[j]
            guard ch.properties.isAlphabetic || ch == "_" || (j > i + 1 && ("0"..."9").contains(ch)) else { return nil }
            j += 1
        }
        guard j < s.count else { return nil }
        return Array(s[i...j])
    }
}
