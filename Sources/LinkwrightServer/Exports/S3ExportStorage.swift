import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// Export files in an S3-compatible store (AWS S3, MinIO, Ceph, moto): written with a multipart
/// upload (parts of at least 5 MiB, as S3 requires of every part but the last), handed out as
/// presigned GET links, removed with DELETE. Requests are signed with AWS Signature Version 4;
/// addresses are path-style (`endpoint/bucket/key`), which every S3-compatible store serves.
public struct S3ExportStorage: ExportStorage {
    public struct Configuration: Sendable {
        public var endpoint: String
        public var region: String
        public var bucket: String
        public var accessKey: String
        public var secretKey: String

        public init(endpoint: String, region: String, bucket: String, accessKey: String, secretKey: String) {
            var endpoint = endpoint
            while endpoint.hasSuffix("/") { endpoint.removeLast() }
            self.endpoint = endpoint
            self.region = region
            self.bucket = bucket
            self.accessKey = accessKey
            self.secretKey = secretKey
        }
    }

    public let kind = "s3"
    let configuration: Configuration
    let client: HTTPClient
    /// S3's smallest part but the last.
    static let partSize = 5 * 1024 * 1024

    public init(configuration: Configuration, client: HTTPClient = .shared) {
        self.configuration = configuration
        self.client = client
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public func create(key: String, contentType: String) async throws -> any ExportUpload {
        let answer = try await send("POST", key: key, query: ["uploads": ""], headers: [("Content-Type", contentType)])
        guard let uploadID = Self.element("UploadId", in: answer) else { throw Failure(description: "S3 gave no UploadId: \(answer.prefix(200))") }
        return MultipartUpload(storage: self, key: key, uploadID: uploadID)
    }

    public func delete(location: String) async throws {
        _ = try await send("DELETE", key: location, query: [:], allowing: [204, 404])
    }

    public func presignedURL(location: String, filename: String, expires: Date) -> String? {
        let now = Date()
        let query = Self.presign(
            host: host, path: "/\(configuration.bucket)/\(location)", region: configuration.region, accessKey: configuration.accessKey,
            secretKey: configuration.secretKey, now: now, seconds: Int(expires.timeIntervalSince(now)),
            extra: ["response-content-disposition": "attachment; filename=\"\(filename.replacingOccurrences(of: "\"", with: ""))\""])
        return configuration.endpoint + Self.encodePath("/\(configuration.bucket)/\(location)") + "?" + query
    }

    /// The query of a presigned GET of `path` on `host` (SigV4 "query string authentication"):
    /// valid for `seconds` (at most 7 days), signed over the host header only.
    static func presign(
        host: String, path: String, region: String, accessKey: String, secretKey: String, now: Date, seconds: Int, extra: [String: String] = [:]
    ) -> String {
        let (date, stamp) = timestamps(now)
        let scope = "\(date)/\(region)/s3/aws4_request"
        var query = extra.merging(
            [
                "X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": "\(accessKey)/\(scope)", "X-Amz-Date": stamp,
                "X-Amz-Expires": String(max(1, min(604_800, seconds))), "X-Amz-SignedHeaders": "host",
            ]
        ) { $1 }
        let canonical = ["GET", encodePath(path), canonicalQuery(query), "host:\(host)\n", "host", "UNSIGNED-PAYLOAD"].joined(separator: "\n")
        query["X-Amz-Signature"] = signature(canonical: canonical, stamp: stamp, date: date, scope: scope, region: region, secretKey: secretKey)
        return canonicalQuery(query)
    }

    var host: String {
        guard let components = URLComponents(string: configuration.endpoint), let name = components.host else { return configuration.endpoint }
        return components.port.map { "\(name):\($0)" } ?? name
    }

    /// One signed request; the body's text when S3 answered with one of `allowing`.
    func send(
        _ method: String, key: String, query: [String: String], headers: [(String, String)] = [], body: [UInt8] = [],
        allowing: Set<Int> = [200], responseHeaders: ((HTTPHeaders) -> Void)? = nil
    ) async throws -> String {
        let path = "/\(configuration.bucket)/\(key)"
        let (date, stamp) = Self.timestamps(Date())
        let payload = SHA256.hash(data: body).hex
        var signed = [("host", host), ("x-amz-content-sha256", payload), ("x-amz-date", stamp)]
        signed += headers.map { ($0.0.lowercased(), $0.1) }
        signed.sort { $0.0 < $1.0 }
        let scope = "\(date)/\(configuration.region)/s3/aws4_request"
        let canonical = [
            method, Self.encodePath(path), Self.canonicalQuery(query), signed.map { "\($0.0):\($0.1)\n" }.joined(),
            signed.map(\.0).joined(separator: ";"), payload,
        ].joined(separator: "\n")
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(configuration.accessKey)/\(scope), SignedHeaders=\(signed.map(\.0).joined(separator: ";")), "
            + "Signature=\(signature(canonical: canonical, stamp: stamp, date: date, scope: scope))"
        let queryText = Self.canonicalQuery(query)
        var request = HTTPClientRequest(url: configuration.endpoint + Self.encodePath(path) + (queryText.isEmpty ? "" : "?" + queryText))
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in signed where name != "host" { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Authorization", value: authorization)
        if !body.isEmpty || method == "PUT" || method == "POST" { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        guard allowing.contains(Int(response.status.code)) else {
            throw Failure(
                description:
                    "S3 answered \(response.status.code) to \(method) \(key): \(Self.element("Message", in: text) ?? String(text.prefix(200)))")
        }
        responseHeaders?(response.headers)
        return text
    }

    func signature(canonical: String, stamp: String, date: String, scope: String) -> String {
        Self.signature(canonical: canonical, stamp: stamp, date: date, scope: scope, region: configuration.region, secretKey: configuration.secretKey)
    }

    static func signature(canonical: String, stamp: String, date: String, scope: String, region: String, secretKey: String) -> String {
        let toSign = ["AWS4-HMAC-SHA256", stamp, scope, SHA256.hash(data: Data(canonical.utf8)).hex].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(secretKey)".utf8))
        for part in [date, region, "s3", "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return Data(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key)).hex
    }

    static func timestamps(_ now: Date) -> (date: String, stamp: String) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stamp = formatter.string(from: now)
        return (String(stamp.prefix(8)), stamp)
    }

    /// RFC 3986 unreserved characters stay; everything else is percent-encoded (SigV4's rule).
    static func encode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(UnicodeScalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-_.~".contains(c)) || (keepSlash && c == "/") {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func encodePath(_ path: String) -> String { encode(path, keepSlash: true) }

    static func canonicalQuery(_ query: [String: String]) -> String {
        query.map { (encode($0.key), encode($0.value)) }.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// The text of the first `<name>` element of an S3 XML answer.
    static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"), let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex) else {
            return nil
        }
        return String(xml[start.upperBound..<end.lowerBound])
    }

    /// One multipart upload: bytes gathered into parts of at least 5 MiB, each sent as it fills.
    final class MultipartUpload: ExportUpload, @unchecked Sendable {
        let storage: S3ExportStorage
        let key: String
        let uploadID: String
        // Used by one writer at a time (the exporter writes sequentially).
        private var buffer: [UInt8] = []
        private var parts: [(number: Int, etag: String)] = []

        init(storage: S3ExportStorage, key: String, uploadID: String) {
            self.storage = storage
            self.key = key
            self.uploadID = uploadID
        }

        func append(_ bytes: [UInt8]) async throws {
            buffer += bytes
            while buffer.count >= S3ExportStorage.partSize {
                let part = Array(buffer.prefix(S3ExportStorage.partSize))
                buffer.removeFirst(part.count)
                try await send(part)
            }
        }

        func send(_ part: [UInt8]) async throws {
            let number = parts.count + 1
            var etag = ""
            _ = try await storage.send(
                "PUT", key: key, query: ["partNumber": String(number), "uploadId": uploadID], body: part,
                responseHeaders: { etag = $0.first(name: "ETag") ?? "" })
            parts.append((number, etag))
        }

        func finish() async throws -> String {
            if !buffer.isEmpty || parts.isEmpty {
                try await send(buffer)
                buffer = []
            }
            let body =
                "<CompleteMultipartUpload>"
                + parts.map { "<Part><PartNumber>\($0.number)</PartNumber><ETag>\($0.etag)</ETag></Part>" }.joined()
                + "</CompleteMultipartUpload>"
            let answer = try await storage.send("POST", key: key, query: ["uploadId": uploadID], body: Array(body.utf8))
            // S3 can answer 200 with an error inside.
            if answer.contains("<Error>") { throw Failure(description: "S3 refused to complete the upload: \(answer.prefix(200))") }
            return key
        }

        func abort() async {
            _ = try? await storage.send("DELETE", key: key, query: ["uploadId": uploadID], allowing: [204, 404])
        }
    }
}

extension Digest {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

extension Data {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
