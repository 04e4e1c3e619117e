/// Integer micro-dollars as text, exactly: digits are placed, never divided through floating
/// point. `dollars` shows at least cents and more digits only when there are any.
public enum Money {
    public static func dollars(micros: Int64) -> String {
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        let whole = magnitude / 1_000_000
        let fraction = magnitude % 1_000_000
        var decimals = String(fraction)
        decimals = String(repeating: "0", count: 6 - decimals.count) + decimals
        while decimals.count > 2, decimals.hasSuffix("0") { decimals.removeLast() }
        return "\(sign)$\(grouped(whole)).\(decimals)"
    }

    /// Cents as "$1,234.56".
    public static func dollars(cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)$\(grouped(magnitude / 100)).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Micro-dollars to cents, half up, once.
    public static func cents(roundingHalfUp micros: Int64) -> Int64 {
        micros >= 0 ? (micros + 5_000) / 10_000 : -((-micros + 5_000) / 10_000)
    }

    static func grouped(_ value: UInt64) -> String {
        let digits = String(value)
        var out = ""
        for (i, character) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}
