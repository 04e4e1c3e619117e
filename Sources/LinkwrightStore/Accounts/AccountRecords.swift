import Foundation
import LinkwrightCore

public struct TenantRecord: Sendable, Equatable {
    public let id: UUID
    public let name: String
    public let slug: String
    public let createdAt: Date
    /// Read where operators see it (their tenant list, a plan change).
    public var plan: String? = nil
}

public struct UserRecord: Sendable, Equatable {
    public let tenantID: UUID
    public let id: UUID
    public let email: String
    public let role: TenantRole
    public let createdAt: Date
    /// Microseconds since the epoch, exact, for pagination cursors.
    let createdMicros: Int64

    var cursor: PageCursor { PageCursor(micros: createdMicros, id: id) }
}

/// Whoever an email and password may sign in as.
public enum LoginSubject: Sendable {
    case user(UserRecord, passwordHash: String)
    case `operator`(OperatorRecord, passwordHash: String)

    public var passwordHash: String {
        switch self {
        case .user(_, let hash), .operator(_, let hash): hash
        }
    }
}

public struct OperatorRecord: Sendable, Equatable {
    public let id: UUID
    public let email: String
    public let createdAt: Date
}
