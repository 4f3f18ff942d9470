/// The d2l.ai text preprocessing for the English–French data.
///
/// Narrow no-break space (U+202F) and no-break space (U+00A0) become spaces, the text is
/// lower-cased, and a space is inserted before `,` `.` `!` `?` when the preceding character
/// is not already a space.
public func preprocess(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return preprocessASCII(text) }
    var out = String.UnicodeScalarView()
    var previous: Unicode.Scalar?
    for scalar in text.lowercased().unicodeScalars {
        let s: Unicode.Scalar = (scalar == "\u{202F}" || scalar == "\u{00A0}") ? " " : scalar
        if let p = previous, p != " ", s == "," || s == "." || s == "!" || s == "?" {
            out.append(" ")
        }
        out.append(s)
        previous = s
    }
    return String(out)
}

/// ``preprocess(_:)`` for ASCII text, byte by byte: the same result without Unicode case
/// mapping (ASCII lower-cases `A`–`Z` only, and has no no-break spaces).
private func preprocessASCII(_ text: String) -> String {
    let bytes = text.utf8
    // At most one inserted space per byte.
    return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
        var count = 0
        var previous: UInt8?
        for byte in bytes {
            let b = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
            if let p = previous, p != UInt8(ascii: " "),
                b == UInt8(ascii: ",") || b == UInt8(ascii: ".") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?")
            {
                out[count] = UInt8(ascii: " ")
                count += 1
            }
            out[count] = b
            count += 1
            previous = b
        }
        return count
    }
}

/// Splits preprocessed text on spaces, dropping empty pieces.
public func tokenize(_ text: String) -> [String] {
    var text = text
    if let tokens = text.withUTF8(splitASCII) { return tokens }
    return text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
}

/// The space-separated pieces of ASCII text (in ASCII every byte is a character, so splitting
/// the bytes splits the characters); nil when the text is not ASCII.
private func splitASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
    var tokens: [String] = []
    var start = 0
    for (i, byte) in bytes.enumerated() {
        guard byte < 0x80 else { return nil }
        if byte == UInt8(ascii: " ") {
            if i > start { tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) }
            start = i + 1
        }
    }
    if bytes.count > start { tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)) }
    return tokens
}
