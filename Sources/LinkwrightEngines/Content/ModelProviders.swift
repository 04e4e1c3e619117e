import AsyncHTTPClient
import Foundation
import LinkwrightCore

/// Where a model provider is and who we are to it.
public struct ModelEndpoint: Sendable, Equatable {
    public let baseURL: String
    public let apiKey: String?
    public let model: String

    public init(baseURL: String, apiKey: String?, model: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.model = model
    }
}

/// OpenAI's Chat Completions, which llama.cpp, vLLM and Ollama also speak: `POST
/// {base}/v1/chat/completions` with a bearer key (optional for a local server).
public struct OpenAIProvider: ContentProvider {
    public let name = "openai"
    let endpoint: ModelEndpoint
    let http: ProviderHTTP

    public init(endpoint: ModelEndpoint, client: HTTPClient = .shared) {
        self.endpoint = endpoint
        http = ProviderHTTP(client: client)
    }

    public func generate(_ prompt: ContentPrompt, brief: ContentBrief, timeout: Duration) async throws(ProviderError) -> ProviderReply {
        let reply = try await http.post(
            endpoint.baseURL + "/v1/chat/completions",
            headers: endpoint.apiKey.map { [("Authorization", "Bearer \($0)")] } ?? [],
            json: [
                "model": endpoint.model, "max_tokens": prompt.maxTokens,
                "messages": [["role": "system", "content": prompt.system], ["role": "user", "content": prompt.user]],
            ], timeout: timeout)
        guard let text = reply.value(at: ["choices", 0, "message", "content"]) as? String else {
            throw .malformed("no choices[0].message.content")
        }
        return ProviderReply(
            text: text, tokensIn: reply.value(at: ["usage", "prompt_tokens"]) as? Int ?? 0,
            tokensOut: reply.value(at: ["usage", "completion_tokens"]) as? Int ?? 0, model: reply["model"] as? String ?? endpoint.model)
    }
}

/// Anthropic's Messages API: `POST {base}/v1/messages` with `x-api-key` and `anthropic-version`.
public struct AnthropicProvider: ContentProvider {
    public let name = "anthropic"
    static let version = "2023-06-01"
    let endpoint: ModelEndpoint
    let http: ProviderHTTP

    public init(endpoint: ModelEndpoint, client: HTTPClient = .shared) {
        self.endpoint = endpoint
        http = ProviderHTTP(client: client)
    }

    public func generate(_ prompt: ContentPrompt, brief: ContentBrief, timeout: Duration) async throws(ProviderError) -> ProviderReply {
        let reply = try await http.post(
            endpoint.baseURL + "/v1/messages",
            headers: [("x-api-key", endpoint.apiKey ?? ""), ("anthropic-version", Self.version)],
            json: [
                "model": endpoint.model, "max_tokens": prompt.maxTokens, "system": prompt.system,
                "messages": [["role": "user", "content": prompt.user]],
            ], timeout: timeout)
        // The text is the concatenation of the text blocks (there may be other block types).
        guard let blocks = reply["content"] as? [[String: Any]] else { throw .malformed("no content blocks") }
        let text = blocks.filter { $0["type"] as? String == "text" }.compactMap { $0["text"] as? String }.joined()
        guard !text.isEmpty else { throw .malformed("no text block") }
        return ProviderReply(
            text: text, tokensIn: reply.value(at: ["usage", "input_tokens"]) as? Int ?? 0,
            tokensOut: reply.value(at: ["usage", "output_tokens"]) as? Int ?? 0, model: reply["model"] as? String ?? endpoint.model)
    }
}

/// Google's Gemini `generateContent`: `POST {base}/v1beta/models/{model}:generateContent` with
/// `x-goog-api-key`.
public struct GeminiProvider: ContentProvider {
    public let name = "gemini"
    let endpoint: ModelEndpoint
    let http: ProviderHTTP

    public init(endpoint: ModelEndpoint, client: HTTPClient = .shared) {
        self.endpoint = endpoint
        http = ProviderHTTP(client: client)
    }

    public func generate(_ prompt: ContentPrompt, brief: ContentBrief, timeout: Duration) async throws(ProviderError) -> ProviderReply {
        let model = endpoint.model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", ":"])) ?? endpoint.model
        let reply = try await http.post(
            endpoint.baseURL + "/v1beta/models/\(model):generateContent",
            headers: [("x-goog-api-key", endpoint.apiKey ?? "")],
            json: [
                "systemInstruction": ["parts": [["text": prompt.system]]],
                "contents": [["role": "user", "parts": [["text": prompt.user]]]],
                "generationConfig": ["maxOutputTokens": prompt.maxTokens],
            ], timeout: timeout)
        guard let parts = reply.value(at: ["candidates", 0, "content", "parts"]) as? [[String: Any]] else {
            // A blocked prompt has no candidates and says why.
            if let reason = reply.value(at: ["promptFeedback", "blockReason"]) as? String { throw .refused("blocked: \(reason)") }
            throw .malformed("no candidates[0].content.parts")
        }
        let text = parts.compactMap { $0["text"] as? String }.joined()
        return ProviderReply(
            text: text, tokensIn: reply.value(at: ["usageMetadata", "promptTokenCount"]) as? Int ?? 0,
            tokensOut: reply.value(at: ["usageMetadata", "candidatesTokenCount"]) as? Int ?? 0,
            model: reply["modelVersion"] as? String ?? endpoint.model)
    }
}
