import Foundation
import HTTPTypes
import Testing

/// Every tenant-scoped endpoint, called by another tenant with the first tenant's ids, answers
/// 404: the other tenant's rows do not exist for it.
@Suite struct TenantIsolationTests {
    @Test func anotherTenantGets404ForEveryTenantScopedId() async throws {
        try await TestApp.run { api, _ in
            let alpha = try await api.signup(tenant: "Alpha")
            let beta = try await api.signup(tenant: "Beta")
            let member = try await api.addUser(to: alpha, role: "member")
            let key = try await api.call(.post, "/api/v1/api-keys", json: ["name": "alpha key", "scopes": ["read"]], token: alpha.accessToken)
            let keyID = try #require(key.string("id"))

            let attempts: [(HTTPRequest.Method, String, [String: Any]?)] = [
                (.patch, "/api/v1/users/\(member.userID)", ["role": "admin"]),
                (.delete, "/api/v1/users/\(member.userID)", nil),
                (.delete, "/api/v1/api-keys/\(keyID)", nil),
            ]
            for (method, path, body) in attempts {
                let reply = try await api.call(method, path, json: body, token: beta.accessToken)
                #expect(reply.status == .notFound, "\(method) \(path) gave \(reply.status.code)")
            }
            // Nothing changed for alpha.
            let users = try await api.call(.get, "/api/v1/users", token: alpha.accessToken)
            #expect(users.items.first { $0["id"] as? String == member.userID }?["role"] as? String == "member")
            #expect(try await api.call(.get, "/api/v1/api-keys", token: alpha.accessToken).items.count == 1)
        }
    }

    @Test func listsShowOnlyTheCallersTenant() async throws {
        try await TestApp.run { api, _ in
            let alpha = try await api.signup(tenant: "Alpha")
            let beta = try await api.signup(tenant: "Beta")
            _ = try await api.call(.post, "/api/v1/api-keys", json: ["name": "alpha key", "scopes": ["read"]], token: alpha.accessToken)
            let users = try await api.call(.get, "/api/v1/users", token: beta.accessToken)
            #expect(users.items.compactMap { $0["email"] as? String } == [beta.email])
            #expect(try await api.call(.get, "/api/v1/api-keys", token: beta.accessToken).items.isEmpty)
            let audit = try await api.call(.get, "/api/v1/audit-log?limit=200", token: beta.accessToken)
            #expect(!audit.items.isEmpty)
            #expect(!audit.text.contains(alpha.tenantID))
            #expect(!audit.text.contains(alpha.email))
        }
    }
}
