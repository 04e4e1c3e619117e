import Foundation
import HTTPTypes
import Testing

@Suite struct APIKeyTests {
    @Test func aKeyIsShownOnceAndThenAuthenticatesScripts() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let created = try await api.call(.post, "/api/v1/api-keys", json: ["name": "CI", "scopes": ["read", "write"]], token: owner.accessToken)
            #expect(created.status == .created)
            let key = try #require(created.string("key"))
            #expect(key.hasPrefix("lw_"))
            #expect(created.string("prefix") == String(key.prefix(11)))

            let me = try await api.call(.get, "/api/v1/me", token: key)
            #expect(me.status == .ok)
            #expect((me["user"] as? [String: Any])?["id"] as? String == owner.userID)
            #expect((me["api_key"] as? [String: Any])?["scopes"] as? [String] == ["read", "write"])

            let list = try await api.call(.get, "/api/v1/api-keys", token: owner.accessToken)
            #expect(list.items.count == 1)
            #expect(list.items[0]["key"] == nil)
            #expect(!list.text.contains(key))
            #expect(list.items[0]["last_used_at"] is String)
        }
    }

    @Test func aReadKeyGets403OnAnyWrite() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let key = try #require(
                try await api.call(.post, "/api/v1/api-keys", json: ["name": "reporting", "scopes": ["read"]], token: owner.accessToken).string("key")
            )
            #expect(try await api.call(.get, "/api/v1/me", token: key).status == .ok)
            let write = try await api.call(.post, "/api/v1/api-keys", json: ["name": "more", "scopes": ["read"]], token: key)
            #expect(write.status == .forbidden)
            #expect(try await api.call(.delete, "/api/v1/users/\(owner.userID)", token: key).status == .forbidden)
        }
    }

    @Test func aRevokedKeyStopsWorkingAtOnce() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let created = try await api.call(.post, "/api/v1/api-keys", json: ["name": "temp", "scopes": ["read"]], token: owner.accessToken)
            let key = try #require(created.string("key"))
            let id = try #require(created.string("id"))
            #expect(try await api.call(.get, "/api/v1/me", token: key).status == .ok)
            #expect(try await api.call(.delete, "/api/v1/api-keys/\(id)", token: owner.accessToken).status == .noContent)
            #expect(try await api.call(.get, "/api/v1/me", token: key).status == .unauthorized)
            #expect(try await api.call(.get, "/api/v1/api-keys", token: owner.accessToken).items.isEmpty)
            #expect(try await api.call(.delete, "/api/v1/api-keys/\(id)", token: owner.accessToken).status == .notFound)
        }
    }

    @Test func anExpiredKeyIsRefusedAndAPastExpiryIsInvalid() async throws {
        try await TestApp.run { api, database in
            let owner = try await api.signup()
            let past = try await api.call(
                .post, "/api/v1/api-keys", json: ["name": "old", "scopes": ["read"], "expires_at": "2020-01-01T00:00:00Z"], token: owner.accessToken)
            #expect(past.status == .unprocessableContent)
            #expect(past.string("field") == "expires_at")
            // Long enough for the first use on a loaded CI machine; the wait below ends just past it.
            let expiry = Date().addingTimeInterval(12)
            let soon = expiry.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            let created = try await api.call(
                .post, "/api/v1/api-keys", json: ["name": "brief", "scopes": ["read"], "expires_at": soon], token: owner.accessToken)
            #expect(created.status == .created)
            let key = try #require(created.string("key"))
            #expect(try await api.call(.get, "/api/v1/me", token: key).status == .ok)
            try await Task.sleep(for: .milliseconds(Int64(max(0, expiry.timeIntervalSinceNow + 0.5) * 1000)))
            #expect(try await api.call(.get, "/api/v1/me", token: key).status == .unauthorized)
        }
    }

    @Test func invalidKeyRequestsNameTheField() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            for (body, field) in [
                (["name": "", "scopes": ["read"]] as [String: Any], "name"),
                (["name": "x", "scopes": []], "scopes"),
                (["name": "x", "scopes": ["root"]], "scopes"),
                (["name": "x"], "scopes"),
                (["name": "x", "scopes": ["read"], "expires_at": "tomorrow"], "expires_at"),
            ] {
                let reply = try await api.call(.post, "/api/v1/api-keys", json: body, token: owner.accessToken)
                #expect(reply.status == .unprocessableContent, "\(body)")
                #expect(reply.string("field") == field, "\(body): \(reply.text)")
            }
            #expect(try await api.call(.get, "/api/v1/api-keys", token: owner.accessToken).items.isEmpty)
        }
    }

    @Test func membersHoldTheirOwnKeysButNotAdminScopeNorOthersKeys() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let member = try await api.addUser(to: owner, role: "member")
            let ownerKey = try await api.call(.post, "/api/v1/api-keys", json: ["name": "owner's", "scopes": ["admin"]], token: owner.accessToken)
            #expect(ownerKey.status == .created)
            #expect(
                try await api.call(.post, "/api/v1/api-keys", json: ["name": "mine", "scopes": ["admin"]], token: member.accessToken).status
                    == .forbidden)
            #expect(
                try await api.call(.post, "/api/v1/api-keys", json: ["name": "mine", "scopes": ["write"]], token: member.accessToken).status
                    == .created)
            let memberList = try await api.call(.get, "/api/v1/api-keys", token: member.accessToken)
            #expect(memberList.items.map { $0["name"] as? String } == ["mine"])
            #expect(try await api.call(.delete, "/api/v1/api-keys/\(ownerKey.string("id")!)", token: member.accessToken).status == .notFound)
            #expect(try await api.call(.get, "/api/v1/api-keys", token: owner.accessToken).items.count == 2)
        }
    }

    @Test func removingAUserRevokesTheKeysTheyCreated() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let member = try await api.addUser(to: owner, role: "member")
            let key = try #require(
                try await api.call(.post, "/api/v1/api-keys", json: ["name": "script", "scopes": ["read"]], token: member.accessToken).string("key"))
            #expect(try await api.call(.get, "/api/v1/me", token: key).status == .ok)
            #expect(try await api.call(.delete, "/api/v1/users/\(member.userID)", token: owner.accessToken).status == .noContent)
            #expect(try await api.call(.get, "/api/v1/me", token: key).status == .unauthorized)
            #expect(try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": member.refreshToken]).status == .unauthorized)
        }
    }
}
