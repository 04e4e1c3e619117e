import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightStore
import LinkwrightTestSupport
import PostgresNIO
import Testing

@Suite struct ConnectionsTests {
    static let secret = "abcd efgh ijkl mnop"

    static func wordpress(_ extra: [String: Any] = [:]) -> [String: Any] {
        [
            "platform": "wordpress", "base_url": "https://blog.client.example", "username": "editor", "secret": secret,
            "label": "Client blog", "owned": true,
        ].merging(extra) { $1 }
    }

    /// The whole `connections` table as text, every column of every row.
    static func rawTable(_ database: Database) async throws -> String {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                "SELECT coalesce(string_agg(row_to_json(c)::text || encode(coalesce(secret_sealed, ''), 'escape'), ' '), '') FROM connections c",
                logger: TestDatabase.logger)
            for try await text in rows.decode(String.self) { return text }
            return ""
        }
    }

    @Test func theSecretIsNeverReturnedOnlyItsLastFourCharacters() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let created = try await api.call(.post, "/api/v1/connections", json: Self.wordpress(), token: owner.accessToken)
            #expect(created.status == .created)
            #expect(created.string("secret_hint") == "mnop")
            #expect(created["has_secret"] as? Bool == true)
            #expect(created.string("state") == "active")
            #expect(created.string("base_url") == "https://blog.client.example/")
            let id = try #require(created.string("id"))
            for reply in [
                created, try await api.call(.get, "/api/v1/connections", token: owner.accessToken),
                try await api.call(.get, "/api/v1/connections/\(id)", token: owner.accessToken),
                try await api.call(.patch, "/api/v1/connections/\(id)", json: ["label": "Renamed"], token: owner.accessToken),
            ] {
                #expect(reply.status.code < 300)
                #expect(!reply.text.contains(Self.secret))
                #expect(!reply.text.contains("\"secret\""))
            }
        }
    }

    @Test func aDatabaseDumpAloneRevealsNoSecretAndTheAuditLogRedactsIt() async throws {
        try await TestApp.run { api, database in
            let owner = try await api.signup()
            let id = try #require(
                try await api.call(.post, "/api/v1/connections", json: Self.wordpress(), token: owner.accessToken).string("id"))
            #expect(
                try await api.call(
                    .patch, "/api/v1/connections/\(id)", json: ["secret": "a brand new application password"], token: owner.accessToken
                )
                .status == .ok)
            let raw = try await Self.rawTable(database)
            #expect(raw.contains("editor"), "the dump was read")
            #expect(!raw.contains(Self.secret) && !raw.contains("brand new application password"))

            let audit = try await api.call(.get, "/api/v1/audit-log", token: owner.accessToken)
            #expect(audit.text.contains("connection.create") && audit.text.contains("connection.update"))
            #expect(audit.text.contains("[REDACTED]"))
            #expect(!audit.text.contains(Self.secret) && !audit.text.contains("brand new application password"))
        }
    }

    @Test func enginesOpenTheSecretAndMarkAFailingConnectionThatAPersonRepairs() async throws {
        try await TestApp.run { api, database in
            let owner = try await api.signup()
            let id = try #require(
                try await api.call(.post, "/api/v1/connections", json: Self.wordpress(), token: owner.accessToken).string("id"))
            let repository = ConnectionRepository(database: database, secrets: TestApp.secretKeys)
            let tenant = try #require(UUID(uuidString: owner.tenantID))
            let connection = try #require(UUID(uuidString: id))
            #expect(try await repository.credentials(tenantID: tenant, id: connection)?.1 == Self.secret)

            try await repository.markFailing(tenantID: tenant, id: connection, reason: "the application password was revoked — reconnect")
            let failing = try await api.call(.get, "/api/v1/connections/\(id)", token: owner.accessToken)
            #expect(failing.string("state") == "failing")
            #expect(failing.string("last_error") == "the application password was revoked — reconnect")
            #expect(
                try await repository.choose(tenantID: tenant, platforms: [.wordpress], ownedOnly: false, spreadKey: "slot") == nil,
                "a failing connection is not used")
            #expect(
                try await api.call(.get, "/api/v1/connections?state=failing", token: owner.accessToken).items.count == 1)

            let repaired = try await api.call(
                .patch, "/api/v1/connections/\(id)", json: ["secret": "the new application password"], token: owner.accessToken)
            #expect(repaired.string("state") == "active")
            #expect(repaired["last_error"] is NSNull)
            #expect(repaired.string("secret_hint") == "word")
            #expect(try await repository.credentials(tenantID: tenant, id: connection)?.1 == "the new application password")
            #expect(try await repository.choose(tenantID: tenant, platforms: [.wordpress], ownedOnly: false, spreadKey: "slot") == connection)

            let disabled = try await api.call(.patch, "/api/v1/connections/\(id)", json: ["state": "disabled"], token: owner.accessToken)
            #expect(disabled.string("state") == "disabled")
            #expect(try await repository.credentials(tenantID: tenant, id: connection) == nil, "a disabled connection is not used")
        }
    }

    @Test func everyWrongFieldIsNamedAndNothingIsWritten() async throws {
        try await TestApp.run { api, database in
            let owner = try await api.signup()
            let cases: [([String: Any], String)] = [
                (Self.wordpress(["platform": "myspace"]), "platform"),
                (Self.wordpress(["secret": NSNull()]).filter { $0.key != "secret" }, "secret"),
                (Self.wordpress(["base_url": "ftp://blog.client.example"]), "base_url"),
                (Self.wordpress(["username": ""]), "username"),
                (Self.wordpress(["secret": ""]), "secret"),
                (Self.wordpress(["secret": String(repeating: "x", count: 4097)]), "secret"),
                (Self.wordpress(["email": "editor@client.example"]), "email"),
                (["platform": "commenter", "base_url": "https://client.example", "username": "Ann"], "email"),
                (
                    ["platform": "commenter", "base_url": "https://client.example", "username": "Ann", "email": "ann@client.example", "secret": "x"],
                    "secret"
                ),
                (
                    ["platform": "commenter", "base_url": "https://client.example", "username": "Ann", "email": "ann@client.example", "owned": true],
                    "owned"
                ),
                (Self.wordpress(["action_limits": ["publish": ["per_hour": 21, "per_day": 30]]]), "action_limits"),
                (Self.wordpress(["action_limits": ["publish": ["per_hour": 5, "per_day": 0]]]), "action_limits"),
                (Self.wordpress(["action_limits": ["publish": ["per_hour": 9, "per_day": 8]]]), "action_limits"),
                (Self.wordpress(["action_limits": ["publish": ["per_hour": 5]]]), "action_limits"),
                (Self.wordpress(["action_limits": ["comment": ["per_hour": 5, "per_day": 9]]]), "action_limits"),
            ]
            for (body, field) in cases {
                let reply = try await api.call(.post, "/api/v1/connections", json: body, token: owner.accessToken)
                #expect(reply.status == .unprocessableContent, "\(body)")
                #expect(reply.string("field") == field, "\(body): \(reply.text)")
            }
            #expect(try await Self.rawTable(database).isEmpty)

            let commenter = try await api.call(
                .post, "/api/v1/connections",
                json: ["platform": "commenter", "base_url": "https://client.example", "username": "Ann Lee", "email": "Ann@Client.example"],
                token: owner.accessToken)
            #expect(commenter.status == .created)
            #expect(commenter["has_secret"] as? Bool == false)
            #expect(
                (commenter["action_limits"] as? [String: [String: Int]]) == ["comment": ["per_hour": 10, "per_day": 30]],
                "the platform's defaults")
            #expect(commenter.string("email") == "ann@client.example")

            let id = try #require(
                try await api.call(.post, "/api/v1/connections", json: Self.wordpress(), token: owner.accessToken).string("id"))
            let again = try await api.call(.post, "/api/v1/connections", json: Self.wordpress(), token: owner.accessToken)
            #expect(again.status == .conflict)
            #expect(again.string("error_code") == "ALREADY_CONNECTED")
            let failing = try await api.call(.patch, "/api/v1/connections/\(id)", json: ["state": "failing", "label": "x"], token: owner.accessToken)
            #expect(failing.string("field") == "state", "only engines set failing")
            let platform = try await api.call(.patch, "/api/v1/connections/\(id)", json: ["platform": "mastodon"], token: owner.accessToken)
            #expect(platform.string("field") == "platform")
            #expect(try await api.call(.get, "/api/v1/connections/\(id)", token: owner.accessToken).string("label") == "Client blog")
        }
    }

    @Test func anotherTenantGets404ForEveryConnectionRoute() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup(tenant: "Owner Agency")
            let other = try await api.signup(tenant: "Other Agency")
            let id = try #require(
                try await api.call(.post, "/api/v1/connections", json: Self.wordpress(), token: owner.accessToken).string("id"))
            #expect(try await api.call(.get, "/api/v1/connections/\(id)", token: other.accessToken).status == .notFound)
            #expect(try await api.call(.patch, "/api/v1/connections/\(id)", json: ["label": "mine"], token: other.accessToken).status == .notFound)
            #expect(try await api.call(.delete, "/api/v1/connections/\(id)", token: other.accessToken).status == .notFound)
            #expect(try await api.call(.get, "/api/v1/connections/\(id)/limits", token: other.accessToken).status == .notFound)
            #expect(try await api.call(.get, "/api/v1/connections", token: other.accessToken).items.isEmpty)
            #expect(try await api.call(.get, "/api/v1/connections/\(id)", token: owner.accessToken).string("label") == "Client blog")
            #expect(try await api.call(.delete, "/api/v1/connections/\(id)", token: owner.accessToken).status == .noContent)
            #expect(try await api.call(.get, "/api/v1/connections/\(id)", token: owner.accessToken).status == .notFound)
        }
    }

    @Test func listsArePagedAndFiltered() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            for n in 0..<5 {
                let reply = try await api.call(
                    .post, "/api/v1/connections", json: Self.wordpress(["username": "editor\(n)"]), token: owner.accessToken)
                #expect(reply.status == .created)
            }
            _ = try await api.call(
                .post, "/api/v1/connections",
                json: ["platform": "mastodon", "base_url": "https://mastodon.example", "username": "client", "secret": "token-1234567890"],
                token: owner.accessToken)
            let first = try await api.call(.get, "/api/v1/connections?limit=4", token: owner.accessToken)
            #expect(first.items.count == 4)
            let cursor = try #require(first.string("next_cursor"))
            let second = try await api.call(.get, "/api/v1/connections?limit=4&cursor=\(cursor)", token: owner.accessToken)
            #expect(second.items.count == 2)
            #expect(second["next_cursor"] is NSNull)
            #expect(try await api.call(.get, "/api/v1/connections?platform=mastodon", token: owner.accessToken).items.count == 1)
            #expect(try await api.call(.get, "/api/v1/connections?platform=myspace", token: owner.accessToken).string("field") == "platform")
        }
    }

    /// The key file of the embedded default, rotated as `linkwright admin rotate-secret-key` does,
    /// while the server keeps serving and sealing: every secret opens afterwards, all under the
    /// new key, and the old key is gone from the file.
    @Test func keyRotationWithTheServerRunningLosesNoSecret() async throws {
        let dir = try TestDatabase.temporaryDirectory("lw-keys")
        defer { try? FileManager.default.removeItem(at: dir) }
        let secrets = try SecretKeys.resolve(configured: nil, dataDirectory: dir)
        let file = try #require(secrets.keyFile)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let oldKey = secrets.forSealing().current.id

        try await TestApp.run(secrets: secrets) { api, database in
            let owner = try await api.signup()
            let tenant = try #require(UUID(uuidString: owner.tenantID))
            var expected: [UUID: String] = [:]
            for n in 0..<30 {
                let secret = "application password \(n)"
                let id = try #require(
                    try await api.call(
                        .post, "/api/v1/connections", json: Self.wordpress(["username": "u\(n)", "secret": secret]), token: owner.accessToken
                    )
                    .string("id"))
                expected[UUID(uuidString: id)!] = secret
            }

            // Another process (the CLI) rotates: its own view of the file, its own pool.
            let cli = try SecretKeys.resolve(configured: nil, dataDirectory: dir)
            let newKey = SecretKeyring.Key.generate()
            try SecretKeyFile.write([newKey] + SecretKeyFile.keys(file), to: file)
            // The server seals under the new key at once, while rotation is under way.
            let during = try #require(
                try await api.call(
                    .post, "/api/v1/connections", json: Self.wordpress(["username": "during", "secret": "sealed during"]), token: owner.accessToken
                )
                .string("id"))
            expected[UUID(uuidString: during)!] = "sealed during"
            let rotation = SecretRotation(database: database, secrets: cli)
            #expect(try await rotation.remaining() == 30)
            let count = try await rotation.resealAll(batchSize: 7)
            #expect(count == 30)
            try SecretKeyFile.write([newKey], to: file)

            let repository = ConnectionRepository(database: database, secrets: secrets)
            for (id, secret) in expected {
                #expect(try await repository.credentials(tenantID: tenant, id: id)?.1 == secret)
            }
            let keyIDs = try await database.withSystem { connection in
                var ids: Set<String> = []
                for try await id in try await connection.query("SELECT DISTINCT secret_key_id FROM connections", logger: TestDatabase.logger)
                    .decode(String.self)
                { ids.insert(id) }
                return ids
            }
            #expect(keyIDs == [newKey.id])
            #expect(try SecretKeyFile.keys(file).map(\.id) == [newKey.id])
            #expect(oldKey != newKey.id)
        }
    }
}
