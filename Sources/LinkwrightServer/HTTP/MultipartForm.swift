import Foundation

/// A `multipart/form-data` body (RFC 7578) as browsers and `curl -F` send it: each part's field
/// name, file name and bytes. Files are uploaded whole (their size is bounded by the caller).
struct MultipartForm: Sendable {
    struct Part: Sendable {
        let name: String
        let filename: String?
        let bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    let parts: [Part]

    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// The boundary a `Content-Type: multipart/form-data; boundary=…` names.
    static func boundary(contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// Nil when the body is not multipart with this boundary.
    static func parse(_ body: [UInt8], boundary: String) -> MultipartForm? {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        guard var index = find(delimiter, in: body, from: 0) else { return nil }
        index += delimiter.count
        while index + 1 < body.count {
            // "--" after a delimiter ends the body.
            if body[index] == UInt8(ascii: "-"), body[index + 1] == UInt8(ascii: "-") { break }
            guard let headersEnd = find(Array("\r\n\r\n".utf8), in: body, from: index) else { return nil }
            let headers = String(decoding: body[index..<headersEnd], as: UTF8.self)
            let start = headersEnd + 4
            guard let next = find(Array("\r\n".utf8) + delimiter, in: body, from: start) else { return nil }
            var name: String?
            var filename: String?
            for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = parameter("name", in: String(line))
                filename = parameter("filename", in: String(line))
            }
            if let name { parts.append(Part(name: name, filename: filename, bytes: Array(body[start..<next]))) }
            index = next + 2 + delimiter.count
        }
        return MultipartForm(parts: parts)
    }

    static func parameter(_ key: String, in line: String) -> String? {
        for piece in line.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == key {
                return pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            }
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
