import Foundation
import HTTPTypes
import LinkwrightServer
import Testing

@Suite struct AuthTests {
    @Test func signupCreatesTheTenantItsOwnerAndASession() async throws {
        try await TestApp.run { api, _ in
            let reply = try await api.call(
                .post, "/api/v1/auth/signup",
                json: [
                    "email": "Founder@Example.test", "password": "correct horse battery", "tenant_name": "Acme SEO",
                ])
            #expect(reply.status == .created)
            let tenant = reply["tenant"] as? [String: Any]
            let user = reply["user"] as? [String: Any]
            #expect(tenant?["name"] as? String == "Acme SEO")
            #expect(tenant?["slug"] as? String == "acme-seo")
            #expect(user?["email"] as? String == "founder@example.test")
            #expect(user?["role"] as? String == "owner")
            #expect(reply.string("token_type") == "Bearer")
            #expect(reply["expires_in"] as? Int == 900)
            let me = try await api.call(.get, "/api/v1/me", token: reply.string("access_token"))
            #expect(me.status == .ok)
            #expect(me.string("role") == "owner")
            #expect((me["tenant"] as? [String: Any])?["id"] as? String == tenant?["id"] as? String)
        }
    }

    @Test func aDuplicateEmailIsRefusedWith409EvenInAnotherCase() async throws {
        try await TestApp.run { api, _ in
            let first = try await api.signup()
            let again = try await api.call(
                .post, "/api/v1/auth/signup",
                json: [
                    "email": first.email.uppercased(), "password": "correct horse battery", "tenant_name": "Other",
                ])
            #expect(again.status == .conflict)
            #expect(again.string("error_code") == "EMAIL_TAKEN")
            #expect(again.string("field") == "email")
        }
    }

    @Test(
        arguments: [
            (["email": "not-an-email", "password": "correct horse battery", "tenant_name": "A"], "email"),
            (["email": "a@example.test", "password": "too short", "tenant_name": "A"], "password"),
            (["email": "a@example.test", "password": "correct horse battery", "tenant_name": "   "], "tenant_name"),
            (["email": "a@example.test", "password": "correct horse battery"], "tenant_name"),
            (["email": "a@example.test", "password": 12, "tenant_name": "A"], "password"),
        ] as [([String: any Sendable], String)])
    func invalidSignupsNameTheFieldAndCreateNothing(_ body: [String: any Sendable], field: String) async throws {
        try await TestApp.run { api, _ in
            let reply = try await api.call(.post, "/api/v1/auth/signup", json: body)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.string("error_code") == "VALIDATION_ERROR")
            #expect(reply.string("field") == field)
            #expect(reply.string("request_id") == reply.headers[.init("X-Request-Id")!])
            #expect(reply.string("timestamp") != nil)
            let login = try await api.call(.post, "/api/v1/auth/login", json: ["email": "a@example.test", "password": "correct horse battery"])
            #expect(login.status == .unauthorized)
        }
    }

    @Test func aWrongPasswordAndAnUnknownEmailGetTheSame401() async throws {
        try await TestApp.run { api, _ in
            let session = try await api.signup()
            let wrongPassword = try await api.call(.post, "/api/v1/auth/login", json: ["email": session.email, "password": "wrong horse battery"])
            let unknownEmail = try await api.call(
                .post, "/api/v1/auth/login", json: ["email": "nobody@example.test", "password": "wrong horse battery"])
            #expect(wrongPassword.status == .unauthorized)
            #expect(unknownEmail.status == .unauthorized)
            #expect(wrongPassword.string("detail") == unknownEmail.string("detail"))
            #expect(wrongPassword.string("error_code") == unknownEmail.string("error_code"))
            let right = try await api.call(.post, "/api/v1/auth/login", json: ["email": session.email.uppercased(), "password": session.password])
            #expect(right.status == .ok)
            #expect(right.string("access_token") != nil)
            #expect((right["user"] as? [String: Any])?["id"] as? String == session.userID)
        }
    }

    /// The first delay is a minute here, not the default second, so a loaded machine cannot let
    /// it pass between the last failure and the next attempt.
    static let patientThrottle = {
        var policy = LoginThrottle.Policy()
        policy.firstDelay = .seconds(60)
        return policy
    }()

    @Test func repeatedFailuresForOneAccountAreSlowedDownWithRetryAfter() async throws {
        try await TestApp.run(loginThrottle: Self.patientThrottle) { api, _ in
            let session = try await api.signup()
            for _ in 0..<5 {
                let reply = try await api.call(.post, "/api/v1/auth/login", json: ["email": session.email, "password": "wrong horse battery"])
                #expect(reply.status == .unauthorized)
            }
            // Even the right password waits: the throttle is checked before the password.
            let right = try await api.call(.post, "/api/v1/auth/login", json: ["email": session.email, "password": session.password])
            #expect(right.status == .tooManyRequests)
            #expect(right.string("error_code") == "RATE_LIMITED")
            #expect((50...61).contains(Int(right.headers[.retryAfter] ?? "") ?? 0), "about the first delay")
        }
    }

    @Test func repeatedFailuresFromOneAddressAreSlowedDownAcrossAccounts() async throws {
        try await TestApp.run(loginThrottle: Self.patientThrottle) { api, _ in
            let session = try await api.signup()
            // Twenty different guessed accounts from one address are allowed, the next is not,
            // not even for a real account with its right password.
            for i in 0..<20 {
                let reply = try await api.call(
                    .post, "/api/v1/auth/login", json: ["email": "guess\(i)@example.test", "password": "wrong horse battery"])
                #expect(reply.status == .unauthorized)
            }
            let throttled = try await api.call(.post, "/api/v1/auth/login", json: ["email": session.email, "password": session.password])
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] != nil)
        }
    }

    @Test func refreshRotatesThePairAndThePresentedTokenStopsWorking() async throws {
        try await TestApp.run { api, _ in
            let session = try await api.signup()
            let rotated = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": session.refreshToken])
            #expect(rotated.status == .ok)
            let next = try #require(rotated.string("refresh_token"))
            #expect(next != session.refreshToken)
            #expect(try await api.call(.get, "/api/v1/me", token: rotated.string("access_token")).status == .ok)
            let next2 = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": next])
            #expect(next2.status == .ok)
        }
    }

    @Test func refreshTokenReuseRevokesTheFamily() async throws {
        try await TestApp.run { api, _ in
            let session = try await api.signup()
            let first = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": session.refreshToken])
            let child = try #require(first.string("refresh_token"))
            // The old token again: someone copied it.
            let reuse = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": session.refreshToken])
            #expect(reuse.status == .unauthorized)
            // ...so its descendant is dead too.
            let descendant = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": child])
            #expect(descendant.status == .unauthorized)
            // Another sign-in of the same person is untouched.
            let other = try await api.call(.post, "/api/v1/auth/login", json: ["email": session.email, "password": session.password])
            let otherRefresh = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": other.string("refresh_token")!])
            #expect(otherRefresh.status == .ok)
        }
    }

    @Test func logoutEndsTheSession() async throws {
        try await TestApp.run { api, _ in
            let session = try await api.signup()
            let logout = try await api.call(.post, "/api/v1/auth/logout", json: ["refresh_token": session.refreshToken])
            #expect(logout.status == .noContent)
            let refresh = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": session.refreshToken])
            #expect(refresh.status == .unauthorized)
        }
    }

    @Test func garbageRefreshTokensAre401Not500() async throws {
        try await TestApp.run { api, _ in
            for token in ["", "abc", "\(UUID().uuidString).\(String(repeating: "a", count: 43))"] {
                let reply = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": token])
                #expect(reply.status == .unauthorized)
            }
        }
    }
}
