import Testing
import Text

@testable import Pipeline

@Suite struct AdmissionTests {
    func admit(_ frames: [[UInt8]], sequence: UInt64 = 12, maxInputTokens: Int = 200) -> Admission {
        Admission(frames: frames, sequence: sequence, codec: Fixture.model.codec, limits: DocumentLimits(maxTokensPerSentence: maxInputTokens))
    }

    @Test func oneFrameIsTextAnsweredUnderTheSequenceNumber() throws {
        let admission = admit([Array("go .".utf8)])
        #expect(admission.clientID == Array("12".utf8))
        #expect(admission.source == "go .")
        #expect(admission.payload == .tokens(try Fixture.model.codec.encode("go .", maxTokens: .max)))
        #expect(admission.errorKind == nil)
    }

    @Test func twoFramesCarryTheClientIDAsGivenEvenIfNotUTF8() {
        let admission = admit([[0xFF, 0x01], Array("go .".utf8)])
        #expect(admission.clientID == [0xFF, 0x01])
        #expect(admission.errorKind == nil)
        #expect(admit([[], Array("go .".utf8)]).clientID == [])
    }

    @Test(arguments: [
        ([[UInt8](repeating: 65, count: 257), Array("go .".utf8)], "id_too_long", "client id has 257 bytes, more than 256", "go ."),
        ([[1], [2], [3]], "frame_count", "message has 3 frames; expected 1 (text) or 2 (client id, text)", ""),
        ([[0x67, 0xFF, 0x6F]], "invalid_utf8", "input is not valid UTF-8", "g\u{FFFD}o"),
        ([Array("  \t ".utf8)], "empty", "input is empty", "  \t "),
        ([Array("go go go go".utf8)], "too_long", "input has 4 tokens, more than the limit of 3", "go go go go"),
    ])
    func rejectedInputsKeepTheirPlaceWithAnError(frames: [[UInt8]], kind: String, message: String, source: String) {
        let admission = admit(frames, maxInputTokens: 3)
        #expect(admission.errorKind == kind)
        #expect(admission.payload == .error(message))
        #expect(admission.source == source)
        #expect(admission.clientID == Array("12".utf8))
    }

    /// One sentence with nothing around it travels as it always has; anything else is a
    /// document of sentences, each with its own ids.
    @Test func textOfSeveralSentencesOrWithSpaceAroundIsADocument() throws {
        let codec = Fixture.model.codec
        #expect(admit([Array("go .".utf8)]).payload == .tokens(try codec.encode("go .", maxTokens: .max)))
        let ids = try ["I lost.", "Go!"].map { try codec.encode($0, maxTokens: .max) }
        #expect(admit([Array("I lost.  Go!".utf8)]).payload == .sentences(ids))
        #expect(admit([Array(" Go!\n".utf8)]).payload == .sentences([ids[1]]))
        let tooLong = admit([Array("Go! go go go go.".utf8)], maxInputTokens: 3)
        #expect(tooLong.payload == .error("sentence 2 of 2 has 5 tokens, more than the limit of 3"))
        #expect(tooLong.errorKind == "too_long")
    }

    @Test func aClientIDOfExactly256BytesIsAccepted() {
        let id = [UInt8](repeating: 66, count: 256)
        #expect(admit([id, Array("go .".utf8)]).clientID == id)
    }
}
