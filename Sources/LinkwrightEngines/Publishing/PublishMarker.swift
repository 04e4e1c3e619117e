import LinkwrightCore

/// What marks the things one task published (a WordPress slug, a MediaWiki edit summary), so a
/// retried or re-delivered task recognises its first attempt's work instead of publishing again.
public enum PublishMarker {
    public static func mark(forTask idempotencyKey: String) -> String {
        "lw-" + String(MinHashSignature.fnv1a(idempotencyKey), radix: 16)
    }
}
