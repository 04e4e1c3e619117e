import Foundation
import HTTPTypes
import Testing

@Suite struct UsersTests {
    @Test func ownersManageTheTeam() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let created = try await api.call(
                .post, "/api/v1/users", json: ["email": "Member@Example.test", "password": "member passphrase", "role": "member"],
                token: owner.accessToken)
            #expect(created.status == .created)
            #expect(created.string("email") == "member@example.test")
            let id = try #require(created.string("id"))

            let list = try await api.call(.get, "/api/v1/users", token: owner.accessToken)
            #expect(Set(list.items.compactMap { $0["email"] as? String }) == [owner.email, "member@example.test"])
            #expect(list.json.keys.contains("next_cursor"))

            let promoted = try await api.call(.patch, "/api/v1/users/\(id)", json: ["role": "admin"], token: owner.accessToken)
            #expect(promoted.status == .ok)
            #expect(promoted.string("role") == "admin")

            #expect(try await api.call(.delete, "/api/v1/users/\(id)", token: owner.accessToken).status == .noContent)
            #expect(try await api.call(.get, "/api/v1/users", token: owner.accessToken).items.count == 1)
            let login = try await api.call(.post, "/api/v1/auth/login", json: ["email": "member@example.test", "password": "member passphrase"])
            #expect(login.status == .unauthorized)
        }
    }

    @Test func membersGet403OnTeamManagement() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let member = try await api.addUser(to: owner, role: "member")
            #expect(try await api.call(.get, "/api/v1/users", token: member.accessToken).status == .forbidden)
            #expect(
                try await api.call(
                    .post, "/api/v1/users", json: ["email": "x@example.test", "password": "member passphrase", "role": "member"],
                    token: member.accessToken
                ).status == .forbidden)
            #expect(
                try await api.call(.patch, "/api/v1/users/\(member.userID)", json: ["role": "admin"], token: member.accessToken).status == .forbidden)
            #expect(try await api.call(.delete, "/api/v1/users/\(owner.userID)", token: member.accessToken).status == .forbidden)
            #expect(try await api.call(.get, "/api/v1/audit-log", token: member.accessToken).status == .forbidden)
        }
    }

    @Test func aDemotionTakesEffectOnTheNextRequestNotWhenTheTokenExpires() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let admin = try await api.addUser(to: owner, role: "admin")
            #expect(try await api.call(.get, "/api/v1/users", token: admin.accessToken).status == .ok)
            _ = try await api.call(.patch, "/api/v1/users/\(admin.userID)", json: ["role": "member"], token: owner.accessToken)
            #expect(try await api.call(.get, "/api/v1/users", token: admin.accessToken).status == .forbidden)
        }
    }

    @Test func theLastOwnerCannotBeDemotedOrRemoved() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let demote = try await api.call(.patch, "/api/v1/users/\(owner.userID)", json: ["role": "admin"], token: owner.accessToken)
            #expect(demote.status == .conflict)
            #expect(demote.string("error_code") == "LAST_OWNER")
            let remove = try await api.call(.delete, "/api/v1/users/\(owner.userID)", token: owner.accessToken)
            #expect(remove.status == .conflict)
            // With a second owner, the first may step down.
            let second = try await api.addUser(to: owner, role: "admin")
            #expect(try await api.call(.patch, "/api/v1/users/\(second.userID)", json: ["role": "owner"], token: owner.accessToken).status == .ok)
            #expect(try await api.call(.patch, "/api/v1/users/\(owner.userID)", json: ["role": "member"], token: owner.accessToken).status == .ok)
        }
    }

    @Test func twoOwnersDemotingEachOtherAtOnceLeaveOneOwner() async throws {
        try await TestApp.run { api, _ in
            let a = try await api.signup()
            let b = try await api.addUser(to: a, role: "admin")
            _ = try await api.call(.patch, "/api/v1/users/\(b.userID)", json: ["role": "owner"], token: a.accessToken)
            async let first = api.call(.patch, "/api/v1/users/\(b.userID)", json: ["role": "member"], token: a.accessToken)
            async let second = api.call(.patch, "/api/v1/users/\(a.userID)", json: ["role": "member"], token: b.accessToken)
            let statuses = try await [first.status, second.status]
            #expect(statuses.filter { $0 == .ok }.count <= 1)
            let owners = try await api.call(.get, "/api/v1/users", token: statuses[0] == .ok ? a.accessToken : b.accessToken)
                .items.filter { $0["role"] as? String == "owner" }
            #expect(owners.count == 1)
        }
    }

    @Test func adminsCannotCreateOrTouchOwners() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let admin = try await api.addUser(to: owner, role: "admin")
            let makeOwner = try await api.call(
                .post, "/api/v1/users", json: ["email": "o2@example.test", "password": "member passphrase", "role": "owner"], token: admin.accessToken
            )
            #expect(makeOwner.status == .unprocessableContent)
            #expect(makeOwner.string("field") == "role")
            #expect(
                try await api.call(.patch, "/api/v1/users/\(owner.userID)", json: ["role": "member"], token: admin.accessToken).status == .forbidden)
            #expect(try await api.call(.delete, "/api/v1/users/\(owner.userID)", token: admin.accessToken).status == .forbidden)
        }
    }

    @Test func userListsPage() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            for i in 0..<4 {
                _ = try await api.call(
                    .post, "/api/v1/users",
                    json: ["email": "u\(i)@\(owner.tenantID.prefix(8)).test", "password": "member passphrase", "role": "member"],
                    token: owner.accessToken)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.call(.get, "/api/v1/users?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: owner.accessToken)
                #expect(page.status == .ok)
                #expect(page.items.count <= 2)
                seen += page.items.compactMap { $0["id"] as? String }
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil
            #expect(seen.count == 5)
            #expect(Set(seen).count == 5)
            #expect(try await api.call(.get, "/api/v1/users?limit=0", token: owner.accessToken).string("field") == "limit")
            #expect(try await api.call(.get, "/api/v1/users?cursor=zzz", token: owner.accessToken).string("field") == "cursor")
        }
    }
}
