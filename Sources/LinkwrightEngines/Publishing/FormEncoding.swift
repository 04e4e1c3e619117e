import Foundation

/// `application/x-www-form-urlencoded`, as browsers and platforms' form parsers expect it.
enum FormEncoding {
    /// Every byte but ASCII letters, digits and `-._~` as `%XX` of its UTF-8
    /// (`CharacterSet.alphanumerics` would let non-ASCII letters through raw).
    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    static let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}
