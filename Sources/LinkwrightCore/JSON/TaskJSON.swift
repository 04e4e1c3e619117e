import Foundation

/// The JSON of what travels through the queue (task payloads, engines' results), stored as
/// `jsonb`: sorted keys so equal values write equal text. Each type names its own keys.
extension Encodable {
    public func taskJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
