import Foundation

/// CSV as spreadsheets read it safely.
public enum CSV {
    /// RFC 4180 quoting, and a leading apostrophe before `=`, `+`, `-`, `@` so a spreadsheet
    /// never runs a tenant's text as a formula.
    public static func field(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Rows joined with CRLF, as RFC 4180 has them, ending with one.
    public static func document(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
