import Foundation
import Testing

@testable import Pipeline

@Suite struct OutputRecordTests {
    @Test func translationRecordHasKeysInDocumentedOrder() {
        let record = OutputRecord(clientID: Array("7".utf8), source: "go .", outcome: .translation("Va !"))
        #expect(String(decoding: record.json, as: UTF8.self) == #"{"id":"7","source":"go .","translation":"Va !"}"#)
    }

    @Test func errorRecordForANonUTF8IDUsesBase64() throws {
        let record = OutputRecord(clientID: [0xFF, 0x00], source: "", outcome: .error("input is empty"))
        #expect(String(decoding: record.json, as: UTF8.self) == #"{"id_base64":"/wA=","source":"","error":"input is empty"}"#)
        #expect(try OutputRecord(json: record.json) == record)
        #expect(record.clientID == [0xFF, 0x00])
    }

    @Test func everyCharacterSurvivesAndTheFrameIsValidJSON() throws {
        let awkward = "quote \" backslash \\ slash / newline \n return \r tab \t nul \u{0} bell \u{7} unit \u{1F} del \u{7F} é ✓ 😀 \u{FFFD}"
        let record = OutputRecord(clientID: Array(awkward.utf8), source: awkward, outcome: .translation(awkward))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(record.json)) as? [String: String])
        #expect(object == ["id": awkward, "source": awkward, "translation": awkward])
        #expect(try OutputRecord(json: record.json) == record)
    }
}
