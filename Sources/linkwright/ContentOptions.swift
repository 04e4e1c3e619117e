import ArgumentParser
import Foundation
import LinkwrightEngines

/// The content providers `serve` writes drafts with, as configured.
struct ContentOptions: ParsableArguments {
    @Option(name: Settings.contentProviders.name, help: Settings.contentProviders.help) var providers: String?
    @Option(name: Settings.openAIKey.name, help: Settings.openAIKey.help) var openAIKey: String?
    @Option(name: Settings.openAIModel.name, help: Settings.openAIModel.help) var openAIModel: String?
    @Option(name: Settings.openAIBaseURL.name, help: Settings.openAIBaseURL.help) var openAIBaseURL: String?
    @Option(name: Settings.anthropicKey.name, help: Settings.anthropicKey.help) var anthropicKey: String?
    @Option(name: Settings.anthropicModel.name, help: Settings.anthropicModel.help) var anthropicModel: String?
    @Option(name: Settings.anthropicBaseURL.name, help: Settings.anthropicBaseURL.help) var anthropicBaseURL: String?
    @Option(name: Settings.geminiKey.name, help: Settings.geminiKey.help) var geminiKey: String?
    @Option(name: Settings.geminiModel.name, help: Settings.geminiModel.help) var geminiModel: String?
    @Option(name: Settings.geminiBaseURL.name, help: Settings.geminiBaseURL.help) var geminiBaseURL: String?

    /// The providers in the configured order; a wrong name, a missing key or a base URL that is
    /// not http(s) stops start-up with the setting named, rather than failing every draft later.
    func generator(observer: (any ContentObserver)?) throws -> ContentGenerator {
        let names = Settings.contentProviders.value(providers)!.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var chosen: [any ContentProvider] = []
        for name in names where !name.isEmpty {
            switch name {
            case "template":
                chosen.append(TemplateWriter())
            case "openai":
                chosen.append(
                    OpenAIProvider(
                        endpoint: try endpoint(
                            Settings.openAIBaseURL, openAIBaseURL, key: Settings.openAIKey, openAIKey, keyRequired: false,
                            model: Settings.openAIModel, openAIModel)))
            case "anthropic":
                chosen.append(
                    AnthropicProvider(
                        endpoint: try endpoint(
                            Settings.anthropicBaseURL, anthropicBaseURL, key: Settings.anthropicKey, anthropicKey, keyRequired: true,
                            model: Settings.anthropicModel, anthropicModel)))
            case "gemini":
                chosen.append(
                    GeminiProvider(
                        endpoint: try endpoint(
                            Settings.geminiBaseURL, geminiBaseURL, key: Settings.geminiKey, geminiKey, keyRequired: true, model: Settings.geminiModel,
                            geminiModel)))
            default:
                throw ValidationError("\(Settings.contentProviders.variable): \(name) is not a provider (template, openai, anthropic, gemini)")
            }
        }
        guard !chosen.isEmpty else { throw ValidationError("\(Settings.contentProviders.variable) names no provider") }
        return ContentGenerator(providers: chosen, observer: observer)
    }

    func endpoint(_ base: Setting, _ baseFlag: String?, key: Setting, _ keyFlag: String?, keyRequired: Bool, model: Setting, _ modelFlag: String?)
        throws
        -> ModelEndpoint
    {
        let url = base.value(baseFlag)!
        guard let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw ValidationError("\(base.variable) must be an http or https URL, not \(url)")
        }
        let apiKey = key.value(keyFlag)
        if keyRequired, apiKey == nil { throw ValidationError("\(key.variable) is required to use this provider") }
        return ModelEndpoint(baseURL: url, apiKey: apiKey, model: model.value(modelFlag)!)
    }
}
