import Foundation
import HTTPTypes
import Testing

@Suite struct WebAppTests {
    @Test func theAppIsServedWithItsTypeAnETagAndStrictSecurityHeaders() async throws {
        try await TestApp.run { api, _ in
            let page = try await api.call(.get, "/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains(#"<script type="module" src="/app.js"></script>"#))
            #expect(page.headers[.cacheControl] == "no-cache")
            let csp = try #require(page.headers[.contentSecurityPolicy])
            #expect(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")

            let etag = try #require(page.headers[.eTag])
            let again = try await api.call(.get, "/", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.text.isEmpty)

            #expect(try await api.call(.get, "/app.js").headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(try await api.call(.get, "/styles.css").headers[.contentType] == "text/css; charset=utf-8")
            #expect(try await api.call(.get, "/api/v1/openapi.json").headers[.contentSecurityPolicy] != nil, "API responses carry them too")
        }
    }

    @Test func appPathsFallBackToTheAppAndAPIPathsStayJSON404s() async throws {
        try await TestApp.run { api, _ in
            let route = try await api.call(.get, "/campaigns/some-id")
            #expect(route.status == .ok && route.text.contains("<title>Linkwright</title>"))
            #expect(try await api.call(.get, "/missing.js").status == .notFound, "a broken asset link is not the app")
            let unknown = try await api.call(.get, "/api/v1/no-such-thing")
            #expect(unknown.status == .notFound && unknown.string("error_code") == "NOT_FOUND")
            #expect(unknown.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    @Test func theBrowserKeepsItsRefreshTokenInAnHttpOnlyCookieOnly() async throws {
        try await TestApp.run { api, _ in
            let email = "cookie-\(UUID().uuidString.prefix(6))@example.test"
            let signup = try await api.call(
                .post, "/api/v1/auth/signup",
                json: [
                    "email": email, "password": "correct horse battery", "tenant_name": "Cookies", "use_cookie": true,
                ])
            #expect(signup.status == .created)
            #expect(signup["refresh_token"] == nil, "a script on the page never sees the refresh token")
            let cookie = try #require(signup.headers[.setCookie])
            for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] { #expect(cookie.contains(part), "\(part)") }
            let value = try #require(cookie.split(separator: ";").first.map(String.init))

            let refreshed = try await api.call(.post, "/api/v1/auth/refresh", json: [:], headers: [.cookie: value])
            #expect(refreshed.status == .ok && refreshed.string("access_token") != nil)
            let rotated = try #require(refreshed.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            #expect(rotated != value)
            #expect(
                try await api.call(.post, "/api/v1/auth/refresh", json: [:], headers: [.cookie: value]).status == .unauthorized,
                "the old cookie is spent")

            let out = try await api.call(.post, "/api/v1/auth/logout", json: [:], headers: [.cookie: rotated])
            #expect(out.status == .noContent && out.headers[.setCookie]?.contains("Max-Age=0") == true)

            // Scripts keep using the JSON body, as before.
            let login = try await api.call(.post, "/api/v1/auth/login", json: ["email": email, "password": "correct horse battery"])
            #expect(login.string("refresh_token") != nil && login.headers[.setCookie] == nil)
        }
    }
}
