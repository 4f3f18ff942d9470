import Foundation
import Testing

@testable import TranslationAPI

@Suite struct TranslationJSONTests {
    func parse(_ bytes: [UInt8]) throws -> NSDictionary? {
        try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary
    }

    @Test func aStringOrAnArrayWithEscapesAndDetections() throws {
        let single = TranslationJSON.encode(["Il a dit \"non\"\n\\ <b>"], isArray: false, detected: nil)
        #expect(try parse(single) == ["translatedText": "Il a dit \"non\"\n\\ <b>"])
        let array = TranslationJSON.encode(["a", "é"], isArray: true, detected: [(100, "en"), (87.5, "en")])
        #expect(String(decoding: array, as: UTF8.self).hasPrefix(#"{"detectedLanguage":[{"confidence":100,"language":"en"},"#))
        let parsed = try parse(array)
        #expect(parsed?["translatedText"] as? [String] == ["a", "é"])
        #expect((parsed?["detectedLanguage"] as? [NSDictionary])?.map { $0["confidence"] as? Double } == [100, 87.5])
        let detectedOne = TranslationJSON.encode(["a"], isArray: false, detected: [(0, "en")])
        #expect(try parse(detectedOne) == ["translatedText": "a", "detectedLanguage": ["confidence": 0, "language": "en"]])
    }
}
