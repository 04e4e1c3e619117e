/// A request field that is wrong, in the words a person should read. The server turns it into a
/// 422 naming `field`.
public struct FieldError: Error, Equatable, Sendable {
    public let field: String
    public let detail: String

    public init(_ field: String, _ detail: String) {
        self.field = field
        self.detail = detail
    }
}
