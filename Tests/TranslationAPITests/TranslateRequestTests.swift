import Testing

@testable import TranslationAPI

@Suite struct TranslateRequestTests {
    let pair = LanguagePair(source: "en", target: "fr")

    func request(_ values: [String: String], q: RequestParameters.Value? = nil, maxCharacters: Int = 20) throws(APIError) -> TranslateRequest {
        var body = values.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        if case .string(let text)? = q { body += "&q=\(text)" }
        var parameters = try RequestParameters(query: nil, body: Array(body.utf8), contentType: nil)
        if case .strings(let texts)? = q {
            parameters = try RequestParameters(
                query: body, body: Array(#"{"q": [\#(texts.map { "\"\($0)\"" }.joined(separator: ","))]}"#.utf8), contentType: "application/json")
        }
        return try TranslateRequest(parameters, languages: pair, maxCharacters: maxCharacters)
    }

    @Test func aGoodRequest() throws {
        let single = try request(["source": "auto", "target": "fr", "format": "html"], q: .string("Go."))
        #expect(single.texts == ["Go."] && !single.isArray && single.format == .html && single.detectSource)
        let array = try request(["source": "en", "target": "fr"], q: .strings(["a", "b"]))
        #expect(array.texts == ["a", "b"] && array.isArray && array.format == .text && !array.detectSource)
    }

    @Test func libreTranslatesMessagesForBadOnes() {
        let cases: [([String: String], RequestParameters.Value?, String)] = [
            (["source": "en", "target": "fr"], nil, "Invalid request: missing q parameter"),
            (["source": "en", "target": "fr"], .strings([]), "Invalid request: missing q parameter"),
            (["target": "fr"], .string("a"), "Invalid request: missing source parameter"),
            (["source": "en"], .string("a"), "Invalid request: missing target parameter"),
            (["source": "de", "target": "fr"], .string("a"), "de is not supported"),
            (["source": "en", "target": "es"], .string("a"), "es is not supported"),
            (["source": "en", "target": "fr", "format": "pdf"], .string("a"), "Invalid request: format must be text or html, not pdf"),
            (["source": "en", "target": "fr"], .strings(["0123456789", "0123456789é"]), "Invalid request: request (21) exceeds text limit (20)"),
        ]
        for (values, q, message) in cases {
            #expect(throws: APIError(.badRequest, message)) { try request(values, q: q) }
        }
    }
}
