/// Failures a repository reports in domain terms; the server maps them to HTTP in one place.
public enum StoreError: Error, Equatable, Sendable {
    /// The email already belongs to a user or an operator somewhere on the platform.
    case emailTaken
    /// The change would leave the tenant without an owner.
    case lastOwner
    case notFound
    /// The tenant has already connected this account (same platform, site and user name).
    case alreadyConnected
}
