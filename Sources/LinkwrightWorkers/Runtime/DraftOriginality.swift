import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore

/// The content engine's originality question answered from the store: engines never touch the
/// database, the runtime hands them this.
struct DraftOriginality: OriginalityIndex {
    let drafts: DraftRepository

    func closest(tenantID: UUID, excludingSlot slotKey: String, signature: MinHashSignature) async throws -> (similarity: Double, text: String)? {
        try await drafts.closest(tenantID: tenantID, excludingSlot: slotKey, signature: signature)
    }
}
