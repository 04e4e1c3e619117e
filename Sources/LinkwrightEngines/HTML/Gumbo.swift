import CGumbo

/// One HTML5 parse (gumbo), the way a browser builds the tree. The tree lives only during
/// `body`, which must not keep any node. CPU-bound: call it off the event loop.
enum Gumbo {
    static func withDocument(_ html: [UInt8], _ body: (_ root: UnsafeMutablePointer<GumboNode>) -> Void) {
        html.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                var options = kGumboDefaultOptions
                guard let output = gumbo_parse_with_options(&options, chars.baseAddress, chars.count) else { return }
                defer { gumbo_destroy_output(&options, output) }
                body(output.pointee.root)
            }
        }
    }
}
