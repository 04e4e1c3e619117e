import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One JSON POST to a provider's API, with its answer sorted into what to do next. Provider
/// base URLs are the operator's configuration, not tenant input, so this is a plain client, not
/// the guarded fetcher (a local model server on loopback is a normal setup).
struct ProviderHTTP: Sendable {
    let client: HTTPClient
    /// Replies above this are refused as malformed: no draft is that long.
    static let maximumBody = 4 << 20

    func post(_ url: String, headers: [(String, String)], json: [String: Any], timeout: Duration) async throws(ProviderError) -> [String: Any] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Linkwright/1 (+content generation)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        do {
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        } catch {
            throw .refused("the request could not be encoded")
        }
        let status: HTTPResponseStatus
        let responseHeaders: HTTPHeaders
        let body: ByteBuffer
        do {
            let response = try await client.execute(
                request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
            status = response.status
            responseHeaders = response.headers
            body = try await response.body.collect(upTo: Self.maximumBody)
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            throw .timedOut
        } catch is NIOTooManyBytesError {
            throw .malformed("the reply is larger than \(Self.maximumBody) bytes")
        } catch {
            throw .unavailable("\(error)")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
        switch status.code {
        case 200..<300:
            guard let object else { throw .malformed("not a JSON object") }
            return object
        case 429:
            throw .rateLimited(retryAfter: Self.retryAfter(responseHeaders.first(name: "Retry-After")))
        case 500...:
            throw .unavailable("HTTP \(status.code)")
        default:
            throw .refused("HTTP \(status.code): \(Self.message(object) ?? String(buffer: body).prefix(200).description)")
        }
    }

    /// `Retry-After` as seconds or an HTTP date.
    static func retryAfter(_ value: String?) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Int(value) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSinceNow * 1000)))
    }

    /// The error message the providers put in their error bodies (`{"error": {"message": …}}`).
    static func message(_ object: [String: Any]?) -> String? {
        if let error = object?["error"] as? [String: Any] { return error["message"] as? String }
        return object?["error"] as? String
    }
}

extension [String: Any] {
    /// A value down a path of keys and array indexes, e.g. `["choices", 0, "message", "content"]`.
    func value(at path: [Any]) -> Any? {
        var current: Any? = self
        for step in path {
            if let key = step as? String {
                current = (current as? [String: Any])?[key]
            } else if let index = step as? Int, let array = current as? [Any], array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }
}
