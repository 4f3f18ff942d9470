/// A `/translate` request, checked: its texts, whether `q` was an array, the format and
/// whether the source language is to be detected.
struct TranslateRequest: Equatable {
    enum Format: String, Equatable {
        case text, html
    }

    var texts: [String]
    var isArray: Bool
    var format: Format
    var detectSource: Bool

    /// Reads and checks `parameters` against the model's `languages` and the character limit,
    /// with LibreTranslate's error messages.
    init(_ parameters: RequestParameters, languages: LanguagePair, maxCharacters: Int) throws(APIError) {
        switch parameters.values["q"] {
        case .string(let text)? where !text.isEmpty:
            (texts, isArray) = ([text], false)
        case .strings(let list)? where !list.isEmpty:
            (texts, isArray) = (list, true)
        default:
            throw .missing("q")
        }
        guard let source = parameters.string("source"), !source.isEmpty else { throw .missing("source") }
        guard let target = parameters.string("target"), !target.isEmpty else { throw .missing("target") }
        guard source == "auto" || source == languages.source else { throw APIError(.badRequest, "\(source) is not supported") }
        guard target == languages.target else { throw APIError(.badRequest, "\(target) is not supported") }
        detectSource = source == "auto"
        let formatName = parameters.string("format") ?? "text"
        guard let format = Format(rawValue: formatName.isEmpty ? "text" : formatName) else {
            throw APIError(.badRequest, "Invalid request: format must be text or html, not \(formatName)")
        }
        self.format = format
        let characters = texts.reduce(0) { $0 + $1.unicodeScalars.count }
        guard characters <= maxCharacters else {
            throw APIError(.badRequest, "Invalid request: request (\(characters)) exceeds text limit (\(maxCharacters))")
        }
    }
}
