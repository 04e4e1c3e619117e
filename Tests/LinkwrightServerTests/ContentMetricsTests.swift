import LinkwrightCore
import LinkwrightEngines
import LinkwrightServer
import LinkwrightWorkers
import Testing

@Suite struct ContentMetricsTests {
    @Test func providerAttemptsTimesAndBreakersAreExposedWithBoundedLabels() async throws {
        let metrics = AppMetrics()
        let observer = TaskMetrics(registry: metrics.registry)
        let generator = ContentGenerator(
            providers: [FailingProvider(), TemplateWriter()], observer: observer,
            breaker: { CircuitBreaker(threshold: 1, coolDown: .seconds(60)) }, sleep: { _ in })
        _ = try await generator.generate(ContentGeneratorFixtures.brief)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(text.contains(#"linkwright_content_generations_total{provider="failing",outcome="unavailable"} 1"#))
        #expect(text.contains(#"linkwright_content_generations_total{provider="template",outcome="success"} 1"#))
        #expect(text.contains(#"linkwright_content_provider_breaker{provider="failing"} 2"#))
        #expect(text.contains("linkwright_content_generation_seconds_bucket"))
    }
}

enum ContentGeneratorFixtures {
    static let brief = ContentBrief(
        kind: .article, targetURL: "https://client.example/shoes", anchor: "running shoes", keywords: [], topic: "Shoes", seed: 1)
}

struct FailingProvider: ContentProvider {
    let name = "failing"
    func generate(_ prompt: ContentPrompt, brief: ContentBrief, timeout: Duration) async throws(ProviderError) -> ProviderReply {
        throw .unavailable("HTTP 503")
    }
}
