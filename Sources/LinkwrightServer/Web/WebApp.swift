import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The browser app in `web-static/`, read into memory at start (it is a few small files), served
/// at `/` with its content type, a strong ETag and `Cache-Control: no-cache` (the browser keeps
/// a copy and revalidates, so a new release is seen at once without fingerprinted names). Any
/// other path outside `/api/` that names no file is a route of the app and gets `index.html`;
/// `/api/` paths never fall back, so API clients keep their JSON 404s.
public struct WebApp: Sendable {
    struct File: Sendable {
        let body: ByteBuffer
        let contentType: String
        let etag: String
    }

    let files: [String: File]

    /// Loads every file below `directory`; nil when it is missing (an API-only deployment).
    public init?(directory: URL) {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return nil }
        var files: [String: File] = [:]
        let root = directory.standardizedFileURL.path
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                let data = try? Data(contentsOf: url)
            else { continue }
            let path = String(url.standardizedFileURL.path.dropFirst(root.count))
            let digest = SHA256.hash(data: data).prefix(12).map { String(format: "%02x", $0) }.joined()
            files[path] = File(body: ByteBuffer(bytes: data), contentType: Self.contentType(url.pathExtension), etag: "\"\(digest)\"")
        }
        guard files["/index.html"] != nil else { return nil }
        self.files = files
    }

    static func contentType(_ ext: String) -> String {
        switch ext.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "json", "webmanifest": "application/json"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// The file for a request path: the file itself, or `index.html` for an app route. Nil for
    /// `/api/…`, for the operations endpoints, and for a missing file that has an extension (a
    /// broken asset link should 404, not load the app).
    func file(for path: String) -> File? {
        if path.hasPrefix("/api/") || path == "/api" { return nil }
        if let file = files[path == "/" ? "/index.html" : path] { return file }
        if path.split(separator: "/").last?.contains(".") == true { return nil }
        return files["/index.html"]
    }
}

/// Serves the web app for GET and HEAD requests the router has no route for.
struct WebAppMiddleware<Context: RequestContext>: RouterMiddleware {
    let app: WebApp

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound {
            guard let file = app.file(for: request.uri.path) else { throw error }
            var headers: HTTPFields = [.contentType: file.contentType, .eTag: file.etag, .cacheControl: "no-cache"]
            if request.headers[.ifNoneMatch]?.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == file.etag }) == true
            {
                return Response(status: .notModified, headers: headers)
            }
            headers[.contentLength] = String(file.body.readableBytes)
            return Response(status: .ok, headers: headers, body: request.method == .head ? .init() : .init(byteBuffer: file.body))
        }
    }
}

/// Headers every response carries: a strict Content-Security-Policy (our own origin only, no
/// inline script or style), no framing, no MIME sniffing, no referrer leaking paths.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Outside the error middleware: every error is a rendered response by the time it is here.
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return response
    }
}
