import CGumbo
import Foundation

/// A post's comment form as the page serves it: where it posts, the hidden fields the site put
/// in it (WordPress's `comment_post_ID` and `comment_parent`, a plugin's nonce), and which of its
/// fields take the text, the name, the email and the website. Read from the page rather than
/// assumed, so any blog with the usual fields (WordPress and the many that copy its form) works.
public struct CommentForm: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public let name: String
        public let value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var action: String
    public var hidden: [Field]
    public var textField: String
    public var nameField: String?
    public var emailField: String?
    public var websiteField: String?

    /// Why a page offers no form Linkwright will fill: a person reads it on the slot.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case noForm
        case signInRequired
        case captcha

        public var description: String {
            switch self {
            case .noForm: "the post has no comment form (comments may be closed)"
            case .signInRequired: "the blog lets only signed-in users comment; Linkwright does not sign up on other people's sites"
            case .captcha: "the comment form asks for a CAPTCHA; Linkwright does not solve them"
            }
        }
    }

    static let textNames = ["comment", "message", "body"]
    static let nameNames = ["author", "name"]
    static let emailNames = ["email", "mail"]
    static let websiteNames = ["url", "website", "homepage"]

    /// The comment form of the page at `pageURL`. CPU-bound: call it off the event loop.
    public static func read(html: [UInt8], pageURL: String) -> Result<CommentForm, Refusal> {
        var found: Result<CommentForm, Refusal> = .failure(.noForm)
        Gumbo.withDocument(html) { root in
            var forms: [UnsafeMutablePointer<GumboNode>] = []
            elements(GUMBO_TAG_FORM, in: root, into: &forms)
            for form in forms {
                var textareas: [UnsafeMutablePointer<GumboNode>] = []
                elements(GUMBO_TAG_TEXTAREA, in: form, into: &textareas)
                guard let text = textareas.compactMap({ PageAnalysis.attribute($0, "name") }).first(where: { textNames.contains($0.lowercased()) })
                else { continue }
                if asksForCaptcha(form) {
                    found = .failure(.captcha)
                    return
                }
                var inputs: [UnsafeMutablePointer<GumboNode>] = []
                elements(GUMBO_TAG_INPUT, in: form, into: &inputs)
                var hidden: [Field] = []
                var named: [String] = []
                for input in inputs {
                    guard let name = PageAnalysis.attribute(input, "name") else { continue }
                    if (PageAnalysis.attribute(input, "type") ?? "text").lowercased() == "hidden" {
                        hidden.append(Field(name: name, value: PageAnalysis.attribute(input, "value") ?? ""))
                    } else {
                        named.append(name)
                    }
                }
                let action = PageAnalysis.attribute(form, "action").flatMap { URL(string: $0, relativeTo: URL(string: pageURL)) }?.absoluteString
                found = .success(
                    CommentForm(
                        action: action ?? pageURL, hidden: hidden, textField: text, nameField: pick(nameNames, from: named),
                        emailField: pick(emailNames, from: named), websiteField: pick(websiteNames, from: named)))
                return
            }
            // No form with a comment box: say why when the page does ("You must be logged in").
            let words = PageAnalysis.collapse(PageAnalysis.text(of: root)).lowercased()
            if words.contains("must be logged in") || words.contains("log in to leave a comment") || words.contains("sign in to comment") {
                found = .failure(.signInRequired)
            }
        }
        return found
    }

    /// The fields to send: the site's hidden ones, then the comment, signed.
    public func fields(text: String, name: String, email: String?, website: String) -> [Field] {
        var fields = hidden
        fields.append(Field(name: textField, value: text))
        if let nameField { fields.append(Field(name: nameField, value: name)) }
        if let emailField, let email { fields.append(Field(name: emailField, value: email)) }
        if let websiteField { fields.append(Field(name: websiteField, value: website)) }
        return fields
    }

    /// `application/x-www-form-urlencoded`, as a browser sends the form.
    public static func encode(_ fields: [Field]) -> String {
        fields.map { "\(FormEncoding.encode($0.name))=\(FormEncoding.encode($0.value))" }.joined(separator: "&")
    }

    static func pick(_ candidates: [String], from names: [String]) -> String? {
        names.first { candidates.contains($0.lowercased()) }
    }

    /// reCAPTCHA, hCaptcha, Turnstile, or a field that says it is one.
    static func asksForCaptcha(_ node: UnsafeMutablePointer<GumboNode>) -> Bool {
        if node.pointee.type == GUMBO_NODE_ELEMENT {
            let names = [
                PageAnalysis.attribute(node, "class"), PageAnalysis.attribute(node, "name"), PageAnalysis.attribute(node, "id"),
                PageAnalysis.attribute(node, "src"),
            ].compactMap { $0?.lowercased() }.joined(separator: " ")
            if ["captcha", "recaptcha", "turnstile"].contains(where: names.contains) { return true }
        }
        return PageAnalysis.children(node).contains(where: asksForCaptcha)
    }

    static func elements(_ tag: GumboTag, in node: UnsafeMutablePointer<GumboNode>, into found: inout [UnsafeMutablePointer<GumboNode>]) {
        guard node.pointee.type == GUMBO_NODE_ELEMENT || node.pointee.type == GUMBO_NODE_DOCUMENT else { return }
        if node.pointee.type == GUMBO_NODE_ELEMENT, node.pointee.v.element.tag == tag { found.append(node) }
        for child in PageAnalysis.children(node) { elements(tag, in: child, into: &found) }
    }
}
