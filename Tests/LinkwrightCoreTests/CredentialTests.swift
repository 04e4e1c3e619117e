import Foundation
import LinkwrightCore
import Testing

@Suite struct APIKeyTokenTests {
    @Test func generatedKeysParseBackAndHaveTheDocumentedShape() {
        let key = APIKeyToken.generate()
        #expect(key.value.hasPrefix("lw_"))
        #expect(key.value.count == 3 + 32 + 6)
        #expect(APIKeyToken(key.value) == key)
        #expect(key.displayPrefix == String(key.value.prefix(11)))
    }

    @Test func aMistypedKeyFailsItsChecksum() {
        let key = APIKeyToken.generate().value
        var chars = Array(key)
        chars[10] = chars[10] == "a" ? "b" : "a"
        #expect(APIKeyToken(String(chars)) == nil)
        #expect(APIKeyToken(String(key.dropLast())) == nil)
        #expect(APIKeyToken("lw_" + String(repeating: "!", count: 38)) == nil)
    }

    @Test func twoKeysNeverCollideAndHashesDiffer() {
        let a = APIKeyToken.generate()
        let b = APIKeyToken.generate()
        #expect(a != b)
        #expect(a.hash != b.hash)
        #expect(a.hash.count == 32)
    }
}

@Suite struct PasswordTests {
    @Test func lengthIsTheOnlyRule() {
        #expect(PasswordPolicy.problem(with: "elevenchars") != nil)
        #expect(PasswordPolicy.problem(with: "twelve chars") == nil)
        #expect(PasswordPolicy.problem(with: "aaaaaaaaaaaa") == nil)  // no composition rules
        #expect(PasswordPolicy.problem(with: String(repeating: "é", count: 1024)) == nil)
        #expect(PasswordPolicy.problem(with: String(repeating: "x", count: 1025)) != nil)
    }
}

@Suite struct AccountValueTests {
    @Test func emailsAreTrimmedAndLowerCased() {
        #expect(EmailAddress("  Ada@Example.COM ")?.value == "ada@example.com")
    }

    @Test(arguments: ["", "plain", "@example.com", "a@b", "a@@b.com", "a b@c.com", "a@.com", "a@b..com", "a@b.com."])
    func implausibleEmailsAreRefused(_ raw: String) {
        #expect(EmailAddress(raw) == nil)
    }

    @Test func slugsAreReadableAndURLSafe() {
        #expect(TenantSlug.make(from: "Acme SEO & Co. (Berlin)") == "acme-seo-co-berlin")
        #expect(TenantSlug.make(from: "日本") == "tenant")
        #expect(TenantSlug.withSuffix("acme").hasPrefix("acme-"))
    }

    @Test func cursorsRoundTripExactlyAndRejectGarbage() {
        let cursor = PageCursor(micros: 1_795_426_862_162_123, id: UUID())
        #expect(PageCursor(encoded: cursor.encoded) == cursor)
        #expect(PageCursor(encoded: "not-a-cursor") == nil)
    }

    @Test func refreshTokensRoundTripAndHashTheirSecret() {
        let token = OpaqueToken.generate()
        #expect(OpaqueToken(token.value) == token)
        #expect(OpaqueToken("nope") == nil)
        #expect(constantTimeEquals(token.secretHash, OpaqueToken(token.value)!.secretHash))
    }
}
