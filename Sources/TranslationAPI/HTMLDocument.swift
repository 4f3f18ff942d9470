import Foundation

/// An HTML text cut into markup, kept byte for byte, and the text between tags, which is
/// translated (`format=html`).
///
/// Markup is every tag (`<…>`, quoted attribute values may hold `>`), comment (`<!-- … -->`),
/// doctype or processing instruction, and the whole content of `script` and `style`
/// elements. A `<` that starts no tag (not followed by a letter, `/`, `!` or `?`) is text.
/// The text of each piece is sent without its surrounding whitespace, with character
/// references (`&amp;`, `&#233;`, …) decoded; its translation is put back between the same
/// whitespace with `&`, `<` and `>` escaped.
struct HTMLDocument: Equatable {
    /// One piece of the document.
    enum Piece: Equatable {
        case markup(Substring)
        case text(Substring)
    }

    private(set) var pieces: [Piece] = []

    init(_ html: String) {
        let text = Substring(html)
        var index = text.startIndex
        var textStart = index
        func flushText(upTo end: String.Index) {
            if textStart < end { pieces.append(.text(text[textStart..<end])) }
        }
        while let open = text[index...].firstIndex(of: "<") {
            guard let end = Self.endOfMarkup(in: text, at: open) else {
                index = text.index(after: open)
                continue
            }
            flushText(upTo: open)
            var markupEnd = end
            if let element = Self.rawTextElement(text[open..<end]) {
                // Everything up to the closing tag is markup too.
                let closing = "</" + element
                markupEnd = text[end...].range(of: closing, options: .caseInsensitive).map { range in
                    text[range.upperBound...].firstIndex(of: ">").map(text.index(after:)) ?? text.endIndex
                } ?? text.endIndex
            }
            pieces.append(.markup(text[open..<markupEnd]))
            index = markupEnd
            textStart = markupEnd
        }
        flushText(upTo: text.endIndex)
    }

    /// The texts to translate (decoded, without surrounding whitespace), one per text piece
    /// that is not blank, in order.
    var texts: [String] {
        pieces.compactMap { piece in
            guard case .text(let text) = piece else { return nil }
            let padded = PaddedText(text)
            return padded.isBlank ? nil : CharacterReferences.decode(padded.core)
        }
    }

    /// The document with each text piece that is not blank replaced by the next of
    /// `translations` (as many as ``texts``), escaped, between the piece's whitespace.
    func rendered(with translations: [String]) -> String {
        var next = translations.makeIterator()
        var out = ""
        for piece in pieces {
            switch piece {
            case .markup(let markup):
                out += markup
            case .text(let text):
                let padded = PaddedText(text)
                out += padded.isBlank ? String(text) : padded.wrapping(CharacterReferences.escape(next.next() ?? ""))
            }
        }
        return out
    }

    /// The end of the tag, comment or declaration that starts at `open` (a `<`), or nil when
    /// none starts there.
    private static func endOfMarkup(in text: Substring, at open: String.Index) -> String.Index? {
        let rest = text[text.index(after: open)...]
        guard let first = rest.first, first.isLetter || first == "/" || first == "!" || first == "?" else { return nil }
        if rest.hasPrefix("!--") {
            return text[open...].range(of: "-->").map(\.upperBound) ?? text.endIndex
        }
        var quote: Character?
        var index = rest.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == ">" {
                return text.index(after: index)
            }
            index = text.index(after: index)
        }
        return text.endIndex
    }

    /// `script` or `style` when `tag` opens one of those elements (whose content is not text).
    private static func rawTextElement(_ tag: Substring) -> String? {
        let name = tag.dropFirst().prefix { $0.isLetter || $0.isNumber }.lowercased()
        guard name == "script" || name == "style", !tag.hasSuffix("/>") else { return nil }
        return name
    }
}
