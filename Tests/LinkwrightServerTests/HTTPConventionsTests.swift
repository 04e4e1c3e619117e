import Foundation
import HTTPTypes
import Testing

@Suite struct HTTPConventionsTests {
    @Test func bodiesOver1MiBAreRefusedWith413() async throws {
        try await TestApp.run { api, _ in
            let big =
                #"{"email":"a@example.test","password":"correct horse battery","tenant_name":""# + String(repeating: "x", count: 1 << 20) + #""}"#
            let reply = try await api.call(.post, "/api/v1/auth/signup", body: big)
            #expect(reply.status == .contentTooLarge)
            #expect(reply.string("error_code") == "PAYLOAD_TOO_LARGE")
            #expect(
                try await api.call(.post, "/api/v1/auth/login", json: ["email": "a@example.test", "password": "correct horse battery"]).status
                    == .unauthorized)
        }
    }

    @Test func malformedJSONIs400InTheErrorShape() async throws {
        try await TestApp.run { api, _ in
            let reply = try await api.call(.post, "/api/v1/auth/signup", body: #"{"email": "a@example.test", "#)
            #expect(reply.status == .badRequest)
            #expect(reply.string("error_code") == "MALFORMED_JSON")
            for key in ["error_code", "detail", "request_id", "timestamp"] { #expect(reply.json[key] != nil) }
        }
    }

    @Test func everyResponseCarriesARequestId() async throws {
        try await TestApp.run { api, _ in
            for (method, path) in [
                (HTTPRequest.Method.get, "/healthz"), (.get, "/api/v1/me"), (.get, "/api/v1/nowhere"), (.post, "/api/v1/auth/login"),
            ] {
                let reply = try await api.call(method, path, body: "{}")
                let id = reply.headers[HTTPField.Name("X-Request-Id")!]
                #expect(id?.count == 32, "\(path)")
            }
        }
    }

    @Test func unknownAPIPathsAreJSON404s() async throws {
        try await TestApp.run { api, _ in
            let reply = try await api.call(.get, "/api/v1/no/such/thing")
            #expect(reply.status == .notFound)
            #expect(reply.string("error_code") == "NOT_FOUND")
            #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    @Test func aMalformedIdInThePathIs404() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            #expect(try await api.call(.delete, "/api/v1/users/not-a-uuid", token: owner.accessToken).status == .notFound)
        }
    }
}

@Suite struct NulCharacterTests {
    /// PostgreSQL text cannot hold NUL: a body carrying one is the client's mistake, a 422, and
    /// nothing is written — whether the field checks for it itself or the database refuses it.
    @Test func aNulInATextFieldIsA422NeverA500() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            var campaign = CampaignTests.valid
            campaign["anchor_texts"] = ["best\u{0}shoes"]
            let anchors = try await api.call(.post, "/api/v1/campaigns", json: campaign, token: owner.accessToken)
            #expect(anchors.status == .unprocessableContent && anchors.string("field") == "anchor_texts")
            let key = try await api.call(.post, "/api/v1/api-keys", json: ["name": "ci\u{0}key", "scopes": ["read"]], token: owner.accessToken)
            #expect(key.status == .unprocessableContent, "\(key.text)")
            #expect(try await api.call(.get, "/api/v1/campaigns", token: owner.accessToken).items.isEmpty)
            #expect(try await api.call(.get, "/api/v1/api-keys", token: owner.accessToken).items.isEmpty)
        }
    }
}
