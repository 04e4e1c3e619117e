import LinkwrightStore
import Testing

@Suite struct DatabaseEndpointTests {
    @Test func urlsNameHostPortUserPasswordDatabaseAndTLS() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://app%40corp:p%2Fss@db.internal:6543/linkwright?sslmode=require")
        #expect(endpoint.transport == .tcp(host: "db.internal", port: 6543))
        #expect(endpoint.username == "app@corp")
        #expect(endpoint.password == "p/ss")
        #expect(endpoint.database == "linkwright")
        #expect(endpoint.tls == .require)
        #expect(!endpoint.description.contains("p/ss"), "the password must never be logged")
    }

    @Test func aSocketDirectoryAndDefaultsAreUnderstood() throws {
        let endpoint = try DatabaseEndpoint(url: "postgresql://postgres@localhost/?host=/var/run/postgresql")
        #expect(endpoint.transport == .unixSocket(path: "/var/run/postgresql/.s.PGSQL.5432"))
        #expect(endpoint.database == "postgres")
        #expect(endpoint.tls == .disable)
    }

    @Test(arguments: ["mysql://u@h/db", "postgres://h/db", "not a url", "postgres://u@h/db?sslmode=bogus"])
    func unusableURLsAreRefusedWithAReason(_ url: String) {
        #expect(throws: DatabaseEndpoint.InvalidURL.self) { try DatabaseEndpoint(url: url) }
    }
}
