import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// A server-sent-event stream read as it arrives, the way a browser's reader would: the text so
/// far is kept, and a test waits for what it expects to appear.
final class EventStream: Sendable {
    let status: Int
    private let text = NIOLockedValueBox("")
    private let reader: Task<Void, Never>

    init(port: Int, path: String, token: String?) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        // AsyncHTTPClient's timeout covers the whole request, body included, and a stream's body
        // stays open for the test: 5 s cut streams off (and, on a loaded CI machine, timed out
        // before the head arrived). Each `waitFor` bounds the waiting; `close()` ends the stream.
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        status = Int(response.status.code)
        let text = text
        reader = Task {
            do {
                for try await chunk in response.body { text.withLockedValue { $0 += String(buffer: chunk) } }
            } catch {}
        }
    }

    var received: String { text.withLockedValue { $0 } }

    /// True once `fragment` has arrived, false if it has not within `timeout`.
    func waitFor(_ fragment: String, timeout: Duration = .seconds(15)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if received.contains(fragment) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return received.contains(fragment)
    }

    func close() { reader.cancel() }
}
