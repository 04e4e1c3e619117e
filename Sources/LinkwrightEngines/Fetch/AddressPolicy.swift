/// Which addresses the fetcher may connect to. Public addresses only, unless private targets are
/// allowed (`LINKWRIGHT_ALLOW_PRIVATE_TARGETS=1`, tests only) or an exact address and port is
/// exempted (a test site on loopback, so the guard can stay on while tests prove it refuses
/// every other private target, including other ports of the same loopback address).
public struct AddressPolicy: Sendable {
    public var allowPrivate: Bool
    public var exempt: Set<Endpoint>

    public struct Endpoint: Hashable, Sendable {
        public let address: IPAddress
        public let port: Int
        public init(address: IPAddress, port: Int) {
            self.address = address
            self.port = port
        }
    }

    public init(allowPrivate: Bool = false, exempt: Set<Endpoint> = []) {
        self.allowPrivate = allowPrivate
        self.exempt = exempt
    }

    /// Nil when the fetcher may connect; otherwise why not.
    public func refusal(_ address: IPAddress, port: Int) -> String? {
        if allowPrivate || exempt.contains(Endpoint(address: address, port: port)) { return nil }
        return address.nonPublicReason.map { "\(address) is \($0)" }
    }
}
