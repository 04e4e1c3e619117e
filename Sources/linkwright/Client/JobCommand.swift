import ArgumentParser
import Foundation
import NIOHTTP1

/// `linkwright job …`: prospecting jobs on a running server, with an API key.
struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Prospecting jobs on a running server (LINKWRIGHT_URL, LINKWRIGHT_API_KEY).",
        subcommands: [
            Run.self, Start.self, Status.self, Pause.self, Resume.self, List.self, Export.self, ExportStatus.self, CostReport.self, Errors.self,
        ])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a job from a domain file and a keyword file, and start it.")
        @Option(help: "The job's name.") var name: String
        @Option(help: "CSV or TXT, one domain or URL per line (a header row with a domain column is recognised).") var domains: String
        @Option(help: "TXT, one keyword or phrase per line.") var keywords: String
        @Option(help: "hybrid (default), free-only or premium-only.") var mode: String?
        @Option(name: .customLong("max-credits"), help: "Premium credits the job may spend.") var maxCredits: Int?
        @Option(name: .customLong("max-pages-per-domain"), help: "Pages read per domain at most (default 50).") var maxPages: Int?
        @Option(name: .customLong("client-domain"), help: "Pages already linking here are marked already_links.") var clientDomain: String?
        @Flag(name: .customLong("no-auto-start"), help: "Create the job without starting it.") var noAutoStart = false
        @Flag(help: "Wait for the job to finish, showing progress.") var wait = false
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let domainBytes = try Self.read(domains, what: "Domain file", expected: "one domain per line")
            let keywordBytes = try Self.read(keywords, what: "Keyword file", expected: "one keyword or phrase per line")
            let client = try APIClient.fromEnvironment()
            var fields = [("name", name)]
            if let mode { fields.append(("mode", mode)) }
            if let maxCredits { fields.append(("max_credits", String(maxCredits))) }
            if let maxPages { fields.append(("max_pages_per_domain", String(maxPages))) }
            if let clientDomain { fields.append(("client_domain", clientDomain)) }
            if noAutoStart { fields.append(("auto_start", "false")) }
            let form = APIClient.multipart(
                fields: fields,
                files: [
                    ("domains", URL(fileURLWithPath: domains).lastPathComponent, domainBytes),
                    ("keywords", URL(fileURLWithPath: keywords).lastPathComponent, keywordBytes),
                ])
            let answer = try await client.call(.POST, "/api/v1/prospecting/jobs", body: form.body, contentType: form.type)
            let job = answer.json["job"] as? [String: Any] ?? [:]
            let id = job["id"] as? String ?? ""
            if options.json && !wait {
                print(answer.text)
                return
            }
            if !options.json {
                print(
                    "Created job \(id) \"\(name)\": \(answer.json["summary"] as? String ?? ""), \(answer.json["keywords_count"] as? Int ?? 0) keywords."
                )
                if let estimate = job["estimate"] as? [String: Any] {
                    print(
                        "Estimate: \(estimate["pages_low"] ?? 0)–\(estimate["pages_high"] ?? 0) pages, \(estimate["credits_low"] ?? 0)–\(estimate["credits_high"] ?? 0) credits ($\(Money.dollars(estimate["cost_low_micros"]))–$\(Money.dollars(estimate["cost_high_micros"])))."
                    )
                }
                print(noAutoStart ? "Not started: linkwright job start \(id)" : "Running. Follow it with: linkwright job status \(id) --wait")
            }
            if wait { try await JobProgress.follow(client, id: id, json: options.json) }
        }

        static func read(_ path: String, what: String, expected: String) throws -> [UInt8] {
            guard FileManager.default.fileExists(atPath: path) else {
                throw ClientFailure("\(what) not found at '\(path)'. Check the path. Expected: \(expected).")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ClientFailure("\(what) at '\(path)' cannot be read. Check its permissions. Expected: \(expected).")
            }
            guard !data.isEmpty else { throw ClientFailure("\(what) at '\(path)' is empty. Expected: \(expected).") }
            return Array(data)
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a job created with --no-auto-start.")
        @Argument(help: "The job's id.") var id: String
        @OptionGroup var options: ClientOptions
        func run() async throws { try await Change.post(id: id, verb: "start", json: options.json) }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a job: nothing more starts; pages being read finish.")
        @Argument(help: "The job's id.") var id: String
        @OptionGroup var options: ClientOptions
        func run() async throws { try await Change.post(id: id, verb: "pause", json: options.json) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused job where it stopped.")
        @Argument(help: "The job's id.") var id: String
        @OptionGroup var options: ClientOptions
        func run() async throws { try await Change.post(id: id, verb: "resume", json: options.json) }
    }

    enum Change {
        static func post(id: String, verb: String, json: Bool) async throws {
            let client = try APIClient.fromEnvironment()
            let answer = try await client.call(.POST, "/api/v1/prospecting/jobs/\(id)/\(verb)")
            if json { print(answer.text) } else { print(Describe.job(answer.json)) }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A job's progress, throughput, ETA, credits and matches.")
        @Argument(help: "The job's id.") var id: String
        @Flag(help: "Keep watching until the job finishes or pauses.") var wait = false
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try APIClient.fromEnvironment()
            if wait { return try await JobProgress.follow(client, id: id, json: options.json) }
            let answer = try await client.call(.GET, "/api/v1/prospecting/jobs/\(id)")
            print(options.json ? answer.text : Describe.job(answer.json))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Your prospecting jobs, newest first.")
        @Flag(name: .customLong("include-archived"), help: "Archived jobs too (results removed after 90 days).") var includeArchived = false
        @Option(help: "How many (1–100).") var limit = 20
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try APIClient.fromEnvironment()
            let answer = try await client.call(.GET, "/api/v1/prospecting/jobs?limit=\(limit)\(includeArchived ? "&include_archived=true" : "")")
            if options.json { return print(answer.text) }
            let items = answer.json["items"] as? [[String: Any]] ?? []
            if items.isEmpty { return print("No jobs yet. Create one: linkwright job run --name … --domains domains.csv --keywords keywords.txt") }
            for job in items {
                let progress = job["progress"] as? [String: Any] ?? [:]
                print(
                    "\(job["id"] as? String ?? "")  \(String(describing: job["state"] ?? "").padding(toLength: 9, withPad: " ", startingAt: 0))  \(progress["done"] ?? 0)/\(progress["total"] ?? 0)  \(job["matches"] ?? 0) matches  \(job["name"] as? String ?? "")"
                )
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export a job's results (csv, json or both), optionally waiting to download them.")
        @Argument(help: "The job's id.") var id: String
        @Option(help: "csv, json or csv,json.") var format = "csv"
        @Flag(help: "Wait for the files and download them.") var wait = false
        @Option(help: "Where downloaded files go (with --wait).") var output = "."
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let formats = format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard !formats.isEmpty, formats.allSatisfy({ ["csv", "json"].contains($0) }) else {
                throw ClientFailure("--format must be csv, json or csv,json, not '\(format)'.")
            }
            let client = try APIClient.fromEnvironment()
            for format in formats {
                let answer = try await client.call(.POST, "/api/v1/prospecting/jobs/\(id)/exports", json: ["format": format])
                let exportID = answer.json["id"] as? String ?? ""
                if !wait {
                    print(
                        options.json
                            ? answer.text : "Export \(exportID) (\(format)) started. Check it: linkwright job export-status \(id) \(exportID)")
                    continue
                }
                var export = answer.json
                while export["state"] as? String == "running" {
                    try await Task.sleep(for: .seconds(2))
                    export = try await client.call(.GET, "/api/v1/prospecting/jobs/\(id)/exports/\(exportID)").json
                }
                guard export["state"] as? String == "ready", let link = export["download_url"] as? String else {
                    throw ClientFailure(
                        "Export \(exportID) failed: \(export["error"] as? String ?? "unknown error"). Try again: linkwright job export \(id)")
                }
                let file = try await client.call(.GET, link.hasPrefix("http") ? link : client.base + link)
                let path = URL(fileURLWithPath: output).appendingPathComponent("\(id)-results.\(format)")
                try Data(file.body).write(to: path)
                print(
                    options.json
                        ? #"{"export_id":"\#(exportID)","format":"\#(format)","path":"\#(path.path)","rows":\#(export["rows"] ?? 0)}"#
                        : "Saved \(export["rows"] ?? 0) rows to \(path.path)")
                if !options.json, let warning = export["warning"] as? String { print("Note: \(warning)") }
            }
        }
    }

    struct ExportStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-status", abstract: "A job's exports, or one of them, with download links.")
        @Argument(help: "The job's id.") var id: String
        @Argument(help: "An export's id (all of the job's when left out).") var exportID: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try APIClient.fromEnvironment()
            let path = "/api/v1/prospecting/jobs/\(id)/exports" + (exportID.map { "/\($0)" } ?? "")
            let answer = try await client.call(.GET, path)
            if options.json { return print(answer.text) }
            let exports = exportID == nil ? (answer.json["items"] as? [[String: Any]] ?? []) : [answer.json]
            if exports.isEmpty { print("No exports yet: linkwright job export \(id) --format csv") }
            for export in exports {
                var line = "\(export["id"] ?? "")  \(export["format"] ?? "")  \(export["state"] ?? "")  \(export["rows"] ?? 0) rows"
                if let link = export["download_url"] as? String {
                    line += "  \(link.hasPrefix("http") ? link : client.base + link) (until \(export["expires_at"] ?? ""))"
                }
                print(line)
            }
        }
    }

    struct CostReport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cost-report", abstract: "What each domain cost, as CSV.")
        @Argument(help: "The job's id.") var id: String
        @Option(help: "Write the CSV here instead of printing it.") var output: String?
        func run() async throws { try await Report.fetch(id: id, path: "cost-report", output: output) }
    }

    struct Errors: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The domains that failed and why, as CSV.")
        @Argument(help: "The job's id.") var id: String
        @Option(help: "Write the CSV here instead of printing it.") var output: String?
        func run() async throws { try await Report.fetch(id: id, path: "errors", output: output) }
    }

    enum Report {
        static func fetch(id: String, path: String, output: String?) async throws {
            let client = try APIClient.fromEnvironment()
            let answer = try await client.call(.GET, "/api/v1/prospecting/jobs/\(id)/\(path)")
            guard let output else { return print(answer.text, terminator: "") }
            try Data(answer.body).write(to: URL(fileURLWithPath: output))
            print("Saved to \(output)")
        }
    }
}

/// Following a job: a progress bar for people (redrawn in place on a terminal), one JSON line
/// per poll for scripts; ends when the job completes, fails or pauses.
enum JobProgress {
    static func follow(_ client: APIClient, id: String, json: Bool) async throws {
        let terminal = isatty(STDOUT_FILENO) == 1
        while true {
            let answer = try await client.call(.GET, "/api/v1/prospecting/jobs/\(id)")
            let job = answer.json
            let state = job["state"] as? String ?? ""
            if json {
                print(answer.text)
            } else {
                // Written straight to the descriptor: print's buffer would hold a line without its end.
                let line = bar(job)
                FileHandle.standardOutput.write(Data((terminal ? "\r\u{1B}[2K" + line : line + "\n").utf8))
            }
            if ["completed", "failed", "paused", "archived"].contains(state) {
                if terminal && !json { print("") }
                if !json { print(Describe.job(job)) }
                return
            }
            // Two seconds apart: well inside every plan's request rate.
            try await Task.sleep(for: .seconds(2))
        }
    }

    static func bar(_ job: [String: Any]) -> String {
        let progress = job["progress"] as? [String: Any] ?? [:]
        let percent = progress["percent"] as? Double ?? 0
        let filled = Int(percent / 5)
        let eta = (job["eta"] as? String).map { " · ETA \($0)" } ?? ""
        return "[\(String(repeating: "#", count: filled))\(String(repeating: "-", count: 20 - filled))] \(percent)% "
            + "\(progress["done"] ?? 0)/\(progress["total"] ?? 0) domains · \(job["matches"] ?? 0) matches · \(job["credits_used"] ?? 0) credits\(eta)"
    }
}

/// A job as a few lines a person reads.
enum Describe {
    static func job(_ job: [String: Any]) -> String {
        let progress = job["progress"] as? [String: Any] ?? [:]
        let throughput = job["throughput"] as? [String: Any] ?? [:]
        var lines = [
            "\(job["name"] as? String ?? "") (\(job["id"] as? String ?? "")): \(job["state"] as? String ?? "")"
                + ((job["status_reason"] as? String).map { " — \($0)" } ?? ""),
            "  \(progress["done"] ?? 0)/\(progress["total"] ?? 0) domains (\(progress["percent"] ?? 0)%), \(progress["failed"] ?? 0) failed, \(job["matches"] ?? 0) matches",
            "  \(throughput["domains_per_hour"] ?? 0) domains/hour over the last 15 minutes"
                + ((job["eta"] as? String).map { ", ETA \($0)" } ?? ""),
            "  \(job["credits_used"] ?? 0) of \(job["max_credits"] ?? 0) credits ($\(Money.dollars(job["credits_cost_micros"]))), total cost $\(Money.dollars(job["cost_micros"]))",
        ]
        if let last = job["last_activity_at"] as? String { lines.append("  last activity \(last)") }
        if job["status_reason"] as? String == "budget_exhausted" {
            lines.append("  The credit cap was reached. Raise it (PATCH max_credits) and resume: linkwright job resume \(job["id"] ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}

enum Money {
    /// Micro-dollars as dollars with cents, from the integer (never a float).
    static func dollars(_ value: Any?) -> String {
        let micros = (value as? Int).map(Int64.init) ?? 0
        let cents = (micros + 5_000) / 10_000
        return "\(cents / 100).\(String(format: "%02d", cents % 100))"
    }
}
