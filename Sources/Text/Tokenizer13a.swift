/// Splits `line` into tokens the way sacrebleu's default `13a` tokenizer (`Tokenizer13a`, the
/// language-independent tokenization of WMT's `mteval-v13a.pl`) does before counting BLEU
/// n-grams; the tokens joined by single spaces are exactly the string `Tokenizer13a()(line)`
/// returns.
///
/// Steps, in order, all on Unicode scalars as Python sees code points:
/// 1. `<skipped>` is deleted, `-` + line feed is deleted (joining hyphenated line breaks), and
///    the remaining line feeds become spaces.
/// 2. `&quot;` `&amp;` `&lt;` `&gt;` are unescaped, one after the other (so `&amp;lt;` ends
///    as `<`).
/// 3. The line is padded with a space on each side, then sacrebleu's four regular-expression
///    substitutions run one after the other, each left to right over non-overlapping matches:
///    - ``([\{-\~\[-\` -\&\(-\+\:-\@\/])`` → ` \1 `: each of ``{|}~[\]^_` !"#$%&()*+:;<=>?@/``
///      becomes a token of its own (apostrophes and hyphens do not);
///    - `([^0-9])([\.,])` → `\1 \2 `: `.` or `,` after a non-digit is split off;
///    - `([\.,])([^0-9])` → ` \1 \2`: `.` or `,` before a non-digit is split off;
///    - `([0-9])(-)` → `\1 \2 `: `-` after a digit is split off.
///
///    So `3.5` and `1,000` stay whole while `fin.` and `oui,` are split.
/// 4. The result is split on Python's whitespace (`str.split()`), dropping empty pieces.
///
/// No lower-casing is done. `"J'ai 3,5 kg.&amp; (100%)"` → `["J'ai", "3,5", "kg", ".", "&",
/// "(", "100", "%", ")"]`.
public func tokenize13a(_ line: String) -> [String] {
    tokens13a(Array(line.unicodeScalars)).map { String(String.UnicodeScalarView($0)) }
}

/// The `13a` tokens of `line` (see `tokenize13a(_:)`), each as its Unicode scalars so that
/// tokens compare by code point, as in Python, rather than by canonical equivalence.
func tokens13a(_ line: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
    var text = line
    for (target, replacement) in [
        ("<skipped>", ""), ("-\n", ""), ("\n", " "),
        ("&quot;", "\""), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"),
    ] {
        text = replacingAll(
            Array(target.unicodeScalars), with: Array(replacement.unicodeScalars), in: text)
    }
    text = [" "] + text + [" "]

    var spaced: [Unicode.Scalar] = []
    spaced.reserveCapacity(text.count * 2)
    for c in text {
        if isSplitSymbol(c) { spaced += [" ", c, " "] } else { spaced.append(c) }
    }
    text = substitutingPairs(in: spaced, where: { !isDigit($0) && isPeriodOrComma($1) }) {
        [$0, " ", $1, " "]
    }
    text = substitutingPairs(in: text, where: { isPeriodOrComma($0) && !isDigit($1) }) {
        [" ", $0, " ", $1]
    }
    text = substitutingPairs(in: text, where: { isDigit($0) && $1 == "-" }) { [$0, " ", $1, " "] }

    return text.split(whereSeparator: isPythonWhitespace).map(Array.init)
}

/// Whether Python's `str.isspace()` holds for `c`: the separators `str.split()` and
/// `str.rstrip()` use by default. Unlike Unicode's White_Space property this includes the
/// information separators U+001C–U+001F.
func isPythonWhitespace(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F,
        0x205F, 0x3000:
        return true
    default:
        return false
    }
}

/// Whether `c` is in the class ``[\{-\~\[-\` -\&\(-\+\:-\@\/]`` of the first `13a` rule.
private func isSplitSymbol(_ c: Unicode.Scalar) -> Bool {
    switch c {
    case "{"..."~", "["..."`", " "..."&", "("..."+", ":"..."@", "/": return true
    default: return false
    }
}

/// Whether `c` is an ASCII digit, the class `[0-9]`.
private func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

/// Whether `c` is `.` or `,`, the class `[\.,]`.
private func isPeriodOrComma(_ c: Unicode.Scalar) -> Bool { c == "." || c == "," }

/// `text` with every non-overlapping occurrence of `target`, found left to right, replaced by
/// `replacement`: Python's `str.replace`.
private func replacingAll(
    _ target: [Unicode.Scalar], with replacement: [Unicode.Scalar], in text: [Unicode.Scalar]
) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(text.count)
    var i = 0
    while i < text.count {
        if text.count - i >= target.count && text[i..<(i + target.count)].elementsEqual(target) {
            out += replacement
            i += target.count
        } else {
            out.append(text[i])
            i += 1
        }
    }
    return out
}

/// `text` with each two-scalar match of a pattern replaced: Python's `re.sub` for a pattern of
/// two single-character groups, which takes the leftmost match and resumes after it.
private func substitutingPairs(
    in text: [Unicode.Scalar], where matches: (Unicode.Scalar, Unicode.Scalar) -> Bool,
    by replacement: (Unicode.Scalar, Unicode.Scalar) -> [Unicode.Scalar]
) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(text.count * 2)
    var i = 0
    while i < text.count {
        if i + 1 < text.count && matches(text[i], text[i + 1]) {
            out += replacement(text[i], text[i + 1])
            i += 2
        } else {
            out.append(text[i])
            i += 1
        }
    }
    return out
}
