/// How one `q` text is sent through the pipeline and put back together: plain text as its
/// core between its whitespace, HTML as the texts between its tags.
enum TextLayout {
    case plain(PaddedText)
    case html(HTMLDocument)

    init(_ text: String, format: TranslateRequest.Format) {
        switch format {
        case .text: self = .plain(PaddedText(Substring(text)))
        case .html: self = .html(HTMLDocument(text))
        }
    }

    /// What goes through the pipeline for this text (nothing for blank text).
    var texts: [String] {
        switch self {
        case .plain(let padded): padded.isBlank ? [] : [String(padded.core)]
        case .html(let document): document.texts
        }
    }

    /// The translated text, given the translations of ``texts`` in order.
    func rendered(with translations: some Collection<String>) -> String {
        switch self {
        case .plain(let padded): padded.isBlank ? String(padded.leading + padded.trailing) : padded.wrapping(translations.first ?? "")
        case .html(let document): document.rendered(with: Array(translations))
        }
    }
}
