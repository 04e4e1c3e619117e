import Foundation
import LinkwrightCore
import Hummingbird
import LinkwrightStore

struct AuditEntryBody: Encodable, Sendable {
    let id: String
    let createdAt: Date
    let actorKind: String
    let actorId: String?
    let action: String
    let targetId: String?
    let requestId: String
    let clientAddress: String?
    let outcome: String
    let status: Int
    let details: [String: JSONValue]

    init(_ e: AuditEntry) {
        id = e.id.lowercased
        createdAt = e.createdAt
        actorKind = e.actorKind.rawValue
        actorId = e.actorID?.lowercased
        action = e.action
        targetId = e.targetID
        requestId = e.requestID
        clientAddress = e.clientAddress
        outcome = e.outcome.rawValue
        status = e.status
        details = (try? JSONDecoder().decode([String: JSONValue].self, from: Data(e.details.utf8))) ?? [:]
    }
}

/// Any JSON value, to pass stored JSON through to a response unchanged.
enum JSONValue: Codable, Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let n): try c.encode(n)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// `GET /api/v1/audit-log`, newest first, for owners and admins.
struct AuditController: Sendable {
    let audit: AuditRepository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("audit-log", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageBody<AuditEntryBody> {
        let (actor, _) = try context.manager
        let page = try PageQuery(request)
        let result = try await audit.list(tenantID: actor.tenantID, limit: page.limit, after: page.cursor)
        return PageBody(items: result.items.map(AuditEntryBody.init), nextCursor: result.nextCursor?.encoded)
    }
}
