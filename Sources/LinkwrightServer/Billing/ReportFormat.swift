import Foundation

/// Which rendering of a report a client asked for through `Accept` (RFC 9110 §12.5.1), when it
/// did not name one with `?format=`, which wins because a person typed it. A browser link or
/// `curl -H 'Accept: text/csv'` then gets what it asked for; `*/*`, no header, or only types we
/// do not render get JSON, the API's default, rather than a 406 nobody can act on.
enum ReportFormat {
    static let mediaTypes = ["application/json": "json", "text/csv": "csv", "text/html": "html"]

    static func preferred(by accept: String?) -> String {
        guard let accept else { return "json" }
        var best: (format: String, quality: Double, order: Int)?
        for (order, range) in accept.split(separator: ",").enumerated() {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first, let format = mediaTypes[type] else { continue }
            let quality = parts.dropFirst().compactMap { $0.hasPrefix("q=") ? Double($0.dropFirst(2)) : nil }.first ?? 1
            guard quality > 0 else { continue }
            // Higher quality wins; between equals, the one listed first.
            if best == nil || quality > best!.quality { best = (format, quality, order) }
        }
        return best?.format ?? "json"
    }
}
