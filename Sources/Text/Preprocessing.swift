/// The d2l.ai text preprocessing for the English–French data.
///
/// Narrow no-break space (U+202F) and no-break space (U+00A0) become spaces, the text is
/// lower-cased, and a space is inserted before `,` `.` `!` `?` when the preceding character
/// is not already a space.
public func preprocess(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    var previous: Unicode.Scalar?
    for scalar in text.lowercased().unicodeScalars {
        let s: Unicode.Scalar = (scalar == "\u{202F}" || scalar == "\u{00A0}") ? " " : scalar
        if let p = previous, p != " ", s == "," || s == "." || s == "!" || s == "?" {
            out.append(" ")
        }
        out.append(s)
        previous = s
    }
    return String(out)
}

/// Splits preprocessed text on spaces, dropping empty pieces.
public func tokenize(_ text: String) -> [String] {
    text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
}
