import Foundation

/// The one pair of languages the served model translates, as LibreTranslate's API names
/// them: ISO 639-1 codes (`en`, `fr`) and English names.
public struct LanguagePair: Equatable, Sendable {
    public var source: String
    public var target: String

    public init(source: String, target: String) {
        self.source = source
        self.target = target
    }

    /// The languages of model directory `directory`: `source_lang` and `target_lang` of its
    /// `tokenizer_config.json` (an OPUS-MT directory names them there), else `fallback` (a d2l
    /// GRU directory names none). Reads that one file only, never the weights.
    ///
    /// - Throws: when the file exists but is not a JSON object.
    public static func of(modelDirectory directory: String, fallback: LanguagePair) throws -> LanguagePair {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("tokenizer_config.json")
        guard let data = FileManager.default.contents(atPath: path.path) else { return fallback }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path.path])
        }
        func code(_ key: String) -> String? {
            (object[key] as? String).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        return LanguagePair(source: code("source_lang") ?? fallback.source, target: code("target_lang") ?? fallback.target)
    }

    /// The English name of language `code`, or the code itself for one not in the table.
    public static func name(of code: String) -> String {
        names[code.lowercased()] ?? code
    }

    private static let names = [
        "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek",
        "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish",
        "fr": "French", "ga": "Irish", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian",
        "it": "Italian", "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay",
        "nb": "Norwegian", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
        "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sv": "Swedish", "th": "Thai", "tr": "Turkish",
        "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
    ]
}
