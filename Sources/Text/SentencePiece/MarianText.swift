/// The string clean-ups transformers' `MarianTokenizer.decode` applies after SentencePiece,
/// on Unicode scalars (Python `str` semantics), not on Swift's `Character`s.
enum MarianText {
    /// `text` with each `▁` (U+2581) made a space, as `convert_tokens_to_string` does for
    /// pieces that the target model does not know (it leaves them as they are).
    static func replacingMetaSpace(_ text: String) -> String {
        guard text.unicodeScalars.contains("\u{2581}") else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.lazy.map { $0 == "\u{2581}" ? " " : $0 }))
    }

    /// `text` without leading and trailing whitespace as Python's `str.strip()` sees it.
    static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isPythonSpace($0) }),
            let last = scalars.lastIndex(where: { !isPythonSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Python's `str.isspace()` for one scalar: bidirectional class WS, B or S, or category Zs.
    static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default: return false
        }
    }

    /// transformers' `clean_up_tokenization`: a space removed before `.`, `?`, `!`, `,` and
    /// inside English contractions, by the same replacements in the same order.
    static func cleanUpTokenization(_ text: String) -> String {
        let replacements = [
            (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
            (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
        ]
        var bytes = Array(text.utf8)
        for (target, replacement) in replacements {
            bytes = replacing(Array(target.utf8), with: Array(replacement.utf8), in: bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `bytes` with each non-overlapping occurrence of `target`, from the left, replaced.
    private static func replacing(_ target: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == target[0], i + target.count <= bytes.count, bytes[i..<i + target.count].elementsEqual(target) {
                result += replacement
                i += target.count
            } else {
                result.append(bytes[i])
                i += 1
            }
        }
        return result
    }
}
