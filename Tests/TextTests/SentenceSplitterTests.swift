import Testing

@testable import Text

/// The English sentence splitter on a table of ordinary and awkward cases.
@Suite struct SentenceSplitterTests {
    static let cases: [(String, [String])] = [
        // Ordinary ends.
        ("Hello world.", ["Hello world."]),
        ("I lost. He is calm.", ["I lost.", "He is calm."]),
        ("Go! Run!", ["Go!", "Run!"]),
        ("Who are you? I'm Tom.", ["Who are you?", "I'm Tom."]),
        ("Really?! Yes.", ["Really?!", "Yes."]),
        ("Stop. Now. Please.", ["Stop.", "Now.", "Please."]),
        ("No end mark", ["No end mark"]),
        ("One. Two", ["One.", "Two"]),
        ("It is 5 p.m. now.", ["It is 5 p.m. now."]),
        ("Wait... what?", ["Wait... what?"]),
        ("Wait... What?", ["Wait...", "What?"]),
        ("Hmm… Maybe.", ["Hmm…", "Maybe."]),
        ("Hmm… maybe.", ["Hmm… maybe."]),
        // Quotes and brackets after the end mark stay with the sentence.
        ("He said \"Go.\" Then he left.", ["He said \"Go.\"", "Then he left."]),
        ("She asked, 'Why?' Nobody knew.", ["She asked, 'Why?'", "Nobody knew."]),
        ("(This is aside.) Back to it.", ["(This is aside.)", "Back to it."]),
        ("“Run!” he shouted. “Now!”", ["“Run!” he shouted.", "“Now!”"]),
        ("It works [see below.] Fine.", ["It works [see below.]", "Fine."]),
        ("He left. «Adieu», she said.", ["He left.", "«Adieu», she said."]),
        ("The end.) Next.", ["The end.)", "Next."]),
        // The next sentence may open with a quote or a bracket.
        ("I know. \"You do?\"", ["I know.", "\"You do?\""]),
        ("Done. (Mostly.)", ["Done.", "(Mostly.)"]),
        ("Yes. ¿Qué?", ["Yes.", "¿Qué?"]),
        // Titles and other abbreviations.
        ("Mr. Smith is here.", ["Mr. Smith is here."]),
        ("Mrs. Brown and Dr. Who met.", ["Mrs. Brown and Dr. Who met."]),
        ("Ask Prof. Lee. He knows.", ["Ask Prof. Lee.", "He knows."]),
        ("St. Louis is big.", ["St. Louis is big."]),
        ("Bring fruit, e.g. apples. Thanks.", ["Bring fruit, e.g. apples.", "Thanks."]),
        ("Bring fruit, e.g., apples.", ["Bring fruit, e.g., apples."]),
        ("Use a tool, i.e. a hammer.", ["Use a tool, i.e. a hammer."]),
        ("Cats vs. dogs.", ["Cats vs. dogs."]),
        ("See fig. 3 for details.", ["See fig. 3 for details."]),
        ("It is room No. 5 today.", ["It is room No. 5 today."]),
        ("I said no. Then I left.", ["I said no.", "Then I left."]),
        ("He lives in the U.S. now.", ["He lives in the U.S. now."]),
        ("He lives in the U.S. He likes it.", ["He lives in the U.S.", "He likes it."]),
        ("Apples, pears, etc. are fruit.", ["Apples, pears, etc. are fruit."]),
        ("Apples, pears, etc. Then bread.", ["Apples, pears, etc.", "Then bread."]),
        ("We met at 9 a.m. It rained.", ["We met at 9 a.m.", "It rained."]),
        ("Acme Inc. makes tools.", ["Acme Inc. makes tools."]),
        ("Born on Jan. 5 in Rome.", ["Born on Jan. 5 in Rome."]),
        // Initials.
        ("J. K. Rowling wrote it.", ["J. K. Rowling wrote it."]),
        ("Call John F. Kennedy. He answers.", ["Call John F. Kennedy.", "He answers."]),
        // Numbers.
        ("Pi is 3.14 or so.", ["Pi is 3.14 or so."]),
        ("It costs $4.50. That is cheap.", ["It costs $4.50.", "That is cheap."]),
        ("Version 2.0.1 is out. Upgrade.", ["Version 2.0.1 is out.", "Upgrade."]),
        ("I counted to 10. 11 came next.", ["I counted to 10.", "11 came next."]),
        ("The score was 3-1. We won.", ["The score was 3-1.", "We won."]),
        // A lower-case word after a period continues the sentence.
        ("This is odd. and wrong.", ["This is odd. and wrong."]),
        ("Visit example.com today.", ["Visit example.com today."]),
        ("Mail me at tom@example.org. Bye.", ["Mail me at tom@example.org.", "Bye."]),
        // Line breaks always end a sentence.
        ("First line\nSecond line", ["First line", "Second line"]),
        ("Title\n\nParagraph one. Paragraph two.", ["Title", "Paragraph one.", "Paragraph two."]),
        ("Line one.\nLine two.", ["Line one.", "Line two."]),
        ("A\r\nB", ["A", "B"]),
        ("Mr.\nSmith", ["Mr.", "Smith"]),
        // Whitespace.
        ("  Leading space. Trailing space.  ", ["Leading space.", "Trailing space."]),
        ("Two  spaces.  Between sentences.", ["Two  spaces.", "Between sentences."]),
        ("Tab\tinside. And\tafter.\t", ["Tab\tinside.", "And\tafter."]),
        ("Non-breaking.\u{00A0}Space.", ["Non-breaking.", "Space."]),
        ("", []),
        ("   ", []),
        ("\n\n", []),
        // Other scripts and symbols.
        ("C'est ça ! Vraiment ?", ["C'est ça !", "Vraiment ?"]),
        ("I ❤️ Paris. 🇫🇷 is great.", ["I ❤️ Paris.", "🇫🇷 is great."]),
        ("Ünïcödé. Ōk.", ["Ünïcödé.", "Ōk."]),
        ("Wow!!! Amazing!!!", ["Wow!!!", "Amazing!!!"]),
        ("Hello.World", ["Hello.World"]),
    ]

    @Test func splitsTheTable() {
        #expect(Self.cases.count >= 60)
        for (text, expected) in Self.cases {
            #expect(SentenceSplitter().split(text).sentences.map(\.text) == expected, "\(text.debugDescription)")
        }
    }

    @Test func joiningGivesTheTextBackExactly() {
        for (text, _) in Self.cases {
            #expect(SentenceSplitter().split(text).joined() == text, "\(text.debugDescription)")
        }
        let split = SentenceSplitter().split("  One.  Two.\n\nThree ")
        #expect(split.leading == "  ")
        #expect(split.sentences.map(\.separator) == ["  ", "\n\n", ""])
        #expect(split.sentences.last?.text == "Three ")
        #expect(split.joined { "<\($0)>" } == "  <One.>  <Two.>\n\n<Three >")
    }
}
