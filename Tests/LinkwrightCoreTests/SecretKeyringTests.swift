import Foundation
import LinkwrightCore
import Testing

@Suite struct SecretKeyringTests {
    let tenant = UUID()
    let connection = UUID()
    var context: [UInt8] { SecretKeyring.context(tenantID: tenant, connectionID: connection) }

    @Test func aSealedSecretOpensAndReadsAsNothingLikeItself() throws {
        let keyring = try #require(SecretKeyring([.generate()]))
        let sealed = try keyring.seal("correct horse battery staple", boundTo: context)
        #expect(sealed.keyID == keyring.current.id)
        #expect(!String(decoding: sealed.bytes, as: UTF8.self).contains("horse"))
        #expect(try keyring.open(sealed, boundTo: context) == "correct horse battery staple")
        // A fresh nonce each time: the same secret never seals to the same bytes.
        #expect(try keyring.seal("correct horse battery staple", boundTo: context).bytes != sealed.bytes)
    }

    @Test func aSecretMovedToAnotherRowOrTamperedWithDoesNotOpen() throws {
        let keyring = try #require(SecretKeyring([.generate()]))
        let sealed = try keyring.seal("s3cret", boundTo: context)
        let elsewhere = SecretKeyring.context(tenantID: UUID(), connectionID: connection)
        #expect(throws: SecretKeyring.Failure.corrupt) { try keyring.open(sealed, boundTo: elsewhere) }
        var bytes = sealed.bytes
        bytes[bytes.count / 2] ^= 1
        #expect(throws: SecretKeyring.Failure.corrupt) { try keyring.open(.init(keyID: sealed.keyID, bytes: bytes), boundTo: context) }
    }

    @Test func oldKeysOpenTheNewOneSealsAndAnUnknownKeyIsNamed() throws {
        let old = SecretKeyring.Key.generate()
        let new = SecretKeyring.Key.generate()
        let sealedOld = try #require(SecretKeyring([old])).seal("before", boundTo: context)
        let rotating = try #require(SecretKeyring([new, old]))
        #expect(try rotating.open(sealedOld, boundTo: context) == "before")
        #expect(try rotating.seal("after", boundTo: context).keyID == new.id)
        let retired = try #require(SecretKeyring([new]))
        #expect(throws: SecretKeyring.Failure.unknownKey(old.id)) { try retired.open(sealedOld, boundTo: context) }
    }

    @Test func aKeyIsThirtyTwoBytesOfBase64AndItsIdFollowsFromIt() throws {
        let key = SecretKeyring.Key.generate()
        #expect(SecretKeyring.Key(base64: key.base64)?.id == key.id)
        #expect(key.id.count == 16)
        #expect(SecretKeyring.Key(base64: Data(repeating: 1, count: 16).base64EncodedString()) == nil)
        #expect(SecretKeyring.Key(base64: "not base64!") == nil)
        #expect(SecretKeyring([]) == nil)
    }
}
