import Foundation
import HTTPTypes
import JWTKit
import LinkwrightCore
@testable import LinkwrightServer
import Testing

@Suite struct AccessTokenTests {
    /// Signs arbitrary claims with the test secret and our key id.
    func forge(_ claims: AccessClaims, secret: String = TestApp.jwtSecret) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: AccessTokens.keyID))
        return try await keys.sign(claims, kid: JWKIdentifier(string: AccessTokens.keyID))
    }

    func claims(
        _ session: Session, exp: Date = Date().addingTimeInterval(600), aud: String = AccessTokens.audience, iss: String = AccessTokens.issuer
    ) -> AccessClaims {
        AccessClaims(
            iss: .init(value: iss), aud: .init(value: [aud]), sub: .init(value: session.userID), tid: session.tenantID,
            role: "owner", iat: .init(value: Date().addingTimeInterval(-1200)), exp: .init(value: exp), jti: .init(value: UUID().uuidString))
    }

    @Test func tokensThatAreNotExactlyOursAreRefused() async throws {
        try await TestApp.run { api, _ in
            let session = try await api.signup()
            let parts = session.accessToken.split(separator: ".").map(String.init)
            #expect(parts.count == 3)

            let noneHeader = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT","kid":"lw-hs256-1"}"#.utf8))
            let algNone = "\(noneHeader).\(parts[1])."
            var signature = Array(parts[2])
            signature[5] = signature[5] == "A" ? "B" : "A"
            let tampered = "\(parts[0]).\(parts[1]).\(String(signature))"
            let otherKey = try await AccessTokens(secret: "a-completely-different-secret-of-32-bytes")
                .issue(for: .user(tenantID: UUID(uuidString: session.tenantID)!, userID: UUID(uuidString: session.userID)!, role: .owner))
            let expired = try await forge(claims(session, exp: Date().addingTimeInterval(-60)))
            let wrongAudience = try await forge(claims(session, aud: "someone-else"))
            let wrongIssuer = try await forge(claims(session, iss: "someone-else"))
            let valid = try await forge(claims(session))

            #expect(try await api.call(.get, "/api/v1/me", token: valid).status == .ok, "the forging helper itself must be right")
            for (name, token) in [
                ("alg none", algNone), ("changed signature", tampered), ("another key", otherKey),
                ("expired", expired), ("wrong audience", wrongAudience), ("wrong issuer", wrongIssuer),
                ("not a JWT", "hello"),
            ] {
                let reply = try await api.call(.get, "/api/v1/me", token: token)
                #expect(reply.status == .unauthorized, "\(name) was accepted")
                #expect(reply.headers[.wwwAuthenticate] == "Bearer")
            }
            #expect(try await api.call(.get, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test func accessTokensCarryTheDocumentedClaims() async throws {
        try await TestApp.run { api, _ in
            let session = try await api.signup()
            let payload = try #require(Base64URL.decode(String(session.accessToken.split(separator: ".")[1])))
            let claims = try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
            for key in ["iss", "aud", "sub", "tid", "role", "iat", "exp", "jti"] { #expect(claims[key] != nil, "missing \(key)") }
            let iat = try #require(claims["iat"] as? Double)
            let exp = try #require(claims["exp"] as? Double)
            #expect(exp - iat == 900)
            #expect(claims["sub"] as? String == session.userID)
            #expect(claims["tid"] as? String == session.tenantID)
        }
    }
}
