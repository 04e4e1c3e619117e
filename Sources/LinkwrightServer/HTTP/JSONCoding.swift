import Foundation
import LinkwrightCore
import Hummingbird

/// Responses with a status other than 200 and a JSON body.
struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    let body: Body
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(body, from: request, context: context)
        response.status = status
        for field in headers { response.headers.append(field) }
        return response
    }
}

/// A list page as every list endpoint returns it.
struct PageBody<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    let items: [Item]
    let nextCursor: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)  // null rather than absent: "no more"
    }

    enum CodingKeys: String, CodingKey { case items, nextCursor }
}

extension Request {
    /// Decodes the JSON body, keeping `DecodingError` intact so `APIError` can name the field
    /// (Hummingbird's own `decode` turns every decoding failure into a bare 400).
    func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        return try APIJSON.makeDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }
}

extension AppRequestContext {
    /// The matched route template, or nil when no route matched (Hummingbird records those as
    /// `NotFound`).
    var routeTemplate: String? {
        guard let path = endpointPath, path != "NotFound" else { return nil }
        return path
    }
}

extension UUID {
    /// Ids in responses are lower-case, as in tokens and the audit log.
    var lowercased: String { uuidString.lowercased() }
}
