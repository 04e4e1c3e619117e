import Foundation
import LinkwrightEngines

extension Fetcher {
    /// A fetcher whose guard lets exactly these loopback sites (address and port) through, as the
    /// platforms and test sites the tests start are; every other private address stays refused.
    public static func exempting(_ urls: String...) -> Fetcher {
        let endpoints = urls.compactMap { URLComponents(string: $0) }.compactMap { components in
            components.host.flatMap(IPAddress.init).map { AddressPolicy.Endpoint(address: $0, port: components.port ?? 80) }
        }
        return Fetcher(
            userAgent: Fetcher.userAgent(version: "test", homepage: "https://linkwright.test"), resolver: StaticResolver([:]),
            policy: AddressPolicy(exempt: Set(endpoints)))
    }
}
