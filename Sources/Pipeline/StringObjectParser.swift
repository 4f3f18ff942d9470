/// Parses the one shape of JSON that output records have: an object whose values are all
/// strings (RFC 8259 syntax, escapes included). It is the fast path of
/// ``OutputRecord/init(json:)``: Foundation's `JSONDecoder` costs a client about as much CPU
/// per record as the sink spends making it. Anything else (another value type, nesting, a
/// lone surrogate escape, invalid UTF-8) gives nil, and the caller falls back to the full
/// parser. The HTTP API reads request bodies with it too.
public struct StringObjectParser {
    private let bytes: [UInt8]
    private var index = 0

    /// The object's fields (the last of repeated keys wins), or nil if `bytes` is not an
    /// object of strings.
    public static func parse(_ bytes: [UInt8]) -> [String: String]? {
        var parser = StringObjectParser(bytes: bytes)
        return parser.object()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func object() -> [String: String]? {
        skipWhitespace()
        guard take("{") else { return nil }
        var fields: [String: String] = [:]
        skipWhitespace()
        if !take("}") {
            repeat {
                skipWhitespace()
                guard let key = string() else { return nil }
                skipWhitespace()
                guard take(":") else { return nil }
                skipWhitespace()
                guard let value = string() else { return nil }
                fields[key] = value
                skipWhitespace()
            } while take(",")
            guard take("}") else { return nil }
        }
        skipWhitespace()
        return index == bytes.count ? fields : nil
    }

    /// A string literal, from its opening quote.
    private mutating func string() -> String? {
        guard take("\"") else { return nil }
        let start = index
        // Most strings have no escapes: validated straight from the frame.
        while index < bytes.count, bytes[index] >= 0x20, bytes[index] != UInt8(ascii: "\\") {
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                return String(validating: bytes[start..<(index - 1)], as: UTF8.self)
            }
            index += 1
        }
        var text = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let unescaped = escape() else { return nil }
                text += unescaped
            case ..<0x20:
                return nil
            default:
                text.append(byte)
            }
        }
        return nil
    }

    /// The UTF-8 of the escape sequence after a backslash.
    private mutating func escape() -> [UInt8]? {
        guard index < bytes.count else { return nil }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return [byte]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "u"):
            guard let unit = hexQuad() else { return nil }
            var scalar = Unicode.Scalar(unit)
            if (0xD800..<0xDC00).contains(unit) {
                guard take("\\"), take("u"), let low = hexQuad(), (0xDC00..<0xE000).contains(low) else { return nil }
                scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            }
            return scalar.map { Array(String($0).utf8) }
        default: return nil
        }
    }

    /// Four hex digits.
    private mutating func hexQuad() -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    /// Consumes `character` if it comes next.
    private mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }
}
