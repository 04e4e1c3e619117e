/// URL-safe tenant handles derived from the tenant's name.
public enum TenantSlug {
    /// Lower-case ASCII letters and digits separated by single hyphens, at most 48 characters;
    /// `tenant` when the name has nothing usable (e.g. only non-Latin script).
    public static func make(from name: String) -> String {
        var out = ""
        var pendingHyphen = false
        for scalar in name.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingHyphen, !out.isEmpty { out.append("-") }
                pendingHyphen = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingHyphen = true
            }
            if out.count >= 48 { break }
        }
        return out.isEmpty ? "tenant" : out
    }

    /// A short random suffix used when the plain slug is taken.
    public static func withSuffix(_ slug: String) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var rng = SystemRandomNumberGenerator()
        let suffix = String((0..<6).map { _ in alphabet[Int(rng.next(upperBound: UInt(alphabet.count)))] })
        return "\(slug)-\(suffix)"
    }
}
