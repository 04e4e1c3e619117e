import LinkwrightCore

/// Told of every publishing attempt, for the metrics: which engine, which platform, how it ended
/// (`published` or a `PublishFailure` kind) and how long the platform took. Bounded words only.
public protocol PublishObserver: Sendable {
    func attempted(engine: String, platform: ConnectionPlatform, outcome: String, duration: Duration)
    /// An account's action limit made a slot wait: `window` is `hour`, `day` or `spacing`.
    func limitWaited(platform: ConnectionPlatform, action: AccountAction, window: String)
}

extension PublishFailure {
    /// The failure's kind as a metric label.
    public var outcome: String {
        switch self {
        case .retryLater: "retry_later"
        case .connectionBroken: "connection_broken"
        case .contentRefused: "content_refused"
        case .gone: "gone"
        }
    }
}
