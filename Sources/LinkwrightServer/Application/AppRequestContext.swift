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
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// 128 random bits as 32 hex digits: unique enough to find one request in the logs. Built by
    /// hand because `String(format:)` cost 5% of a whole request in the profile.
    static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let high = rng.next() as UInt64
        let low = rng.next() as UInt64
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for i in 0..<16 {
                buffer[i] = hexDigits[Int((high >> (60 - 4 * UInt64(i))) & 0xF)]
                buffer[16 + i] = hexDigits[Int((low >> (60 - 4 * UInt64(i))) & 0xF)]
            }
            return 32
        }
    }
}
