import Foundation
import Hummingbird
import LinkwrightCore

/// `?limit=&cursor=` as every list endpoint reads it.
struct PageQuery {
    let limit: Int
    let cursor: PageCursor?

    /// Only `?limit=`, for lists whose cursor is not a time and id.
    static func limit(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters["limit"] else { return PageSize.default }
        guard let value = Int(String(raw)), (1...PageSize.maximum).contains(value) else {
            throw APIError.validation("limit", "must be an integer from 1 to \(PageSize.maximum)")
        }
        return value
    }

    /// `?cursor=` for lists ordered by a sequence (dead tasks, checks, events).
    static func sequenceCursor(_ request: Request) throws -> SequenceCursor? {
        guard let raw = request.uri.queryParameters["cursor"], !raw.isEmpty else { return nil }
        guard let cursor = SequenceCursor(encoded: String(raw)) else { throw APIError.validation("cursor", "is not a cursor this API returned") }
        return cursor
    }

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        limit = try Self.limit(request)
        if let raw = query["cursor"], !raw.isEmpty {
            guard let cursor = PageCursor(encoded: String(raw)) else { throw APIError.validation("cursor", "is not a cursor this API returned") }
            self.cursor = cursor
        } else {
            cursor = nil
        }
    }
}

extension Parameters {
    /// A path id, or 404: a malformed id names nothing that exists.
    func uuid(_ name: String = "id") throws -> UUID {
        guard let raw = get(name), let id = UUID(uuidString: raw) else { throw APIError.notFound() }
        return id
    }
}
