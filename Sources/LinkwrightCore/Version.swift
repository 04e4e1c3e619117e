/// The release this binary was built from; shown by `linkwright version` and the User-Agent.
public enum LinkwrightVersion {
    public static let current = "0.1.0"
    /// Where a site owner who sees `LinkwrightBot` in their logs learns what it is and how to stop it.
    public static let homepage = "https://linkwright.example/bot"
}
