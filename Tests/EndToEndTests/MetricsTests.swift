import Foundation
import Testing

/// Each stage started with `--metrics-port` serves Prometheus text that follows the traffic.
@Suite struct MetricsTests {
    /// The body of `GET http://127.0.0.1:port/path` and its status.
    func get(_ port: Int, _ path: String) -> (status: Int, body: String)? {
        HTTPClient.request("http://127.0.0.1:\(port)\(path)").map { ($0.status, $0.body) }
    }

    /// The value of the sample `name{labels}` in Prometheus text, or nil when absent.
    func sample(_ body: String, _ series: String) -> Double? {
        body.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test func countersMoveWithTraffic() throws {
        let (ingest, output, work, results, acks) = (freeEndpoint(), freeEndpoint(), freeEndpoint(), freeEndpoint(), freeEndpoint())
        let (tokenizerPort, workerPort, sinkPort) = (freePort(), freePort(), freePort())
        let model = ["--model", Binary.goldenModel]
        let tokenizer = try StageProcess(
            ["tokenizer", "--ingest", ingest, "--submit", freeEndpoint(), "--work", work, "--acks", acks, "--metrics-port", "\(tokenizerPort)"] + model)
        let sink = try StageProcess(
            ["sink", "--results", results, "--output", output, "--deliver", freeEndpoint(), "--acks", acks, "--metrics-port", "\(sinkPort)"] + model)
        let worker = try StageProcess(["worker", "--work", work, "--results", results, "--metrics-port", "\(workerPort)"] + model)
        for stage in [tokenizer, sink, worker] { #expect(stage.waitForLog("metrics endpoint listening"), "\(stage.log)") }
        #expect(get(tokenizerPort, "/healthz")?.status == 200)
        #expect(get(workerPort, "/healthz")?.body == "ok\n")

        let client = try PipelineClient(ingest: ingest, output: output)
        let lines = Corpus.sentences(40, seed: 9) + ["", "go ."]  // one empty line: an error record
        for line in lines { try client.send(line) }
        let records = try client.receive(lines.count)
        #expect(records.count == lines.count)

        // Acknowledgements reach the tokenizer shortly after the outputs.
        #expect(waitUntil(seconds: 30) { get(tokenizerPort, "/metrics").flatMap { sample($0.body, "seq2seq_in_flight") } == 0 })
        let tokenizerMetrics = try #require(get(tokenizerPort, "/metrics")).body
        #expect(sample(tokenizerMetrics, #"seq2seq_inputs_total{stage="tokenizer"}"#) == Double(lines.count), "\(tokenizerMetrics)")
        #expect(tokenizerMetrics.contains(#"seq2seq_errors_total{stage="tokenizer",kind="empty"} 1"#), "\(tokenizerMetrics)")

        let sinkMetrics = try #require(get(sinkPort, "/metrics")).body
        #expect(sample(sinkMetrics, #"seq2seq_outputs_total{stage="sink"}"#) == Double(lines.count), "\(sinkMetrics)")

        let workerMetrics = try #require(get(workerPort, "/metrics")).body
        let batches = try #require(sample(workerMetrics, "seq2seq_batch_size_count"), "\(workerMetrics)")
        #expect(batches >= 1)
        // The empty line is rejected by the tokenizer and passes through unbatched.
        #expect(sample(workerMetrics, "seq2seq_batch_size_sum") == Double(lines.count - 1))
        #expect((sample(workerMetrics, "seq2seq_decode_seconds_count") ?? 0) >= 1, "\(workerMetrics)")
        #expect(workerMetrics.contains(#"seq2seq_batch_size_bucket{le="64.0"}"#), "\(workerMetrics)")
        // The compute type and the instruction set the products run on.
        #expect(workerMetrics.contains(#"seq2seq_compute{type="float32",isa=""#), "\(workerMetrics)")
    }

    @Test func upGivesEveryStageItsOwnMetricsPort() throws {
        let base = freePorts(4)
        let up = try UpProcess(["--workers", "2", "--metrics-port", "\(base)", "--metrics-host", "127.0.0.1"])
        let client = try up.client()
        try client.send("go .")
        #expect(try client.receive(1).first?.translation == "Va !")
        let expected = [(0, "tokenizer"), (1, "sink"), (2, "worker"), (3, "worker")]
        for (offset, stage) in expected {
            let served = waitUntil(seconds: 60) { get(base + offset, "/healthz")?.status == 200 }
            #expect(served, "\(stage) on port \(base + offset)")
            let body = get(base + offset, "/metrics")?.body ?? ""
            #expect(body.contains("stage=\"\(stage)\""), "\(stage): \(body)")
        }
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0)
    }
}
