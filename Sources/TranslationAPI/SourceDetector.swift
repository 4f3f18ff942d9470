/// `/detect` and `source=auto` for a server of one language pair: the answer is always the
/// model's source language; the confidence (0 to 100) is the share of the text's letters that
/// are ASCII, a cheap sign of English-like text (no letters: 0).
struct SourceDetector {
    let language: String

    /// The LibreTranslate detection object for `text`: `{"confidence": …, "language": …}`.
    func detect(_ text: String) -> [String: Any] {
        let (confidence, language) = guess(text)
        return ["confidence": confidence, "language": language]
    }

    /// The language of `text` and the confidence in it.
    func guess(_ text: String) -> (confidence: Double, language: String) {
        var letters = 0
        var ascii = 0
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            letters += 1
            if scalar.isASCII { ascii += 1 }
        }
        let confidence = letters == 0 ? 0 : (1000 * Double(ascii) / Double(letters)).rounded() / 10
        return (confidence, language)
    }
}
