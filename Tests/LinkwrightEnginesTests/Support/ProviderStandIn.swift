import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// A local stand-in for a model provider's API: it enforces that provider's real request format
/// (method, path, auth headers, JSON shape) and answers in its real response format, or as a test
/// scripts it: 429 with Retry-After, a 500, a slow reply, a malformed body. A request in the wrong
/// format gets the 400 the real API would give, which the providers treat as refused, so a test
/// that passes proves the format is right.
struct ProviderStandIn: Sendable {
    enum Wire: Sendable { case openai, anthropic, gemini }
    enum Reply: Sendable {
        case ok(String)
        case status(Int, retryAfter: String?)
        case slow(Duration)
        case malformed
    }

    final class Script: Sendable {
        /// Scripted replies, the bodies received (as JSON text) and the format problems found.
        let state = NIOLockedValueBox<(queue: [Reply], requests: [String], rejected: [String])>(([], [], []))
        func push(_ replies: Reply...) { state.withLockedValue { $0.queue += replies } }
        var requests: Int { state.withLockedValue { $0.requests.count } }
        var rejected: [String] { state.withLockedValue { $0.rejected } }
        var lastRequest: String? { state.withLockedValue { $0.requests.last } }
        func next(_ request: String) -> Reply {
            state.withLockedValue {
                $0.requests.append(request)
                return $0.queue.isEmpty ? .ok("A default draft about shoes.") : $0.queue.removeFirst()
            }
        }
        func reject(_ why: String) { state.withLockedValue { $0.rejected.append(why) } }
    }

    static let key = "test-key-123"
    let port: Int
    let script: Script
    var baseURL: String { "http://127.0.0.1:\(port)" }

    static func run<R: Sendable>(_ wire: Wire, _ body: @Sendable (ProviderStandIn) async throws -> R) async throws -> R {
        let script = Script()
        let portBox = AsyncStream<Int>.makeStream()
        let router = Router()
        router.post("**") { request, context -> Response in
            let data = try await request.body.collect(upTo: 1 << 20)
            let json = (try? JSONSerialization.jsonObject(with: Data(data.readableBytesView))) as? [String: Any] ?? [:]
            if let problem = validate(wire, path: request.uri.path, headers: request.headers, json: json) {
                script.reject(problem)
                return Self.json(400, ["error": ["message": problem, "type": "invalid_request_error"]])
            }
            switch script.next(String(buffer: data)) {
            case .ok(let text):
                return Self.json(200, success(wire, text: text, model: json["model"] as? String ?? "gemini-test"))
            case .status(let code, let retryAfter):
                var response = Self.json(code, ["error": ["message": "stand-in says \(code)"]])
                if let retryAfter { response.headers[.retryAfter] = retryAfter }
                return response
            case .slow(let delay):
                try await Task.sleep(for: delay)
                return Self.json(200, success(wire, text: "too late", model: "slow"))
            case .malformed:
                return Response(
                    status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"choices\": ")))
            }
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portBox.continuation.yield(channel.localAddress?.port ?? 0) })
        return try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var ports = portBox.stream.makeAsyncIterator()
            let port = await ports.next() ?? 0
            let result = try await body(ProviderStandIn(port: port, script: script))
            group.cancelAll()
            return result
        }
    }

    static func json(_ status: Int, _ object: [String: Any]) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))))
    }

    /// What each real API insists on before it does anything.
    static func validate(_ wire: Wire, path: String, headers: HTTPFields, json: [String: Any]) -> String? {
        guard headers[.contentType]?.hasPrefix("application/json") == true else { return "content-type must be application/json" }
        switch wire {
        case .openai:
            guard path == "/v1/chat/completions" else { return "unknown path \(path)" }
            guard headers[.authorization] == "Bearer \(key)" else { return "missing or wrong bearer key" }
            guard json["model"] is String, let messages = json["messages"] as? [[String: Any]], !messages.isEmpty,
                messages.allSatisfy({ ["system", "user", "assistant"].contains($0["role"] as? String ?? "") && $0["content"] is String })
            else { return "model and messages[{role, content}] are required" }
        case .anthropic:
            guard path == "/v1/messages" else { return "unknown path \(path)" }
            guard headers[HTTPField.Name("x-api-key")!] == key else { return "missing or wrong x-api-key" }
            guard headers[HTTPField.Name("anthropic-version")!] == "2023-06-01" else { return "anthropic-version header is required" }
            guard json["model"] is String, json["max_tokens"] is Int, let messages = json["messages"] as? [[String: Any]],
                messages.first?["role"] as? String == "user", json["system"] == nil || json["system"] is String
            else { return "model, max_tokens and messages starting with a user turn are required" }
            if messages.contains(where: { $0["role"] as? String == "system" }) { return "system goes in the top-level system field" }
        case .gemini:
            guard path.hasPrefix("/v1beta/models/"), path.hasSuffix(":generateContent") else { return "unknown path \(path)" }
            guard headers[HTTPField.Name("x-goog-api-key")!] == key else { return "missing or wrong x-goog-api-key" }
            guard let contents = json["contents"] as? [[String: Any]], let parts = contents.first?["parts"] as? [[String: Any]],
                parts.first?["text"] is String
            else { return "contents[{parts[{text}]}] is required" }
        }
        return nil
    }

    static func success(_ wire: Wire, text: String, model: String) -> [String: Any] {
        switch wire {
        case .openai:
            [
                "id": "chatcmpl-1", "object": "chat.completion", "model": model,
                "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]],
                "usage": ["prompt_tokens": 120, "completion_tokens": 80, "total_tokens": 200],
            ]
        case .anthropic:
            [
                "id": "msg_1", "type": "message", "role": "assistant", "model": model,
                "content": [["type": "text", "text": text]], "stop_reason": "end_turn",
                "usage": ["input_tokens": 130, "output_tokens": 90],
            ]
        case .gemini:
            [
                "candidates": [["content": ["role": "model", "parts": [["text": text]]], "finishReason": "STOP"]],
                "usageMetadata": ["promptTokenCount": 140, "candidatesTokenCount": 70, "totalTokenCount": 210],
                "modelVersion": "gemini-test",
            ]
        }
    }
}
