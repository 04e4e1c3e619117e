/// NIST SP 800-63B length rules: long passphrases welcome, no composition rules.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 1024

    /// A readable reason the password is refused, or nil when it is acceptable.
    /// Length is counted in characters as a person sees them, not bytes.
    public static func problem(with password: String) -> String? {
        let count = password.count
        if count < minimumLength { return "must be at least \(minimumLength) characters" }
        if count > maximumLength { return "must be at most \(maximumLength) characters" }
        return nil
    }
}
