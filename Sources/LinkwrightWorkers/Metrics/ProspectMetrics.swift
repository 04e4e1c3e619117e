import LinkwrightCore
import Prometheus

/// Prospecting as operators see it: domains finished by outcome (domains per minute, error
/// rate), requests by method, premium credits, results written and how long writing them took.
/// Outcome and method words are the only labels: never a job, tenant or domain.
extension TaskMetrics {
    func recordProspect(_ result: ProspectDomainResult, written: Int, writeDuration: Duration) {
        registry.makeCounter(descriptor: Self.prospectDomainsDescriptor, labels: [("outcome", result.outcome.rawValue)]).increment()
        let requests: [(CrawlMethod, Int)] = [
            (.direct, result.directRequests), (.premium, result.premiumRequests - result.jsRequests), (.premiumJS, result.jsRequests),
        ]
        for (method, count) in requests where count > 0 {
            registry.makeCounter(descriptor: Self.prospectRequestsDescriptor, labels: [("method", method.rawValue)]).increment(by: Int64(count))
        }
        if result.credits > 0 { registry.makeCounter(descriptor: Self.prospectCreditsDescriptor).increment(by: Int64(result.credits)) }
        if written > 0 { registry.makeCounter(descriptor: Self.prospectResultsDescriptor).increment(by: Int64(written)) }
        registry.makeDurationHistogram(descriptor: Self.prospectWriteDescriptor, buckets: Self.writeBuckets).record(writeDuration)
    }

    static let writeBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    static var prospectDomainsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "prospect_domains", unitName: "total",
            helpText: "Prospecting domains finished, by outcome (crawled, failed, disallowed)")
    }
    static var prospectRequestsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "prospect_requests", unitName: "total",
            helpText: "Prospecting page requests, by method (direct, premium, premium_js)")
    }
    static var prospectCreditsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "prospect_premium_credits", unitName: "total", helpText: "Premium provider credits spent")
    }
    static var prospectResultsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "prospect_results_written", unitName: "total", helpText: "Keyword matches written")
    }
    static var prospectWriteDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "linkwright", metricName: "prospect_result_write", unitName: "seconds",
            helpText: "Time to record one domain's results with its task's completion")
    }
}
