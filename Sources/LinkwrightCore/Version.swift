/// The release this binary was built from; shown by `linkwright version` and the User-Agent.
public enum LinkwrightVersion {
    public static let current = "0.1.0"
}
