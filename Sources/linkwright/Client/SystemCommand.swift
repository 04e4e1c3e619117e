import ArgumentParser
import Foundation
import NIOHTTP1

/// `linkwright system …`: what operators and scripts look at on a running server.
struct SystemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system", abstract: "A running server's metrics, workers, credits and queue (LINKWRIGHT_URL, LINKWRIGHT_API_KEY).",
        subcommands: [Metrics.self, Workers.self, Credits.self, QueueStatus.self])

    struct Metrics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The server's Prometheus metrics (prospecting's unless --all); LINKWRIGHT_METRICS_TOKEN when /metrics needs one.")
        @Flag(help: "Every series, not only prospecting's.") var all = false

        func run() async throws {
            var client = try APIClient.fromEnvironment()
            if let token = ProcessInfo.processInfo.environment["LINKWRIGHT_METRICS_TOKEN"], !token.isEmpty {
                client = APIClient(base: client.base, key: token, client: client.client)
            }
            let text = try await client.call(.GET, "/metrics").text
            let lines = text.split(separator: "\n").filter { all || $0.contains("linkwright_prospect") }
            print(
                lines.isEmpty
                    ? "No prospecting series yet (they appear once a worker in this process has crawled a domain)." : lines.joined(separator: "\n"))
        }
    }

    struct Workers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tasks running now and waiting, by lane (the workers' load).")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let answer = try await APIClient.fromEnvironment().call(.GET, "/api/v1/queue")
            if options.json { return print(answer.text) }
            let lanes = answer.json["lanes"] as? [String: [String: Int]] ?? [:]
            for lane in lanes.keys.sorted() {
                let counts = lanes[lane] ?? [:]
                print(
                    "\(lane.padding(toLength: 13, withPad: " ", startingAt: 0)) running \(counts["running"] ?? 0), waiting \((counts["available"] ?? 0) + (counts["scheduled"] ?? 0) + (counts["failed_retryable"] ?? 0))"
                )
            }
        }
    }

    struct QueueStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "queue-status", abstract: "Your tasks by lane and state, and prospecting jobs by state.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try APIClient.fromEnvironment()
            let queue = try await client.call(.GET, "/api/v1/queue")
            let jobs = try await client.call(.GET, "/api/v1/prospecting/jobs?limit=100&include_archived=true")
            var byState: [String: Int] = [:]
            for job in jobs.json["items"] as? [[String: Any]] ?? [] { byState[job["state"] as? String ?? "", default: 0] += 1 }
            if options.json {
                let lanes = queue.json["lanes"] ?? [:]
                let data = try JSONSerialization.data(withJSONObject: ["lanes": lanes, "prospecting_jobs": byState], options: [.sortedKeys])
                return print(String(decoding: data, as: UTF8.self))
            }
            let lanes = queue.json["lanes"] as? [String: [String: Int]] ?? [:]
            for lane in lanes.keys.sorted() {
                print("\(lane): " + (lanes[lane] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            print(
                "prospecting jobs: "
                    + (byState.isEmpty ? "none" : byState.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        }
    }

    struct Credits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Premium credits and fetches charged this month (owners and admins).")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let answer = try await APIClient.fromEnvironment().call(.GET, "/api/v1/billing/usage")
            if options.json { return print(answer.text) }
            let lines = answer.json["lines"] as? [[String: Any]] ?? []
            let wanted = lines.filter { ["scrape_credits", "fetch"].contains($0["kind"] as? String ?? "") }
            print("\(answer.json["period"] ?? "this month"):")
            if wanted.isEmpty { print("  no credits or fetches charged yet") }
            for line in wanted {
                print("  \(line["kind"] ?? ""): \(line["quantity"] ?? 0) \(line["unit"] ?? "") = $\(line["amount"] ?? "0")")
            }
        }
    }
}
