/// An email address as Linkwright stores it: trimmed and lower-cased, so that sign-in is
/// case-insensitive and one person cannot hold two accounts differing only in case.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let value: String
    public var description: String { value }

    /// Returns nil for anything that is not a plausible single address. Deliverability is not
    /// checked here; a confirmation mail is the only real test.
    public init?(_ raw: String) {
        let trimmed = raw.trimmingWhitespace().lowercased()
        guard (3...254).contains(trimmed.utf8.count) else { return nil }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return nil }
        let domain = parts[1]
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else { return nil }
        guard !trimmed.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "<" || $0 == ">" || $0 == "," }) else { return nil }
        self.value = trimmed
    }
}

extension String {
    /// Leading and trailing whitespace and newlines removed, without Foundation.
    public func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
