import Foundation

/// A campaign's or placement's URL, normalised so that the same page is always stored the same way:
/// lower-case scheme and host, no default port, no fragment, `/` for an empty path.
public enum TargetURL {
    public static func normalise(_ raw: String, field: String = "target_url") throws(FieldError) -> String {
        let trimmed = raw.trimmingWhitespace()
        guard trimmed.utf8.count <= 2048 else { throw FieldError(field, "must be at most 2048 characters") }
        guard var components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased() else {
            throw FieldError(field, "is not a URL")
        }
        guard scheme == "http" || scheme == "https" else { throw FieldError(field, "must be an http or https URL") }
        guard let host = components.host, !host.isEmpty, host.contains(".") || host == "localhost" else {
            throw FieldError(field, "must name a host")
        }
        guard components.user == nil, components.password == nil else {
            throw FieldError(field, "must not contain credentials")
        }
        components.scheme = scheme
        components.host = host.lowercased()
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) { components.port = nil }
        components.fragment = nil
        if components.path.isEmpty { components.path = "/" }
        guard let result = components.string else { throw FieldError(field, "is not a URL") }
        // Normalising can lengthen a URL (an empty path becomes `/`): what is stored must fit.
        guard result.utf8.count <= 2048 else { throw FieldError(field, "must be at most 2048 characters") }
        return result
    }
}
