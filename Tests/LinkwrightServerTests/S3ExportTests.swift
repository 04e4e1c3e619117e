import AsyncHTTPClient
import Foundation
import HTTPTypes
import LinkwrightStore
import LinkwrightTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import LinkwrightServer

/// Exports to a real S3-compatible server (moto's, started by `ops/test`): a multipart upload
/// of several parts read back whole through its presigned link, an aborted upload leaving
/// nothing, and a job's export through the API handed out as a presigned link.
@Suite struct S3ExportTests {
    static let missing = "LINKWRIGHT_TEST_S3_URL is not set: ops/test starts moto's S3 server"

    static func storage() -> S3ExportStorage? {
        guard let url = ProcessInfo.processInfo.environment["LINKWRIGHT_TEST_S3_URL"] else { return nil }
        return S3ExportStorage(
            configuration: .init(endpoint: url, region: "us-east-1", bucket: "linkwright-exports", accessKey: "test", secretKey: "test-secret"))
    }

    static func get(_ url: String) async throws -> (status: Int, body: [UInt8]) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        return (Int(response.status.code), Array(buffer: try await response.body.collect(upTo: 64 << 20)))
    }

    @Test func aFileOfSeveralPartsIsUploadedAndReadBackThroughItsPresignedLink() async throws {
        let storage = try #require(Self.storage(), Comment(rawValue: Self.missing))
        let key = "t/\(UUID().uuidString).csv"
        let upload = try await storage.create(key: key, contentType: "text/csv")
        // 11 MiB in uneven pieces: two full 5 MiB parts and a last one of 1 MiB.
        var written: [UInt8] = []
        for index in 0..<11 {
            let piece = [UInt8](repeating: UInt8(ascii: "a") + UInt8(index), count: 1024 * 1024)
            written += piece
            try await upload.append(piece)
        }
        let location = try await upload.finish()
        let link = try #require(storage.presignedURL(location: location, filename: "results.csv", expires: Date().addingTimeInterval(600)))
        #expect(link.contains("X-Amz-Signature="))
        let read = try await Self.get(link)
        #expect(read.status == 200)
        #expect(read.body == written)
        try await storage.delete(location: location)
        #expect(try await Self.get(storage.configuration.endpoint + "/linkwright-exports/" + location).status == 404)
    }

    /// AWS's own example of a presigned GET (S3 documentation, "Authenticating Requests: Using
    /// Query Parameters"): the same inputs must give its signature, byte for byte. moto does not
    /// check presigned signatures, so this is what proves them.
    @Test func presignedLinksAreSignedExactlyAsAWSDocumentsIt() throws {
        let query = S3ExportStorage.presign(
            host: "examplebucket.s3.amazonaws.com", path: "/test.txt", region: "us-east-1", accessKey: "AKIAIOSFODNN7EXAMPLE",
            secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", now: Date(timeIntervalSince1970: 1_369_353_600), seconds: 86_400)
        #expect(query.contains("X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"), "\(query)")
        #expect(query.contains("X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"))
    }

    @Test func anAbortedUploadLeavesNoFile() async throws {
        let storage = try #require(Self.storage(), Comment(rawValue: Self.missing))
        let key = "t/\(UUID().uuidString).json"
        let upload = try await storage.create(key: key, contentType: "application/json")
        try await upload.append(Array(#"{"results":{"#.utf8))
        await upload.abort()
        #expect(try await Self.get(storage.configuration.endpoint + "/linkwright-exports/" + key).status == 404)
    }

    @Test func aJobExportedToS3IsHandedOutAsAPresignedLink() async throws {
        let storage = try #require(Self.storage(), Comment(rawValue: Self.missing))
        try await TestSiteFarm.run { farm in
            let domains = ProspectingTests.sites(farm, prefix: "s3-", count: 3)
            try await TestApp.run(workers: ProspectingTests.workers, engines: ProspectingTests.engines(farm), exportStorage: storage) {
                api, database in
                let owner = try await api.signup()
                let created = try await api.call(
                    .post, "/api/v1/prospecting/jobs", json: ["name": "To S3", "domains": domains, "keywords": ["widgets"], "mode": "free-only"],
                    token: owner.accessToken)
                let id = try #require((created["job"] as? [String: Any])?["id"] as? String)
                #expect(try await ProspectingTests.waitForState(database, job: id, ["completed"]) == "completed")
                let started = try await api.call(.post, "/api/v1/prospecting/jobs/\(id)/exports", json: ["format": "csv"], token: owner.accessToken)
                let export = try await ProspectingTests.waitForExport(api, token: owner.accessToken, job: id, export: started.string("id")!)
                #expect(export.string("state") == "ready", "\(export.text)")
                let link = try #require(export.string("download_url"))
                #expect(link.hasPrefix(ProcessInfo.processInfo.environment["LINKWRIGHT_TEST_S3_URL"]!))
                let file = try await Self.get(link)
                #expect(file.status == 200)
                let lines = String(decoding: file.body, as: UTF8.self).split(separator: "\r\n")
                #expect(lines.count == 1 + 3 * 3, "a header and a row per page")
            }
        }
    }
}
