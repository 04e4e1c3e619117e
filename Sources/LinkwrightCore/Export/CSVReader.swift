/// RFC 4180 CSV, fed in chunks as they arrive: quoted fields may hold commas, quotes (doubled)
/// and line breaks; CRLF and LF both end a record.
public struct CSVReader {
    public init() {}

    private var field: [UInt8] = []
    private var fields: [String] = []
    private var quoted = false
    private var quoteSeen = false  // a quote inside a quoted field: either its end or the first of a pair

    public mutating func feed(_ bytes: [UInt8]) -> [[String]] {
        var records: [[String]] = []
        for byte in bytes {
            if quoted {
                if quoteSeen {
                    quoteSeen = false
                    if byte == UInt8(ascii: "\"") {
                        field.append(byte)
                        continue
                    }
                    quoted = false  // the quote closed the field; fall through for this byte
                } else if byte == UInt8(ascii: "\"") {
                    quoteSeen = true
                    continue
                } else {
                    field.append(byte)
                    continue
                }
            }
            switch byte {
            case UInt8(ascii: "\"") where field.isEmpty: quoted = true
            case UInt8(ascii: ","): endField()
            case UInt8(ascii: "\n"):
                endField()
                records.append(fields)
                fields = []
            case UInt8(ascii: "\r"): break
            default: field.append(byte)
            }
        }
        return records
    }

    public mutating func finish() -> [[String]] {
        if quoteSeen {
            quoted = false
            quoteSeen = false
        }
        guard !field.isEmpty || !fields.isEmpty else { return [] }
        endField()
        defer { fields = [] }
        return [fields]
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field = []
    }
}
