import Pipeline

/// The `/translate` answer, written directly: it is on every request's path, where
/// Foundation's serializer costs more than the rest of the handler. Keys in sorted order, as
/// ``JSONBody`` writes the other answers.
enum TranslationJSON {
    /// `{"detectedLanguage": …, "translatedText": …}`: a string and one detection, or arrays of
    /// them for an array `q`; `detected` (confidence, language) only for `source=auto`.
    static func encode(_ translations: [String], isArray: Bool, detected: [(confidence: Double, language: String)]?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32 + translations.reduce(0) { $0 + $1.utf8.count + 3 })
        out += Array("{".utf8)
        if let detected {
            out += Array("\"detectedLanguage\":".utf8)
            list(detected, isArray: isArray, to: &out) { detection, out in
                out += Array("{\"confidence\":\(number(detection.confidence)),\"language\":".utf8)
                OutputRecord.appendQuoted(detection.language, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: ","))
        }
        out += Array("\"translatedText\":".utf8)
        list(translations, isArray: isArray, to: &out) { OutputRecord.appendQuoted($0, to: &$1) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `items` as a JSON array, or its only item alone when not `isArray`.
    private static func list<Item>(_ items: [Item], isArray: Bool, to out: inout [UInt8], _ write: (Item, inout [UInt8]) -> Void) {
        guard isArray else { return write(items[0], &out) }
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            write(item, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A confidence as JSON: whole numbers without a fraction.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
