import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// XML-RPC (the protocol WordPress keeps at `xmlrpc.php`): a call encoded as `methodCall`, an
/// answer read back as a value or a fault.
indirect enum XMLRPCValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([XMLRPCValue])
    case structure([String: XMLRPCValue])

    var string: String? {
        switch self {
        case .string(let text): text
        case .int(let number): String(number)
        default: nil
        }
    }

    subscript(_ key: String) -> XMLRPCValue? {
        if case .structure(let members) = self { return members[key] }
        return nil
    }

    var array: [XMLRPCValue] {
        if case .array(let values) = self { return values }
        return []
    }

    /// The value as XML-RPC writes it; text escaped.
    var xml: String {
        switch self {
        case .string(let text): "<value><string>\(Self.escape(text))</string></value>"
        case .int(let number): "<value><int>\(number)</int></value>"
        case .bool(let flag): "<value><boolean>\(flag ? 1 : 0)</boolean></value>"
        case .array(let values): "<value><array><data>\(values.map(\.xml).joined())</data></array></value>"
        case .structure(let members):
            "<value><struct>"
                + members.sorted { $0.key < $1.key }.map { "<member><name>\(Self.escape($0.key))</name>\($0.value.xml)</member>" }.joined()
                + "</struct></value>"
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

enum XMLRPC {
    static func call(_ method: String, _ parameters: [XMLRPCValue]) -> String {
        #"<?xml version="1.0" encoding="UTF-8"?><methodCall><methodName>\#(method)</methodName><params>"#
            + parameters.map { "<param>\($0.xml)</param>" }.joined() + "</params></methodCall>"
    }

    enum Answer: Equatable {
        case value(XMLRPCValue)
        case fault(code: Int, message: String)
    }

    /// The answer in `body`, or nil when it is not an XML-RPC answer. CPU-bound: call it off the
    /// event loop.
    static func answer(_ body: [UInt8]) -> Answer? {
        let reader = Reader()
        let parser = XMLParser(data: Data(body))
        parser.delegate = reader
        guard parser.parse(), let value = reader.result else { return nil }
        if reader.isFault {
            return .fault(code: Int(value["faultCode"]?.string ?? "") ?? 0, message: value["faultString"]?.string ?? "an XML-RPC fault")
        }
        return .value(value)
    }

    /// Builds values from the parse events: a stack of arrays and structures being filled, the
    /// text of the scalar being read, and the member name waiting for its value.
    final class Reader: NSObject, XMLParserDelegate {
        enum Open {
            case array([XMLRPCValue])
            case structure([String: XMLRPCValue], name: String?)
        }
        var stack: [Open] = []
        var text = ""
        var sawScalar = false
        var result: XMLRPCValue?
        var isFault = false

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            text = ""
            switch element {
            case "array": stack.append(.array([]))
            case "struct": stack.append(.structure([:], name: nil))
            case "fault": isFault = true
            case "value": sawScalar = false
            default: break
            }
            if ["string", "int", "i4", "i8", "boolean", "double", "dateTime.iso8601", "base64"].contains(element) { sawScalar = true }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            switch element {
            case "name":
                if case .structure(let members, _) = stack.last { stack[stack.count - 1] = .structure(members, name: text) }
            case "string", "double", "dateTime.iso8601", "base64": add(.string(text))
            case "int", "i4", "i8": add(Int(text.trimmingCharacters(in: .whitespaces)).map(XMLRPCValue.int) ?? .string(text))
            case "boolean": add(.bool(text.trimmingCharacters(in: .whitespaces) == "1"))
            case "value" where !sawScalar && !text.isEmpty && !text.allSatisfy(\.isWhitespace): add(.string(text))  // untyped is a string
            case "array":
                if case .array(let values) = stack.popLast() { add(.array(values)) }
            case "struct":
                if case .structure(let members, _) = stack.popLast() { add(.structure(members)) }
            default: break
            }
            if element != "value" { text = "" }
        }

        func add(_ value: XMLRPCValue) {
            sawScalar = true
            switch stack.last {
            case .array(var values):
                values.append(value)
                stack[stack.count - 1] = .array(values)
            case .structure(var members, let name):
                if let name { members[name] = value }
                stack[stack.count - 1] = .structure(members, name: nil)
            case nil:
                if result == nil { result = value }
            }
        }
    }
}
