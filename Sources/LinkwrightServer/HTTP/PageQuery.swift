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

extension Request {
    /// `?name=` read as one of an enum's values: nil when absent or empty, 422 naming the field
    /// and every allowed value otherwise. One definition for every list's filters.
    func filter<Value: RawRepresentable & CaseIterable>(_ name: String, as type: Value.Type) throws -> Value?
    where Value.RawValue == String {
        guard let raw = uri.queryParameters[Substring(name)], !raw.isEmpty else { return nil }
        guard let value = Value(rawValue: String(raw)) else {
            throw APIError.validation(name, "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension Parameters {
    /// A path id, or 404: a malformed id names nothing that exists.
    func uuid(_ name: String = "id") throws -> UUID {
        guard let raw = get(name), let id = UUID(uuidString: raw) else { throw APIError.notFound() }
        return id
    }
}
