import ArgumentParser
import Foundation

/// One setting of the binary: its flag, its environment variable, its default and what it does.
///
/// Every setting is defined once, here. The flags' `--help`, the values commands resolve and the
/// table in `docs/operations.md` (printed by `linkwright settings --markdown`, checked by
/// `ops/test`) all come from these entries, so flag, variable, default and help cannot drift.
struct Setting: Sendable {
    /// The long flag without dashes, e.g. `data-dir`.
    let flag: String
    let variable: String
    /// The value used when neither flag nor variable is set; nil when there is none, or when
    /// it is worked out at run time (then `defaultText` says how).
    let defaultValue: String?
    let defaultText: String?
    let summary: String

    init(_ flag: String, _ variable: String, default defaultValue: String? = nil, defaultText: String? = nil, _ summary: String) {
        self.flag = flag
        self.variable = variable
        self.defaultValue = defaultValue
        self.defaultText = defaultText
        self.summary = summary
    }

    var name: NameSpecification { .customLong(flag) }
    var help: ArgumentHelp {
        let shownDefault = defaultText ?? defaultValue
        return ArgumentHelp("\(summary) (env: \(variable)\(shownDefault.map { ", default: \($0)" } ?? ""))")
    }

    /// The flag's value, else the environment variable's, else the default. Flags win so one
    /// invocation can override a deployment's environment; empty values count as unset.
    func value(_ flag: String?) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty { return value }
        return defaultValue
    }
}

enum Settings {
    static let host = Setting("host", "LINKWRIGHT_HOST", default: "127.0.0.1", "Address to listen on.")
    static let port = Setting("port", "LINKWRIGHT_PORT", default: "8080", "Port to listen on.")
    static let dataDir = Setting(
        "data-dir", "LINKWRIGHT_DATA_DIR", default: "./var",
        "Data directory: the embedded PostgreSQL cluster and the generated JWT secret live here.")
    static let databaseURL = Setting(
        "database-url", "LINKWRIGHT_DATABASE_URL", defaultText: "embedded cluster in the data directory",
        "postgres://user:password@host:port/database?sslmode=disable|require of an existing server; its user must be able to create roles on the first migration."
    )
    static let migrationsDir = Setting(
        "migrations-dir", "LINKWRIGHT_MIGRATIONS_DIR", defaultText: "./migrations, else found next to the binary",
        "Directory of NNNN_name.sql migrations.")
    static let logFormat = Setting("log-format", "LINKWRIGHT_LOG_FORMAT", default: "text", "json (one JSON object per line) or text.")
    static let redisURL = Setting(
        "redis-url", "LINKWRIGHT_REDIS_URL", defaultText: "in-process, correct for one node",
        "redis://[:password@]host:port/db shared by every process for API rate limits, sign-in failure counts, per-domain politeness, concurrency caps and live events; while Redis is away each process keeps a conservative share and linkwright_coordination_degraded is 1."
    )
    static let jwtSecret = Setting(
        "jwt-secret", "LINKWRIGHT_JWT_SECRET", defaultText: "generated and kept in the data directory",
        "HS256 secret for access tokens, at least 32 bytes; every API process must share it.")
    static let secretKey = Setting(
        "secret-key", "LINKWRIGHT_SECRET_KEY", defaultText: "generated and kept in the data directory (secret-keys, mode 0600)",
        "AES-256 keys that seal connection secrets, base64 of 32 bytes each (openssl rand -base64 32), separated by commas: the first seals, all open; every process must share them."
    )
    static let metricsToken = Setting("metrics-token", "LINKWRIGHT_METRICS_TOKEN", "When set, GET /metrics requires it as a bearer token.")
    static let allowPrivateTargets = Setting(
        "allow-private-targets", "LINKWRIGHT_ALLOW_PRIVATE_TARGETS", default: "0",
        "1 lets outbound fetches reach private and loopback addresses. For tests only.")
    static let webDir = Setting(
        "web-dir", "LINKWRIGHT_WEB_DIR", defaultText: "./web-static, else found next to the binary",
        "The browser app's files, served at /.")
    static let role = Setting(
        "role", "LINKWRIGHT_ROLE", default: "all",
        "all (API, workers and scheduler), api (HTTP only), worker (workers, with only /healthz, /readyz and /metrics on the port) or scheduler (hourly rollups, closing months)."
    )
    static let workerConcurrency = Setting(
        "worker-concurrency", "LINKWRIGHT_WORKER_CONCURRENCY", default: "16,16,8,16",
        "Tasks running at once per lane in this process, as high,normal,bulk,verification.")
    static let taskLeaseSeconds = Setting(
        "task-lease-seconds", "LINKWRIGHT_TASK_LEASE_SECONDS", default: "60", "How long a claimed task stays leased without a heartbeat.")
    static let moderationWaitHours = Setting(
        "moderation-wait-hours", "LINKWRIGHT_MODERATION_WAIT_HOURS", default: "336",
        "How long a comment a blog holds for its moderator may take to appear before its placement is rejected_by_site.")
    static let concurrencyCaps = Setting(
        "concurrency-caps", "LINKWRIGHT_CONCURRENCY_CAPS", defaultText: "none",
        "Most tasks of an engine running at once across every worker process, as engine=limit[,engine=limit], e.g. verification=200; shared through Redis when configured."
    )
    static let scrapingBeeKey = Setting(
        "scrapingbee-api-key", "LINKWRIGHT_SCRAPINGBEE_API_KEY",
        "ScrapingBee API key: the premium provider prospecting jobs use in premium-only and smart-hybrid modes (without one they fetch directly only)."
    )
    static let scrapingBeeURL = Setting(
        "scrapingbee-url", "LINKWRIGHT_SCRAPINGBEE_URL", default: "https://app.scrapingbee.com", "Base URL of ScrapingBee's API.")
    static let premiumConcurrency = Setting(
        "premium-concurrency", "LINKWRIGHT_PREMIUM_CONCURRENCY", default: "10",
        "Most premium provider requests at once across every job and worker process (the provider account's concurrency); above it requests wait. Shared through Redis when configured."
    )
    static let exportS3Endpoint = Setting(
        "export-s3-endpoint", "LINKWRIGHT_EXPORT_S3_ENDPOINT", defaultText: "none: files in the data directory",
        "S3-compatible endpoint for prospecting exports (e.g. https://s3.eu-west-1.amazonaws.com or a MinIO URL); path-style addresses, multipart uploads, presigned download links."
    )
    static let exportS3Bucket = Setting("export-s3-bucket", "LINKWRIGHT_EXPORT_S3_BUCKET", "Bucket for exports (required with the endpoint).")
    static let exportS3Region = Setting("export-s3-region", "LINKWRIGHT_EXPORT_S3_REGION", default: "us-east-1", "Region exports are signed for.")
    static let exportS3AccessKey = Setting("export-s3-access-key", "LINKWRIGHT_EXPORT_S3_ACCESS_KEY", "Access key id for the export bucket.")
    static let exportS3SecretKey = Setting("export-s3-secret-key", "LINKWRIGHT_EXPORT_S3_SECRET_KEY", "Secret access key for the export bucket.")
    static let hashingThreads = Setting(
        "hashing-threads", "LINKWRIGHT_HASHING_THREADS", defaultText: "the number of cores", "Threads reserved for Argon2 password hashing.")

    static let contentProviders = Setting(
        "content-providers", "LINKWRIGHT_CONTENT_PROVIDERS", default: "template",
        "Who writes drafts, tried in order: template (built in, offline), openai (also llama.cpp, vLLM, Ollama), anthropic, gemini; e.g. anthropic,template."
    )
    static let openAIKey = Setting("openai-api-key", "LINKWRIGHT_OPENAI_API_KEY", "API key for openai (optional for a local server).")
    static let openAIModel = Setting("openai-model", "LINKWRIGHT_OPENAI_MODEL", default: "gpt-4o-mini", "Model for openai.")
    static let openAIBaseURL = Setting(
        "openai-base-url", "LINKWRIGHT_OPENAI_BASE_URL", default: "https://api.openai.com",
        "Base URL for openai, e.g. http://127.0.0.1:8081 for llama.cpp or http://127.0.0.1:11434 for Ollama.")
    static let anthropicKey = Setting("anthropic-api-key", "LINKWRIGHT_ANTHROPIC_API_KEY", "API key for anthropic (required to use it).")
    static let anthropicModel = Setting("anthropic-model", "LINKWRIGHT_ANTHROPIC_MODEL", default: "claude-3-5-haiku-latest", "Model for anthropic.")
    static let anthropicBaseURL = Setting(
        "anthropic-base-url", "LINKWRIGHT_ANTHROPIC_BASE_URL", default: "https://api.anthropic.com", "Base URL for anthropic.")
    static let geminiKey = Setting("gemini-api-key", "LINKWRIGHT_GEMINI_API_KEY", "API key for gemini (required to use it).")
    static let geminiModel = Setting("gemini-model", "LINKWRIGHT_GEMINI_MODEL", default: "gemini-2.0-flash", "Model for gemini.")
    static let geminiBaseURL = Setting(
        "gemini-base-url", "LINKWRIGHT_GEMINI_BASE_URL", default: "https://generativelanguage.googleapis.com", "Base URL for gemini.")

    /// In the order the operations guide lists them.
    static let all: [Setting] = [
        host, port, dataDir, databaseURL, redisURL, jwtSecret, secretKey, metricsToken, allowPrivateTargets, logFormat, migrationsDir,
        hashingThreads, role, webDir, workerConcurrency, taskLeaseSeconds, moderationWaitHours, concurrencyCaps, scrapingBeeKey, scrapingBeeURL,
        premiumConcurrency, exportS3Endpoint, exportS3Bucket, exportS3Region, exportS3AccessKey, exportS3SecretKey, contentProviders, openAIKey,
        openAIModel,
        openAIBaseURL, anthropicKey, anthropicModel, anthropicBaseURL, geminiKey, geminiModel, geminiBaseURL,
    ]

    /// The settings as a Markdown table, for `docs/operations.md`.
    static func markdownTable() -> String {
        var lines = ["| variable | flag | default | meaning |", "| --- | --- | --- | --- |"]
        for setting in all {
            let shownDefault = setting.defaultText ?? setting.defaultValue ?? "none"
            let cells = ["`\(setting.variable)`", "`--\(setting.flag)`", shownDefault, setting.summary]
            lines.append("| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}

/// `linkwright settings`: every setting, for people and for the docs' drift check.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "List every setting with its flag, environment variable and default.")

    @Flag(help: "Print the Markdown table kept in docs/operations.md.")
    var markdown = false

    func run() {
        if markdown {
            print(Settings.markdownTable())
        } else {
            for setting in Settings.all {
                print("--\(setting.flag) / \(setting.variable): \(setting.help.abstract)")
            }
        }
    }
}
