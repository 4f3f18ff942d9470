/// A text split into its leading whitespace, its core and its trailing whitespace, so that a
/// translation of the core can be put back between the same whitespace.
struct PaddedText: Equatable {
    var leading: Substring
    var core: Substring
    var trailing: Substring

    init(_ text: Substring) {
        let start = text.firstIndex { !$0.isWhitespace } ?? text.endIndex
        let end = text[start...].lastIndex { !$0.isWhitespace }.map(text.index(after:)) ?? start
        leading = text[..<start]
        core = text[start..<end]
        trailing = text[end...]
    }

    /// True when there is nothing but whitespace to translate.
    var isBlank: Bool { core.isEmpty }

    /// `translation` between the original whitespace.
    func wrapping(_ translation: String) -> String {
        leading + translation + trailing
    }
}
