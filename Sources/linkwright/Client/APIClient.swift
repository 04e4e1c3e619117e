import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The command-line client's connection to a running Linkwright: `LINKWRIGHT_URL` (default
/// http://127.0.0.1:8080) and an API key in `LINKWRIGHT_API_KEY`. Every failure is said with what
/// to do next, and exits non-zero.
struct APIClient {
    let base: String
    let key: String
    let client: HTTPClient

    static func fromEnvironment() throws -> APIClient {
        let environment = ProcessInfo.processInfo.environment
        var base = environment["LINKWRIGHT_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:8080"
        while base.hasSuffix("/") { base.removeLast() }
        guard let key = environment["LINKWRIGHT_API_KEY"], !key.isEmpty else {
            throw ClientFailure(
                "LINKWRIGHT_API_KEY is not set. Create an API key in the web app (API keys page) or with POST /api/v1/api-keys, then: export LINKWRIGHT_API_KEY=lw_…"
            )
        }
        return APIClient(base: base, key: key, client: .shared)
    }

    struct Answer {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:] }
    }

    /// One request; answers outside 2xx become a `ClientFailure` carrying the API's own detail.
    func call(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, body: [UInt8]? = nil, contentType: String? = nil) async throws
        -> Answer
    {
        var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : base + path)
        request.method = method
        if !path.hasPrefix("http") || path.hasPrefix(base) { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        request.headers.add(name: "User-Agent", value: "linkwright-cli")
        if let json {
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
            request.headers.add(name: "Content-Type", value: "application/json")
        } else if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: contentType ?? "application/octet-stream")
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(120))
        } catch {
            throw ClientFailure("Could not reach Linkwright at \(base) (\(error)). Is the server running? Set LINKWRIGHT_URL to its address.")
        }
        let bytes = Array(buffer: try await response.body.collect(upTo: 1 << 30))
        let answer = Answer(status: Int(response.status.code), headers: response.headers, body: bytes)
        guard (200..<300).contains(answer.status) else { throw ClientFailure(answer: answer) }
        return answer
    }

    /// A `multipart/form-data` body of fields and files, as the create endpoint takes them.
    static func multipart(fields: [(String, String)], files: [(name: String, filename: String, bytes: [UInt8])]) -> (body: [UInt8], type: String) {
        let boundary = "linkwright-\(UUID().uuidString)"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: text/plain\r\n\r\n"
                    .utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }
}

/// A failure said to a person: what went wrong and what to do next. Exits with status 1.
struct ClientFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    init(answer: APIClient.Answer) {
        let json = answer.json
        let detail = json["detail"] as? String ?? answer.text.prefix(300).description
        var advice = ""
        switch answer.status {
        case 401: advice = " Check LINKWRIGHT_API_KEY: the key may be revoked or mistyped."
        case 403: advice = " The API key's scopes do not allow this (a write needs the write scope)."
        case 404: advice = " Check the id (linkwright job list shows your jobs)."
        case 409: advice = " Check the job's state with linkwright job status."
        case 429: advice = " Wait \(answer.headers.first(name: "Retry-After") ?? "a few") seconds and try again."
        default: break
        }
        let field = (json["field"] as? String).map { " (field: \($0))" } ?? ""
        description = "Error \(answer.status): \(detail)\(field).\(advice)"
    }
}

/// Options every client command takes.
struct ClientOptions: ParsableArguments {
    @Flag(help: "Print the API's JSON instead of text for people.")
    var json = false
}
