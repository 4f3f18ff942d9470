import Testing

@testable import Text

/// Documents: split into sentences, each encoded, within the limits.
@Suite struct DocumentTests {
    let codec = try! MarianFixture.codec("separate")
    let splitter = SentenceSplitter()

    func encode(_ text: String, _ limits: DocumentLimits = DocumentLimits()) throws(DocumentError) -> EncodedDocument {
        try codec.encodeDocument(text, splitter: splitter, limits: limits)
    }

    @Test func eachSentenceIsEncodedOnItsOwnAndTheTextAroundIsKept() throws {
        let text = "  I lost. He is calm.\n\nMr. Smith paid $3.50, e.g. for tea…  "
        let document = try encode(text)
        #expect(document.text.sentences.map(\.text) == ["I lost.", "He is calm.", "Mr. Smith paid $3.50, e.g. for tea…"])
        #expect(document.ids == document.text.sentences.map { try! codec.encode($0.text, maxTokens: .max) })
        #expect(document.text.joined() == text)
    }

    @Test func oneSentenceOverTheLimitIsAnErrorOfTheInputOfSeveralOneNamingTheSentence() throws {
        let long = "Cat " + Array(repeating: "cat", count: 30).joined(separator: " ") + "."
        let limits = DocumentLimits(maxTokensPerSentence: 10)
        let error = #expect(throws: SegmentError.self) { try codec.encode(long, maxTokens: 10) }
        #expect(throws: DocumentError.input(error!)) { try encode(long, limits) }
        #expect(throws: DocumentError.sentence(index: 1, count: 3, error!)) { try encode("Go. \(long) Run!", limits) }
        #expect(DocumentError.sentence(index: 1, count: 3, .tooLong(tokens: 40, limit: 10)).description
            == "sentence 2 of 3 has 40 tokens, more than the limit of 10")
    }

    @Test func byteAndSentenceLimitsAndEmptyInput() {
        #expect(throws: DocumentError.tooManyBytes(bytes: 12, limit: 11)) { try encode("Go. Run now.", DocumentLimits(maxBytes: 11)) }
        #expect(throws: DocumentError.tooManySentences(count: 3, limit: 2)) { try encode("Go. Run. Stop.", DocumentLimits(maxSentences: 2)) }
        #expect(throws: DocumentError.input(.empty)) { try encode(" \n\t ") }
        #expect(DocumentError.tooManyBytes(bytes: 70000, limit: 65536).description == "input has 70000 bytes, more than the limit of 65536")
        #expect(DocumentError.tooManySentences(count: 3, limit: 2).kind == "too_many_sentences")
        #expect(DocumentError.input(.empty).description == "input is empty")
    }
}
