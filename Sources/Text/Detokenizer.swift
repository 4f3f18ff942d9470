/// Turns output tokens back into ordinary text.
///
/// Tokens are joined by single spaces; `,` and `.` attach to the word before them, while the
/// French space before `!` and `?` is kept, as in the training data; the first letter is
/// upper-cased. `["va", "!"]` → `Va !`, `["j'ai", "perdu", "."]` → `J'ai perdu.`
public func detokenize(_ tokens: [String]) -> String {
    var text = ""
    for token in tokens {
        if !text.isEmpty && token != "," && token != "." { text.append(" ") }
        text.append(token)
    }
    guard let first = text.first else { return text }
    return first.uppercased() + text.dropFirst()
}
