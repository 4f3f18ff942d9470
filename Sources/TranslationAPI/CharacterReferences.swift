/// HTML character references in the text between tags: decoded before translation,
/// `&`, `<` and `>` escaped after.
enum CharacterReferences {
    private static let named: [Substring: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
    ]

    /// `text` with `&name;`, `&#NNN;` and `&#xHHH;` replaced by their characters; references
    /// it does not know are left as they are.
    static func decode(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var index = text.startIndex
        while let amp = text[index...].firstIndex(of: "&") {
            out += text[index..<amp]
            let afterAmp = text.index(after: amp)
            guard let semicolon = text[afterAmp...].prefix(12).firstIndex(of: ";"),
                let character = character(for: text[afterAmp..<semicolon])
            else {
                out += "&"
                index = afterAmp
                continue
            }
            out += character
            index = text.index(after: semicolon)
        }
        return out + text[index...]
    }

    /// The character reference `name` (between `&` and `;`) stands for.
    private static func character(for name: Substring) -> String? {
        if let known = named[name] { return known }
        guard name.first == "#" else { return nil }
        let digits = name.dropFirst()
        let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
        return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
    }

    /// `text` with `&`, `<` and `>` escaped.
    static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return text }
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
