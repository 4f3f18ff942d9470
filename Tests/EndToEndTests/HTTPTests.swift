import Foundation
import Pipeline
import Testing

/// `seq2seq up --http` and `seq2seq http`: LibreTranslate's API through the pipeline, with
/// real clients (libretranslatepy, schemathesis, concurrent HTTP requests beside ZeroMQ clients).
@Suite struct HTTPTests {
    /// `up --http` on the golden model on a free port, waited for until it listens.
    func startUp(_ arguments: [String]) throws -> (up: UpProcess, url: String) {
        let port = freePort()
        let up = try UpProcess(["--http", "127.0.0.1:\(port)"] + arguments)
        #expect(up.stage.waitForLog("http api listening"), "\(up.stage.log)")
        return (up, "http://127.0.0.1:\(port)/")
    }

    @Test func libretranslatepyTranslatesDetectsListsLanguagesAndIsRefusedClearly() throws {
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try "# test keys\nsecret-key\n".write(to: keys, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: keys) }
        let texts = Corpus.sentences(6, seed: 15)
        let expected = try PythonClients.jsonFile(Dictionary(uniqueKeysWithValues: zip(texts, try Corpus.offline(texts))))
        defer { try? FileManager.default.removeItem(at: expected) }
        let metricsBase = freePorts(4)
        let (up, url) = try startUp([
            "--workers", "1", "--api-keys", keys.path, "--max-chars", "300", "--metrics-port", "\(metricsBase)", "--metrics-host", "127.0.0.1",
        ])
        let check = PythonClients.directory.appendingPathComponent("libretranslate_check.py").path
        let out = try PythonClients.venvRun("python", [check, url, "secret-key", expected.path, "300"])
        #expect(out.status == 0 && out.output.contains("libretranslatepy: all checks passed"), "\(out.output)\n\(up.stage.log)")

        // The front end's metrics, after the tokenizer's, the sink's and the worker's ports.
        let metrics = HTTPClient.request("http://127.0.0.1:\(metricsBase + 3)/metrics")?.body ?? ""
        #expect(metrics.contains(#"seq2seq_http_requests_total{path="/translate"}"#), "\(metrics)")
        #expect(metrics.contains(#"seq2seq_http_errors_total{status="403"} 2"#), "\(metrics)")
        #expect(metrics.contains(#"seq2seq_http_request_seconds_bucket{path="/translate""#), "\(metrics)")

        // Clients that send a request and go at once leave nothing behind: nothing waits in the
        // front end, nothing stays in flight in the pipeline.
        let leave = """
            import socket, sys
            body = b"q=go+.&source=en&target=fr&api_key=secret-key"
            for _ in range(20):
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.sendall(b"POST /translate HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/x-www-form-urlencoded\\r\\nContent-Length: %d\\r\\n\\r\\n%s" % (len(body), body))
                s.close()
            """
        let port = URL(string: url)!.port!
        #expect(try PythonClients.venvRun("python", ["-c", leave, "\(port)"]).status == 0)
        let settled = waitUntil(seconds: 60) {
            let front = HTTPClient.request("http://127.0.0.1:\(metricsBase + 3)/metrics")?.body ?? ""
            let tokenizer = HTTPClient.request("http://127.0.0.1:\(metricsBase)/metrics")?.body ?? ""
            return front.contains("seq2seq_requests_waiting 0") && tokenizer.contains("seq2seq_in_flight 0")
                && tokenizer.contains(#"seq2seq_inputs_total{stage="tokenizer"} "#)
        }
        #expect(settled, "\(HTTPClient.request("http://127.0.0.1:\(metricsBase + 3)/metrics")?.body ?? "")")
        let tokenizerMetrics = HTTPClient.request("http://127.0.0.1:\(metricsBase)/metrics")?.body ?? ""
        let inputs = tokenizerMetrics.split(separator: "\n").first { $0.hasPrefix(#"seq2seq_inputs_total{stage="tokenizer"} "#) }
        #expect(inputs.flatMap { Double($0.split(separator: " ").last!) }.map { $0 >= 26 } == true, "\(tokenizerMetrics)")
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0)
    }

    @Test func schemathesisFindsNoServerErrorAndOnlyResponsesTheSchemaDescribes() throws {
        let (up, url) = try startUp(["--workers", "1", "--max-chars", "2000"])
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("schemathesis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // The document as it is, with the languages of this server's model fixed, so that most
        // generated requests get as far as the pipeline.
        let document = try String(contentsOf: PythonClients.repository.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let fixed = document.replacingOccurrences(of: "      type: string\n      example: en\n", with: "      type: string\n      enum: [auto, en]\n")
            .replacingOccurrences(of: "      type: string\n      example: fr\n", with: "      type: string\n      enum: [fr]\n")
        #expect(fixed.contains("enum: [auto, en]") && fixed.contains("enum: [fr]"))
        let schema = scratch.appendingPathComponent("openapi.yaml").path
        try fixed.write(toFile: schema, atomically: true, encoding: .utf8)
        let out = try PythonClients.venvRun(
            "st",
            [
                "run", schema, "--url", url,
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                "--phases", "examples,coverage,fuzzing", "--max-examples", "50", "--seed", "15", "--request-timeout", "60",
                "--generation-database", "none",
            ], in: scratch)
        #expect(out.status == 0, "\(out.output)\n\(up.stage.log)")
        #expect(!up.stage.log.contains("request failed"), "\(up.stage.log)")
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0, "\(up.stage.log)")
    }

    @Test func concurrentHTTPRequestsAndZeroMQClientsEachGetTheirOwnResults() throws {
        // 200 texts for HTTP: sentences, paragraphs of three sentences on one line, and documents of
        // two such paragraphs (each as `translate` gives it for its line); 1,000 lines for ZeroMQ.
        let sentences = Corpus.sentences(800, seed: 21).map { $0 + " ." }
        let paragraphs = (0..<200).map { (i: Int) -> String in sentences[(200 + 3 * i)..<(203 + 3 * i)].joined(separator: " ") }
        let documents = (0..<200).map { (i: Int) -> [String] in
            switch i % 8 {
            case 0: [paragraphs[i], paragraphs[(i + 1) % 200]]
            case 1, 5: [paragraphs[i]]
            default: [sentences[i]]
            }
        }
        let texts = documents.map { $0.joined(separator: "\n\n") }
        let lines = Corpus.sentences(1000, seed: 22)
        let documentLines = documents.flatMap { $0 }
        let expected = try Corpus.offline(documentLines + lines)
        var offset = 0
        let httpExpected = documents.map { (document: [String]) -> String in
            defer { offset += document.count }
            return expected[offset..<(offset + document.count)].joined(separator: "\n\n")
        }
        let zmqExpected = Array(expected.dropFirst(documentLines.count))
        let (up, url) = try startUp(["--workers", "2"])
        let textsFile = try PythonClients.jsonFile(texts)
        let answersFile = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID().uuidString).json")
        defer { for file in [textsFile, answersFile] { try? FileManager.default.removeItem(at: file) } }

        // Two ZeroMQ clients push 500 lines each (under client ids) while the HTTP requests run.
        let clients = try (0..<2).map { _ in try up.client() }
        let pushing = DispatchGroup()
        for (number, client) in clients.enumerated() {
            DispatchQueue.global().async(group: pushing) {
                for index in stride(from: number, to: lines.count, by: 2) { try? client.send([Array("z\(index)".utf8), Array(lines[index].utf8)]) }
            }
        }
        let script = PythonClients.directory.appendingPathComponent("concurrent_requests.py").path
        let out = try PythonClients.venvRun("python", [script, url, textsFile.path, answersFile.path])
        pushing.wait()
        #expect(out.status == 0, "\(out.output)")

        let answers = try JSONSerialization.jsonObject(with: Data(contentsOf: answersFile)) as? [[Any]] ?? []
        #expect(answers.count == 200)
        for (index, answer) in answers.enumerated() {
            #expect(answer.first as? Int == 200 && answer.last as? String == httpExpected[index], "text \(index): \(answer)")
        }
        // The output socket deals records out to both clients' PULL sockets: read both, then make
        // sure nothing more comes.
        var records: [OutputRecord] = []
        let deadline = Date().addingTimeInterval(120)
        while records.count < lines.count && Date() < deadline {
            for client in clients {
                while let frame = try client.receiveFrame(seconds: 0.01) { records.append(try OutputRecord(json: frame)) }
            }
        }
        for client in clients {
            while let frame = try client.receiveFrame(seconds: 1) { records.append(try OutputRecord(json: frame)) }
        }
        #expect(records.count == lines.count)
        #expect(Set(records.compactMap(\.id)).count == lines.count)
        for record in records {
            guard let id = record.id, let index = Int(String(id.dropFirst())) else { Issue.record("unexpected record \(record)"); continue }
            #expect(record.source == lines[index] && record.translation == zmqExpected[index], "\(record)")
        }
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0)
    }

    /// `seq2seq http` with no pipeline behind it: what needs none (CORS, the rate limit on
    /// `/detect`) works, and a translation is answered 503 once the timeout has passed.
    @Test func withoutAPipelineRequestsGet503InTimeAndCORSAndTheRateLimitHold() throws {
        let port = freePort()
        let http = try StageProcess([
            "http", "--listen", "127.0.0.1:\(port)", "--model", Binary.goldenModel, "--requests", freeEndpoint(), "--replies",
            freeEndpoint(), "--request-timeout", "0.5", "--cors-origins", "https://a.example, https://b.example",
            "--requests-per-minute", "3",
        ])
        #expect(http.waitForLog("http api listening"), "\(http.log)")
        let base = "http://127.0.0.1:\(port)/"
        let form = "application/x-www-form-urlencoded"
        let answer = HTTPClient.request(base + "translate", method: "POST", body: Data("q=go%20.&source=en&target=fr".utf8), contentType: form)
        #expect(answer?.status == 503)
        #expect(answer?.body.contains("did not answer within 0.5 s") == true, "\(answer?.body ?? "no answer")")

        let preflight = HTTPClient.request(
            base + "translate", method: "OPTIONS", headers: ["Origin": "https://b.example", "Access-Control-Request-Method": "POST"])
        #expect(preflight?.status == 204 && preflight?.headers["access-control-allow-origin"] == "https://b.example", "\(String(describing: preflight))")
        #expect(preflight?.headers["access-control-allow-methods"]?.contains("POST") == true)
        let allowed = HTTPClient.request(base + "languages", headers: ["Origin": "https://a.example"])
        #expect(allowed?.status == 200 && allowed?.headers["access-control-allow-origin"] == "https://a.example")
        let other = HTTPClient.request(base + "languages", headers: ["Origin": "https://evil.example"])
        #expect(other?.status == 200 && other?.headers["access-control-allow-origin"] == nil)

        // The translation above was the first of 3 requests this minute; the fourth is refused.
        let detections = (0..<3).map { _ in HTTPClient.request(base + "detect", method: "POST", body: Data("q=hello".utf8), contentType: form) }
        #expect(detections.map { $0?.status } == [200, 200, 429], "\(detections.map { $0?.body })")
        #expect(detections.last??.body.contains("Slowdown: too many requests") == true)
        http.send(SIGTERM)
        #expect(http.exitStatus() == 0)
    }
}
