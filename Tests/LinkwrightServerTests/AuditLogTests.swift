import Foundation
import HTTPTypes
import Testing

@Suite struct AuditLogTests {
    /// A NUL in a body or a path (which jsonb and text columns cannot hold) is still audited,
    /// with the NUL replaced; before, the entry was silently lost (found by schemathesis).
    @Test func aRequestCarryingANulIsStillAudited() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let refused = try await api.call(.post, "/api/v1/campaigns", token: owner.accessToken, body: #"{"name": "a\u0000b"}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(try await api.call(.delete, "/api/v1/campaigns/x%00y", token: owner.accessToken).status != .internalServerError)
            let log = try await api.call(.get, "/api/v1/audit-log", token: owner.accessToken)
            let entries = log.items.filter { ($0["action"] as? String)?.contains("campaigns") == true }
            let create = try #require(entries.first { $0["action"] as? String == "POST /api/v1/campaigns" }, "\(log.text)")
            #expect((create["details"] as? [String: Any])?["name"] as? String == "a\u{FFFD}b")
            // The path's id arrives as sent ("x%00y") or decoded; either way the entry is kept.
            #expect(log.items.contains { ($0["target_id"] as? String).map { $0.hasPrefix("x") && $0.hasSuffix("y") } == true }, "\(log.items)")
        }
    }

    @Test func mutatingRequestsAreRecordedWithSecretsRedacted() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let created = try await api.call(
                .post, "/api/v1/users", json: ["email": "new@example.test", "password": "member passphrase", "role": "member"],
                token: owner.accessToken)
            let userID = try #require(created.string("id"))
            let failed = try await api.call(.patch, "/api/v1/users/\(owner.userID)", json: ["role": "member"], token: owner.accessToken)
            #expect(failed.status == .conflict)

            let log = try await api.call(.get, "/api/v1/audit-log", token: owner.accessToken)
            #expect(log.status == .ok)
            #expect(!log.text.contains("member passphrase"))
            #expect(!log.text.contains("correct horse battery"))

            let create = try #require(log.items.first { $0["action"] as? String == "user.create" })
            #expect(create["target_id"] as? String == userID)
            #expect(create["actor_kind"] as? String == "user")
            #expect(create["actor_id"] as? String == owner.userID)
            #expect(create["outcome"] as? String == "success")
            #expect(create["status"] as? Int == 201)
            #expect(create["client_address"] as? String == "127.0.0.1")
            #expect((create["request_id"] as? String)?.count == 32)
            let details = try #require(create["details"] as? [String: Any])
            #expect(details["password"] as? String == "[REDACTED]")
            #expect(details["email"] as? String == "new@example.test")

            let refusal = try #require(log.items.first { $0["action"] as? String == "user.change_role" })
            #expect(refusal["outcome"] as? String == "failure")
            #expect(refusal["status"] as? Int == 409)
            #expect(refusal["target_id"] as? String == owner.userID)

            let signup = try #require(log.items.first { $0["action"] as? String == "auth.signup" })
            #expect(signup["target_id"] as? String == owner.tenantID)
            #expect((signup["details"] as? [String: Any])?["password"] as? String == "[REDACTED]")
        }
    }

    @Test func failedSignInsToARealAccountShowInItsTenantsLog() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            _ = try await api.call(.post, "/api/v1/auth/login", json: ["email": owner.email, "password": "a wrong guess here"])
            let log = try await api.call(.get, "/api/v1/audit-log", token: owner.accessToken)
            let attempt = try #require(log.items.first { $0["action"] as? String == "auth.login" })
            #expect(attempt["outcome"] as? String == "failure")
            #expect(attempt["status"] as? Int == 401)
            #expect(attempt["actor_kind"] as? String == "anonymous")
            #expect((attempt["details"] as? [String: Any])?["password"] as? String == "[REDACTED]")
        }
    }

    @Test func theRequestIdOfAResponseFindsItsAuditEntry() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let reply = try await api.call(.post, "/api/v1/api-keys", json: ["name": "trace me", "scopes": ["read"]], token: owner.accessToken)
            let requestID = try #require(reply.headers[HTTPField.Name("X-Request-Id")!])
            let log = try await api.call(.get, "/api/v1/audit-log", token: owner.accessToken)
            let entry = try #require(log.items.first { $0["request_id"] as? String == requestID })
            #expect(entry["action"] as? String == "api_key.create")
            #expect((entry["details"] as? [String: Any])?["name"] as? String == "trace me")
        }
    }

    @Test func theAuditLogPagesNewestFirst() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            for i in 0..<5 {
                _ = try await api.call(.post, "/api/v1/api-keys", json: ["name": "key \(i)", "scopes": ["read"]], token: owner.accessToken)
            }
            var times: [String] = []
            var ids: Set<String> = []
            var cursor: String?
            repeat {
                let page = try await api.call(.get, "/api/v1/audit-log?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: owner.accessToken)
                times += page.items.compactMap { $0["created_at"] as? String }
                ids.formUnion(page.items.compactMap { $0["id"] as? String })
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil
            #expect(ids.count == 6)  // sign-up and five keys
            #expect(times == times.sorted(by: >))
        }
    }
}
