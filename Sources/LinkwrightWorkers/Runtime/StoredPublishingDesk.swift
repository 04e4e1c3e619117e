import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore

/// The publishing engines' view of the store: approved drafts, and the tenant's connected
/// accounts with their secrets opened (the only place secrets leave the database).
struct StoredPublishingDesk: PublishingDesk {
    let drafts: DraftRepository
    let connections: ConnectionRepository
    let placements: PlacementRepository

    func approvedDraft(tenantID: UUID, id: UUID) async throws -> ApprovedDraft? {
        try await drafts.approved(tenantID: tenantID, id: id).map { ApprovedDraft(id: id, body: $0.body, topic: $0.topic) }
    }

    func account(tenantID: UUID, platforms: [ConnectionPlatform], ownedOnly: Bool, spreadKey: String) async throws -> ConnectedAccount? {
        guard let id = try await connections.choose(tenantID: tenantID, platforms: platforms, ownedOnly: ownedOnly, spreadKey: spreadKey),
            let (record, secret) = try await connections.credentials(tenantID: tenantID, id: id), record.state == .active,
            secret != nil || !record.settings.platform.needsSecret
        else { return nil }
        return ConnectedAccount(
            id: id, platform: record.settings.platform, baseURL: record.settings.baseURL, username: record.settings.username, secret: secret ?? "",
            email: record.settings.email,
            limits: ActionLimits.effective(for: record.settings.platform, overrides: record.settings.actionLimits))
    }

    func accountFailed(tenantID: UUID, id: UUID, reason: String) async throws {
        try await connections.markFailing(tenantID: tenantID, id: id, reason: reason)
    }

    func placementAllowance(tenantID: UUID, taskID: Int64) async throws -> (left: Int, limit: Int, resetsAt: Date) {
        try await placements.monthlyAllowance(tenantID: tenantID, publishingTask: taskID)
    }

    func claimPost(tenantID: UUID, pageURL: String, slotKey: String) async throws -> Bool {
        try await placements.claimPost(tenantID: tenantID, pageURL: pageURL, slotKey: slotKey)
    }

    func draftRefused(tenantID: UUID, draftID: UUID, taskID: Int64, reason: String) async throws {
        try await drafts.sendBack(tenantID: tenantID, draftID: draftID, publishingTaskID: taskID, reason: reason)
    }
}
