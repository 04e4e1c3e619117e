import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

/// Every error the API reports, with its status, stable code and readable detail.
///
/// All thrown errors become one of these in `APIError.init(mapping:)`, the single place where
/// failures meet HTTP, and are rendered in the DESIGN.md shape by `ErrorMiddleware`.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var detail: String
    public var field: String?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, detail: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.detail = detail
        self.field = field
    }

    public static func validation(_ field: String, _ detail: String) -> APIError {
        APIError(.unprocessableContent, code: "VALIDATION_ERROR", detail: "\(field) \(detail)", field: field)
    }

    public static func unauthorized(_ detail: String = "authentication required") -> APIError {
        var error = APIError(.unauthorized, code: "UNAUTHORIZED", detail: detail)
        error.headers[.wwwAuthenticate] = "Bearer"
        return error
    }

    public static func forbidden(_ detail: String) -> APIError {
        APIError(.forbidden, code: "FORBIDDEN", detail: detail)
    }

    public static func notFound(_ what: String = "resource") -> APIError {
        APIError(.notFound, code: "NOT_FOUND", detail: "\(what) not found")
    }

    public static func conflict(_ code: String, _ detail: String, field: String? = nil) -> APIError {
        APIError(.conflict, code: code, detail: detail, field: field)
    }

    public static func rateLimited(retryAfter seconds: Int, detail: String) -> APIError {
        var error = APIError(.tooManyRequests, code: "RATE_LIMITED", detail: detail)
        error.headers[.retryAfter] = String(max(1, seconds))
        return error
    }

    public static func unavailable(_ detail: String, retryAfter seconds: Int? = nil) -> APIError {
        var error = APIError(.serviceUnavailable, code: "SERVICE_UNAVAILABLE", detail: detail)
        if let seconds { error.headers[.retryAfter] = String(seconds) }
        return error
    }

    /// Maps anything thrown by a handler or middleware. Unknown errors become a 500 whose detail
    /// reveals nothing; the caller logs the original.
    public init(mapping error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as StoreError:
            switch error {
            case .emailTaken: self = .conflict("EMAIL_TAKEN", "email is already registered", field: "email")
            case .lastOwner: self = .conflict("LAST_OWNER", "the tenant must keep at least one owner")
            case .notFound: self = .notFound()
            case .alreadyConnected: self = .conflict("ALREADY_CONNECTED", "this account is already connected", field: "username")
            }
        case let error as FieldError:
            self = .validation(error.field, error.detail)
        case let error as ReviewError:
            switch error {
            case .nothingToReview: self = .validation("campaign_id", "has no ready draft outside another batch")
            case .draftUnavailable(let id, let why): self = .validation("draft_ids", "\(id.uuidString.lowercased()) \(why)")
            case .tooManyDrafts: self = .validation("draft_ids", "a batch holds at most \(ReviewRepository.batchLimit) drafts")
            case .notesRequired: self = .validation("notes", "say why the draft is rejected")
            case .alreadyDecided(let decision):
                self =
                    decision == .needsRegeneration
                    ? .conflict("REGENERATING", "the item was sent back; its new version is being written")
                    : .conflict("ALREADY_DECIDED", "the item is already \(decision.rawValue)")
            }
        case let error as CampaignError:
            switch error {
            case .illegalTransition(let from, let action):
                self = .conflict("ILLEGAL_TRANSITION", "a \(from.rawValue) campaign cannot \(action.rawValue)")
            case .activeCampaignLimit(let plan):
                self = .conflict(
                    "QUOTA_EXCEEDED",
                    "the \(plan.name) plan allows \(plan.activeCampaigns) active campaign\(plan.activeCampaigns == 1 ? "" : "s"); pause is not enough, archive one or change plan"
                )
            case .isActive:
                self = .conflict("CAMPAIGN_ACTIVE", "pause or archive the campaign first")
            case .archived:
                self = .conflict("CAMPAIGN_ARCHIVED", "an archived campaign cannot be changed")
            }
        case let error as PlacementError:
            switch error {
            case .monthlyLimit(let plan):
                self = .conflict(
                    "QUOTA_EXCEEDED",
                    "the \(plan.name) plan allows \(plan.placementsPerMonth) new placements a month; change plan or wait for next month")
            case .duplicate:
                self = .conflict("DUPLICATE", "this source page is already placed for this target", field: "source_url")
            case .unknownCampaign:
                self = .validation("campaign_id", "names no campaign of this tenant")
            }
        case let error as DecodingError:
            self = Self.mapping(decoding: error)
        case let error as any HTTPResponseError:
            switch error.status {
            case .notFound: self = .notFound("route")
            case .contentTooLarge: self = APIError(.contentTooLarge, code: "PAYLOAD_TOO_LARGE", detail: "request body is larger than 1 MiB")
            case .methodNotAllowed: self = APIError(.methodNotAllowed, code: "METHOD_NOT_ALLOWED", detail: "method not allowed on this route")
            case .badRequest: self = APIError(.badRequest, code: "MALFORMED_REQUEST", detail: "request could not be read")
            case .unauthorized: self = .unauthorized()
            default: self = APIError(error.status, code: "HTTP_\(error.status.code)", detail: error.status.reasonPhrase)
            }
        case is DatabaseUnavailable:
            self = .unavailable("the database is unreachable; try again shortly", retryAfter: 5)
        // PostgreSQL text cannot hold a NUL character: a field that slipped past its own check
        // is still the client's input, refused with nothing written (the transaction failed).
        case let error where ["22021", "22P05"].contains(PostgresErrorDescription.sqlState(of: error) ?? ""):
            self = APIError(.unprocessableContent, code: "VALIDATION_ERROR", detail: "text must not contain NUL characters")
        default:
            self = APIError(
                .internalServerError, code: "INTERNAL_ERROR", detail: "something went wrong on our side; the request id identifies it in our logs")
        }
    }

    private static func mapping(decoding error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            return .validation(fieldPath(context.codingPath + [key]), "is required")
        case .valueNotFound(_, let context):
            return .validation(fieldPath(context.codingPath), "must not be null")
        case .typeMismatch(let type, let context):
            return .validation(fieldPath(context.codingPath), "must be \(describe(type))")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return .validation(fieldPath(context.codingPath), "is not valid")
        default:
            return APIError(.badRequest, code: "MALFORMED_JSON", detail: "request body is not valid JSON")
        }
    }

    /// `user.tenantName` → `user.tenant_name`, as the client wrote it.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        path.map { key in key.intValue.map(String.init) ?? snakeCase(key.stringValue) }.joined(separator: ".")
    }

    static func snakeCase(_ name: String) -> String {
        var out = ""
        for ch in name {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: "of a different type"
        }
    }
}

/// The body of every error response.
struct ErrorBody: Codable {
    let errorCode: String
    let detail: String
    let field: String?
    let requestId: String
    let timestamp: Date
}
