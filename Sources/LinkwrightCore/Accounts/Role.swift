/// A person's role inside their tenant.
public enum TenantRole: String, Sendable, Codable, CaseIterable {
    case owner, admin, member

    /// Owners and admins manage the team, API keys with the admin scope, and read the audit log.
    public var canManageTenant: Bool { self != .member }
}
