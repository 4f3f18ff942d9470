/// Splits English text into sentences, keeping the exact text between them, so that a
/// document can be translated sentence by sentence and put back together as it was.
///
/// A sentence ends at `.`, `!`, `?` or an ellipsis (`…`, `...`), together with any closing
/// quotes and brackets right after it, when whitespace follows and the next word may start a
/// sentence; and at every line break. A quotation closed after `!` or `?` and followed by a
/// lower-case word goes on (“Run!” he shouted). A `.` does not end a sentence after a known
/// abbreviation (`Mr.`, `e.g.`, `U.S.` before a lower-case word), after a single letter (an
/// initial), inside a number (`3.14`), or before a lower-case word; an ellipsis only before
/// an upper-case word.
public struct SentenceSplitter: Sendable {
    /// Abbreviations after which a `.` never ends a sentence (titles and the like), lower-cased.
    static let neverFinal: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "col", "lt", "sgt", "capt", "rev", "hon",
        "e.g", "i.e", "vs", "cf", "approx", "dept", "fig", "vol", "pp", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
        "sep", "sept", "oct", "nov", "dec",
    ]
    /// Abbreviations that end a sentence only before an upper-case word.
    static let finalBeforeCapital: Set<String> = ["etc", "u.s", "u.k", "a.m", "p.m", "inc", "ltd", "co"]

    /// Characters that may follow the end mark and still belong to the sentence.
    static let closers: Set<Character> = ["\"", "'", "”", "’", ")", "]", "}", "»"]
    /// Characters that may open the next sentence before its first word.
    static let openers: Set<Character> = ["\"", "'", "“", "‘", "(", "[", "{", "«", "¿", "¡"]

    public init() {}

    /// The sentences of `text`, each with the whitespace that follows it; the text before the
    /// first sentence (whitespace only) is `leading`. `leading` and every sentence and
    /// separator, concatenated, give `text` back exactly.
    public func split(_ text: String) -> SplitText {
        let characters = Array(text)
        var start = 0
        while start < characters.count && characters[start].isWhitespace { start += 1 }
        var result = SplitText(leading: String(characters[0..<start]), sentences: [])
        var i = start
        while i < characters.count {
            guard let end = sentenceEnd(in: characters, at: i) else {
                i += 1
                continue
            }
            var next = end
            while next < characters.count && characters[next].isWhitespace { next += 1 }
            result.sentences.append(.init(text: String(characters[start..<end]), separator: String(characters[end..<next])))
            start = next
            i = next
        }
        if start < characters.count { result.sentences.append(.init(text: String(characters[start...]), separator: "")) }
        return result
    }

    /// Where the sentence ends (one past its last character) if the character at `i` ends it.
    private func sentenceEnd(in c: [Character], at i: Int) -> Int? {
        if c[i].isNewline { return i }
        let mark = c[i]
        guard Self.isEndMark(mark) else { return nil }
        var end = i + 1
        // A run of marks ("?!", "...") ends together.
        while end < c.count, Self.isEndMark(c[end]) { end += 1 }
        let marksEnd = end
        while end < c.count, Self.closers.contains(c[end]) { end += 1 }
        guard end == c.count || c[end].isWhitespace else { return nil }
        if c[end...].allSatisfy(\.isWhitespace) { return end }
        let nextWord = firstWord(in: c, from: end)
        let ellipsis = mark == "…" || (mark == "." && end - i >= 3 && c[i + 1] == "." && c[i + 2] == ".")
        if ellipsis { return startsUpper(nextWord) ? end : nil }
        // A quotation that ends with ! or ? and goes on in lower case: “Run!” he shouted.
        if mark == "!" || mark == "?" { return end > marksEnd && !startsUpper(nextWord) && !startsNumber(nextWord) ? nil : end }
        return periodEnds(c, at: i, before: nextWord) ? end : nil
    }

    private static func isEndMark(_ character: Character) -> Bool {
        character == "." || character == "!" || character == "?" || character == "…"
    }

    /// Whether the `.` at `i` ends its sentence, given the word after it.
    private func periodEnds(_ c: [Character], at i: Int, before nextWord: String) -> Bool {
        var wordStart = i
        while wordStart > 0, !c[wordStart - 1].isWhitespace, !Self.openers.contains(c[wordStart - 1]) { wordStart -= 1 }
        let word = String(c[wordStart..<i]).lowercased()
        if word.count == 1, word.first!.isLetter { return false }  // an initial: "J. K. Rowling"
        if Self.neverFinal.contains(word) { return false }
        if word == "no", startsNumber(nextWord) { return false }  // "No. 5"
        if Self.finalBeforeCapital.contains(word) { return startsUpper(nextWord) }
        return startsUpper(nextWord) || startsNumber(nextWord) || nextWord.first.map { !$0.isLetter } ?? true
    }

    /// The first word from `start` on, past whitespace and opening quotes or brackets.
    private func firstWord(in c: [Character], from start: Int) -> String {
        var i = start
        while i < c.count, c[i].isWhitespace || Self.openers.contains(c[i]) { i += 1 }
        var j = i
        while j < c.count, !c[j].isWhitespace { j += 1 }
        return String(c[i..<j])
    }

    private func startsUpper(_ word: String) -> Bool { word.first.map(\.isUppercase) ?? false }
    private func startsNumber(_ word: String) -> Bool { word.first.map(\.isNumber) ?? false }
}
