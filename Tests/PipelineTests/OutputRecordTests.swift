import Foundation
import Tensor
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

    /// Foundation's reading of `json` as an object of strings, or nil.
    func foundationFields(_ json: [UInt8]) -> [String: String]? {
        (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: String]
    }

    @Test func theFastParserReadsWhatFoundationReads() throws {
        var generator = SeededGenerator(seed: 5)
        let pools: [ClosedRange<UInt32>] = [0...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF]
        for _ in 0..<500 {
            let text = String(String.UnicodeScalarView((0..<Int.random(in: 0...30, using: &generator)).compactMap { _ in
                Unicode.Scalar(UInt32.random(in: pools.randomElement(using: &generator)!, using: &generator))
            }))
            let record = OutputRecord(clientID: Array(text.utf8), source: text, outcome: .error(text))
            let written = [record.json, Array(try JSONSerialization.data(withJSONObject: ["id": text, "source": text, "error": text]))]
            for json in written {
                let fields = try #require(StringObjectParser.parse(json))
                #expect(fields == foundationFields(json))
                #expect(try OutputRecord(json: json) == record)
            }
        }
        let handWritten = [
            #" { "source" : "a\u00e9\u00E9\/\b\f" , "id":"\ud83d\ude00" } "#, "{}", #"{"a":"1","a":"2"}"#,
            "{\n\t\"source\":\r\"\"}",
        ]
        for json in handWritten.map({ Array($0.utf8) }) {
            let fields = try #require(StringObjectParser.parse(json))
            #expect(fields == foundationFields(json))
        }
    }

    @Test func theFastParserRefusesEverythingElse() {
        let refused = [
            #"{"source":"a","score":0.5}"#, #"{"source":["a"]}"#, #"{"source":null}"#, #"["a"]"#, #"{"source":"a"} x"#,
            #"{"source":"a",}"#, #"{"source" "a"}"#, #"{"source":"a"#, #"{"source":"\ud800"}"#, #"{"source":"\udc00"}"#,
            #"{"source":"\u12"}"#, #"{"source":"\x"}"#, "{\"source\":\"a\tb\"}", "", "{",
        ]
        for json in refused {
            #expect(StringObjectParser.parse(Array(json.utf8)) == nil, "\(json)")
        }
        #expect(StringObjectParser.parse([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x22, 0x22, 0x7D]) == nil)
    }

    @Test func otherValueTypesFallBackToTheFullParser() throws {
        let record = try OutputRecord(json: Array(#"{"id":"1","source":"a","translation":"b","score":0.5}"#.utf8))
        #expect(record == OutputRecord(clientID: Array("1".utf8), source: "a", outcome: .translation("b")))
        #expect(throws: DecodingError.self) { try OutputRecord(json: Array(#"{"id":"1"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try OutputRecord(json: Array(#"{"source":"a","id":7}"#.utf8)) }
    }
}
