import Foundation
import Hummingbird
import LinkwrightStore
import Logging

/// Records every state-changing request in the audit log: who, what, on which target, from
/// where, and how it ended, including refusals (a 403 is exactly what an audit should show).
///
/// The request's JSON body is kept as `details` with every secret-bearing field replaced by
/// `[REDACTED]`; the body is read once here and handed on intact.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let audit: AuditRepository

    /// Field names that carry credentials. `keywords` or `idempotency_key` are not secrets, so
    /// `key` is matched as a whole name only.
    static func isSecret(_ field: String) -> Bool {
        let lower = field.lowercased()
        return ["password", "token", "secret"].contains { lower.contains($0) } || ["key", "api_key", "private_key"].contains(lower)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !request.method.isSafe else { return try await next(request, context) }
        var request = request
        var details = "{}"
        let status: Int
        do {
            // JSON bodies are read (they are small) and kept, redacted; anything else, such as a
            // CSV import of many megabytes, is left streaming to its handler and not recorded.
            if request.headers[.contentType]?.lowercased().hasPrefix("application/json") ?? true {
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                details = Self.redactedDetails(Data(body.readableBytesView))
            }
            let response = try await next(request, context)
            status = Int(response.status.code)
            await record(request, context: context, status: status, details: details)
            return response
        } catch {
            await record(request, context: context, status: Int(APIError(mapping: error).status.code), details: details)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, details: String) async {
        guard let route = context.routeTemplate else { return }  // no route: nothing happened to audit
        let values = context.state.values
        let actor = values.auditActor ?? values.principal
        let (kind, actorID): (AuditEntry.ActorKind, UUID?) =
            switch actor {
            case .user(_, let id, _)?: (.user, id)
            case .apiKey(_, let id, _, _)?: (.apiKey, id)
            case .operator(let id)?: (.operator, id)
            case nil: (.anonymous, nil)
            }
        let entry = AuditEntry(
            tenantID: values.auditTenantID ?? actor?.tenantID,
            actorKind: kind, actorID: actorID,
            action: values.auditAction ?? "\(request.method.rawValue) \(route)",
            targetID: (values.auditTargetID ?? context.parameters.get("id")).map(Self.storable),
            requestID: context.requestID, clientAddress: context.clientAddress,
            outcome: (200..<400).contains(status) ? .success : .failure, status: status, details: details)
        do {
            try await audit.record(entry)
        } catch {
            context.logger.error("audit entry could not be written", metadata: ["error": "\(error)", "action": "\(entry.action)"])
        }
    }

    /// Text PostgreSQL can store: NUL, which a path may carry as `%00`, becomes U+FFFD.
    static func storable(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
    }

    /// Top-level fields of a JSON object body, secrets redacted, long values shortened.
    static func redactedDetails(_ body: Data) -> String {
        guard !body.isEmpty, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return "{}" }
        var redacted: [String: Any] = [:]
        for (key, value) in object.prefix(50) {
            if isSecret(key) {
                redacted[key] = "[REDACTED]"
            } else if let text = value as? String {
                redacted[key] = text.count > 200 ? String(text.prefix(200)) + "…" : text
            } else if JSONSerialization.isValidJSONObject([value]) {
                redacted[key] = value
            }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: redacted, options: [.sortedKeys]) else { return "{}" }
        // PostgreSQL's jsonb cannot hold U+0000; one in a body must not cost the entry.
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\u0000", with: "\\ufffd")
    }
}
