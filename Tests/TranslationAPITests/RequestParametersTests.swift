import Testing

@testable import TranslationAPI

@Suite struct RequestParametersTests {
    func parse(_ body: String, _ contentType: String? = "application/json", query: String? = nil) throws(APIError) -> RequestParameters {
        try RequestParameters(query: query, body: Array(body.utf8), contentType: contentType)
    }

    @Test func jsonWithAStringOrAnArrayQ() throws {
        let single = try parse(#"{"q": "Go.", "source": "en", "target": "fr", "api_key": 12, "format": null}"#)
        #expect(single.values == ["q": .string("Go."), "source": .string("en"), "target": .string("fr"), "api_key": .string("12")])
        let array = try parse(#"{"q": ["Go.", "I lost."]}"#, "application/json; charset=utf-8")
        #expect(array.values["q"] == .strings(["Go.", "I lost."]))
        #expect(array.string("q") == "Go.")
    }

    @Test func formBodiesAndQueryStrings() throws {
        let form = try parse("q=I%27m+home.&source=en&target=fr&empty=", "application/x-www-form-urlencoded", query: "target=de&x=1")
        #expect(form.values == ["q": .string("I'm home."), "source": .string("en"), "target": .string("fr"), "empty": .string(""), "x": .string("1")])
        #expect(try parse("q=a", nil).string("q") == "a")
        #expect(try parse("", "application/json", query: "q=b").string("q") == "b")
    }

    @Test func badBodiesAreClear400s() {
        for (body, type, message) in [
            ("{", "application/json", "Invalid request: the body is not valid JSON"),
            ("[1]", "application/json", "Invalid request: the body is not a JSON object"),
            (#"{"source": {"a": 1}}"#, "application/json", "Invalid request: source must be a string"),
            (#"{"q": [1, {"a": 2}]}"#, "application/json", "Invalid request: q must be a string or an array of strings"),
            ("<x/>", "application/xml", "Invalid request: unsupported content type application/xml; send application/json or application/x-www-form-urlencoded"),
        ] {
            #expect(throws: APIError(.badRequest, message)) { try parse(body, type) }
        }
        #expect(throws: APIError(.badRequest, "Invalid request: the body is not valid UTF-8")) {
            try RequestParameters(query: nil, body: [0x71, 0x3D, 0xFF], contentType: nil)
        }
    }
}
