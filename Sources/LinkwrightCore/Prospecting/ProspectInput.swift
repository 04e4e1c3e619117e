import Foundation

/// A prospecting job's domain list as a person uploads it: TXT (one domain or URL per line) or
/// CSV (a header row naming a `domain` column, else the first column). Every entry is normalised
/// (`ProspectDomain`); what is wrong is reported by line, duplicates are removed and counted.
public struct DomainList: Sendable, Equatable {
    public static let maximum = 50_000

    public struct LineProblem: Sendable, Equatable {
        public let line: Int
        public let message: String
    }

    public let domains: [String]
    public let duplicatesRemoved: Int
    public let problems: [LineProblem]

    public init(domains: [String], duplicatesRemoved: Int, problems: [LineProblem]) {
        self.domains = domains
        self.duplicatesRemoved = duplicatesRemoved
        self.problems = problems
    }

    /// A summary a person reads: "removed 127 duplicates, 4,873 unique domains".
    public var summary: String {
        let unique = domains.count.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        return duplicatesRemoved > 0
            ? "removed \(duplicatesRemoved.formatted(.number.locale(Locale(identifier: "en_US")))) duplicate\(duplicatesRemoved == 1 ? "" : "s"), \(unique) unique domain\(domains.count == 1 ? "" : "s")"
            : "\(unique) unique domain\(domains.count == 1 ? "" : "s")"
    }

    /// Reads `bytes`; at most `problemLimit` problems are kept (the count of lines is exact).
    public static func parse(_ bytes: [UInt8], problemLimit: Int = 100) -> DomainList {
        var reader = CSVReader()
        let records = reader.feed(bytes) + reader.finish()
        var column = 0
        var start = 0
        if let header = records.first, let index = header.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == "domain" }) {
            column = index
            start = 1
        }
        let entries = records.enumerated().dropFirst(start).compactMap { index, record -> (line: Int, text: String)? in
            let raw = column < record.count ? record[column] : ""
            // A blank line is no entry.
            if raw.trimmingCharacters(in: .whitespaces).isEmpty, record.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                return nil
            }
            return (index + 1, raw)
        }
        return collect(entries, problemLimit: problemLimit)
    }

    /// Entries given one by one (a JSON array): each is one domain or URL as it is, never split
    /// as CSV; `line` in problems is the entry's position from 1.
    public static func entries(_ texts: [String], problemLimit: Int = 100) -> DomainList {
        collect(
            texts.enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }.map { ($0.offset + 1, $0.element) },
            problemLimit: problemLimit)
    }

    static func collect(_ entries: [(line: Int, text: String)], problemLimit: Int) -> DomainList {
        var seen = Set<String>()
        var domains: [String] = []
        var duplicates = 0
        var problems: [LineProblem] = []
        for (line, raw) in entries {
            switch ProspectDomain.normalise(raw) {
            case .success(let domain):
                if seen.insert(domain).inserted { domains.append(domain) } else { duplicates += 1 }
            case .failure(let problem):
                if problems.count < problemLimit { problems.append(LineProblem(line: line, message: "line \(line): \(problem)")) }
            }
        }
        if entries.isEmpty { problems.append(LineProblem(line: 0, message: "the file has no domains (one domain or URL per line)")) }
        if domains.count > maximum {
            problems.append(LineProblem(line: 0, message: "the file has \(domains.count) unique domains; a job takes at most \(maximum)"))
        }
        return DomainList(domains: domains, duplicatesRemoved: duplicates, problems: problems)
    }
}

/// A job's keywords: one keyword or phrase per line, at most 500, whitespace collapsed,
/// duplicates (ignoring case) removed.
public struct KeywordList: Sendable, Equatable {
    public static let maximum = 500
    public static let longest = 200

    public let keywords: [String]
    public let problems: [DomainList.LineProblem]

    public static func parse(_ text: String) -> KeywordList {
        var keywords: [String] = []
        var seen = Set<String>()
        var problems: [DomainList.LineProblem] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let keyword = line.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if keyword.isEmpty { continue }
            if keyword.count > longest {
                problems.append(.init(line: index + 1, message: "line \(index + 1): a keyword is at most \(longest) characters"))
                continue
            }
            if keyword.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                problems.append(.init(line: index + 1, message: "line \(index + 1): control characters are not allowed"))
                continue
            }
            if seen.insert(keyword.lowercased()).inserted { keywords.append(keyword) }
        }
        if keywords.isEmpty { problems.append(.init(line: 0, message: "the file has no keywords (one keyword or phrase per line)")) }
        if keywords.count > maximum {
            problems.append(.init(line: 0, message: "the file has \(keywords.count) keywords; a job takes at most \(maximum)"))
        }
        return KeywordList(keywords: keywords, problems: problems)
    }
}
