import Foundation
import Hummingbird
import LinkwrightCore
import NIOCore

/// The request context of every Linkwright route.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let requestID: String
    public let clientAddress: String?
    public let state: RequestState

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = RequestIdentifier.make()
        self.clientAddress = source.channel.remoteAddress?.ipAddress
        self.state = RequestState()
    }

    /// Request bodies over 1 MiB are refused with 413.
    public var maxUploadSize: Int { 1 << 20 }
    public var requestDecoder: JSONDecoder { APIJSON.makeDecoder() }
    public var responseEncoder: JSONEncoder { APIJSON.makeEncoder() }
}

enum RequestIdentifier {
    /// 16 random bytes as hex: unique enough to find one request in the logs.
    static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }
}
