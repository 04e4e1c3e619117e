/// The OpenAPI 3.1 description of the API, served at `/api/v1/openapi.json`.
///
/// The contract is `openapi.json` beside this file, an ordinary JSON file edited with ordinary
/// tools and validated by `ops/test`; the package embeds its bytes in the binary
/// (`.embedInCode`), so a deployed `linkwright` serves it with no resource bundle to ship.
enum OpenAPIDocument {
    static let bytes: [UInt8] = PackageResources.openapi_json
}
