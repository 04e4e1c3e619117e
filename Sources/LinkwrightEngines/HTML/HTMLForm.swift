import CGumbo
import Foundation

/// A form as a page serves it: where it posts and the fields a browser would send (hidden
/// inputs, text fields and text areas with their current values, checked boxes), plus any error
/// messages the page shows next to it. Forums sign in and post through such forms.
struct HTMLForm: Sendable, Equatable {
    var action: String
    var fields: [CommentForm.Field]
    /// Every field the form has, sent or not.
    var names: [String]
    var asksForCaptcha: Bool

    func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// `fields` with `changes` replacing or adding values.
    func filled(_ changes: [String: String]) -> [CommentForm.Field] {
        var result = fields.filter { changes[$0.name] == nil }
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) { result.append(CommentForm.Field(name: name, value: value)) }
        return result
    }

    /// The page's forms and the error messages it shows (`errorlist`, `invalid-feedback`,
    /// `alert-danger`: Django's and Bootstrap's). CPU-bound: call it off the event loop.
    static func read(html: [UInt8], pageURL: String) -> (forms: [HTMLForm], errors: [String]) {
        var forms: [HTMLForm] = []
        var errors: [String] = []
        Gumbo.withDocument(html) { root in
            var found: [UnsafeMutablePointer<GumboNode>] = []
            CommentForm.elements(GUMBO_TAG_FORM, in: root, into: &found)
            for form in found {
                var controls: [UnsafeMutablePointer<GumboNode>] = []
                CommentForm.elements(GUMBO_TAG_INPUT, in: form, into: &controls)
                CommentForm.elements(GUMBO_TAG_TEXTAREA, in: form, into: &controls)
                var fields: [CommentForm.Field] = []
                var names: [String] = []
                for control in controls {
                    guard let name = PageAnalysis.attribute(control, "name") else { continue }
                    names.append(name)
                    if control.pointee.v.element.tag == GUMBO_TAG_TEXTAREA {
                        fields.append(.init(name: name, value: PageAnalysis.text(of: control)))
                        continue
                    }
                    switch (PageAnalysis.attribute(control, "type") ?? "text").lowercased() {
                    case "checkbox", "radio":
                        if PageAnalysis.attribute(control, "checked") != nil {
                            fields.append(.init(name: name, value: PageAnalysis.attribute(control, "value") ?? "on"))
                        }
                    case "submit", "button", "file", "image", "reset": break
                    default: fields.append(.init(name: name, value: PageAnalysis.attribute(control, "value") ?? ""))
                    }
                }
                let action = PageAnalysis.attribute(form, "action").flatMap { URL(string: $0, relativeTo: URL(string: pageURL)) }?.absoluteString
                forms.append(
                    HTMLForm(action: action ?? pageURL, fields: fields, names: names, asksForCaptcha: CommentForm.asksForCaptcha(form)))
            }
            collectErrors(root, into: &errors)
        }
        return (forms, errors)
    }

    static func collectErrors(_ node: UnsafeMutablePointer<GumboNode>, into errors: inout [String]) {
        guard node.pointee.type == GUMBO_NODE_ELEMENT || node.pointee.type == GUMBO_NODE_DOCUMENT else { return }
        if node.pointee.type == GUMBO_NODE_ELEMENT {
            let classes = (PageAnalysis.attribute(node, "class") ?? "").lowercased()
            if ["errorlist", "invalid-feedback", "alert-danger"].contains(where: classes.contains) {
                let text = PageAnalysis.collapse(PageAnalysis.text(of: node))
                if !text.isEmpty { errors.append(text) }
                return
            }
        }
        for child in PageAnalysis.children(node) { collectErrors(child, into: &errors) }
    }
}
