import Foundation
import LinkwrightCore

/// The verification engine: checks one placement's link and returns the check, which the
/// runtime records with the task's completion. Its payload names the placement and the link.
public struct VerificationEngine: Engine {
    public let name = "verification"
    let checker: LinkChecker

    public init(checker: LinkChecker) { self.checker = checker }

    /// One check; robots.txt, the page and a redirect or two.
    public var estimatedUsage: [Usage] { [Usage(.verification, 1), Usage(.fetch, 3)] }

    struct Payload: Decodable {
        let placement_id: String
        let source_url: String
        let target_url: String
        let expected_anchor: String?
        let ignore_www: Bool?
        let ignore_trailing_slash: Bool?
    }

    public func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(task.payload.utf8)) else {
            return .failed(reason: "verification payload is not a placement")
        }
        let equivalence = LinkURL.Equivalence(ignoreWWW: payload.ignore_www ?? true, ignoreTrailingSlash: payload.ignore_trailing_slash ?? true)
        let check = await checker.check(
            LinkCheckRequest(
                sourceURL: payload.source_url, targetURL: payload.target_url,
                expectedAnchor: payload.expected_anchor, equivalence: equivalence))
        // robots.txt is cached per origin, so count the page and each redirect hop it followed.
        return .done(result: try check.json(), usage: [Usage(.verification, 1), Usage(.fetch, Int64(1 + check.redirectChain.count))])
    }

    /// The placement a verification task's payload names.
    public static func placementID(inPayload payload: String) -> UUID? {
        (try? JSONDecoder().decode(Payload.self, from: Data(payload.utf8))).flatMap { UUID(uuidString: $0.placement_id) }
    }
}
