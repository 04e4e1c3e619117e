/// What an API key may do. `read` keys may only read; `write` keys may also change things;
/// `admin` keys may also manage the team, other keys and read the audit log.
public enum APIKeyScope: String, Sendable, Codable, CaseIterable, Comparable {
    case read, write, admin

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
