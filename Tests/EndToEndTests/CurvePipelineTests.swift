import Foundation
import Synchronization
import Pipeline
import Testing
import ZeroMQ

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The pipeline with CURVE on: only keys on the list get in, everyone else is refused at
/// the handshake, and the legitimate stream goes on untouched.
@Suite struct CurvePipelineTests {
    /// A socket of `type` in a context of its own connected to `endpoint`, with CURVE
    /// (`keyPair`, talking to `server`) or plain.
    func outsider(_ type: SocketType, _ endpoint: String, keyPair: CurveKeyPair? = nil, server: CurveKeyPair? = nil) throws -> Socket {
        let socket = try Socket(Context(), type: type)
        try socket.set(.linger, 0)
        if let keyPair, let server {
            try socket.secureAsCurveClient(CurveSecurity(keyPair: keyPair, serverKey: server.publicKey, allowedClients: []))
        }
        try socket.connect(endpoint)
        return socket
    }

    @Test func onlyListedKeysSendOrReadThroughUp() throws {
        let keys = try KeyRing()
        let clients = try keys.list("clients", ["client"])
        let metricsPort = freePort()
        let started = Date()
        let up = try UpProcess(["--workers", "2", "--metrics-port", "\(metricsPort)"] + (try keys.arguments("server", clients: clients)))
        #expect(up.stage.waitForLog("started worker 2"), "\(up.stage.log)")
        let (server, stranger) = (try keys.keyPair("server"), try keys.keyPair("stranger"))

        // Outsiders: a key not on the list and no CURVE at all, at ingest, submit, output and deliver.
        let pushers = [
            try outsider(.push, up.ingest, keyPair: stranger, server: server), try outsider(.push, up.ingest),
            try outsider(.dealer, up.submit, keyPair: stranger, server: server), try outsider(.dealer, up.submit),
        ]
        let readers = [
            try outsider(.pull, up.output, keyPair: stranger, server: server), try outsider(.pull, up.output),
            try outsider(.dealer, up.deliver, keyPair: stranger, server: server), try outsider(.dealer, up.deliver),
        ]
        for reader in readers where reader.type == .dealer { try reader.send([Array("ready".utf8), Array("1000".utf8)], dontWait: true) }
        // They keep sending while the legitimate clients run.
        let stop = Atomic<Bool>(false)
        let sent = Atomic<Int>(0)
        let flood = Thread {
            while !stop.load(ordering: .relaxed) {
                for socket in pushers {
                    let frames = socket.type == .dealer ? [Array("id".utf8), Array("intruder text .".utf8)] : [Array("intruder text .".utf8)]
                    if (try? socket.send(frames, dontWait: true)) == true { sent.add(1, ordering: .relaxed) }
                }
                Thread.sleep(forTimeInterval: 0.001)
            }
        }
        flood.start()

        let lines = Corpus.sentences(200, seed: 16)
        let translations = try sendAndReceive(lines, ingest: up.ingest, output: up.output, curve: try keys.arguments("client", server: "server"))
        // Exactly what the same pipeline gives without CURVE (and what `translate` gives).
        let plain = try UpProcess(["--workers", "2"])
        #expect(plain.stage.waitForLog("started worker 2"), "\(plain.stage.log)")
        #expect(translations == (try sendAndReceive(lines, ingest: plain.ingest, output: plain.output)))
        #expect(translations == (try Corpus.offline(lines)))
        let metrics = MetricsTests()
        let before = try #require(metrics.get(metricsPort, "/metrics")).body
        #expect(metrics.sample(before, #"seq2seq_inputs_total{stage="tokenizer"}"#) == 200, "\(before)")
        // The acknowledged endpoints too (their inputs count resubmissions, so only outputs are counted below).
        let acked = Array(lines.prefix(20))
        #expect(
            try sendAndReceive(acked, ingest: up.submit, output: up.deliver, curve: try keys.arguments("client", server: "server"), acked: true)
                == Array(translations.prefix(20)))
        stop.store(true, ordering: .relaxed)

        // Nothing reached an outsider, and nothing of theirs was taken in.
        for reader in readers { #expect(try reader.receive(timeout: 500) == nil) }
        let body = try #require(metrics.get(metricsPort, "/metrics")).body
        #expect((metrics.sample(body, #"seq2seq_auth_failures_total{stage="tokenizer"}"#) ?? 0) >= 4, "\(body)")
        let sinkBody = try #require(metrics.get(metricsPort + 1, "/metrics")).body
        #expect((metrics.sample(sinkBody, #"seq2seq_auth_failures_total{stage="sink"}"#) ?? 0) >= 4, "\(sinkBody)")
        #expect(metrics.sample(sinkBody, #"seq2seq_outputs_total{stage="sink"}"#) == 220, "\(sinkBody)")
        // Logged, but at most one line per stage per 5 seconds, however many were refused.
        let seconds = Date().timeIntervalSince(started)
        let failures = (metrics.sample(body, #"seq2seq_auth_failures_total{stage="tokenizer"}"#) ?? 0)
        let logged = up.stage.log.split(separator: "\n").filter { $0.contains("seq2seq.tokenizer") && $0.contains("peer refused") }
        #expect(!logged.isEmpty, "\(up.stage.log)")
        #expect(Double(logged.count) <= 1 + seconds / 5, "\(logged.count) lines in \(seconds) s for \(failures) refusals")
    }

    /// A worker whose key is not on the list takes no work; one whose key is takes it all.
    @Test func aWorkerNeedsAnAllowedKey() throws {
        let keys = try KeyRing()
        let clients = try keys.list("clients", ["client", "worker"])
        let (ingest, output, work, results, acks) = (freeEndpoint(), freeEndpoint(), freeEndpoint(), freeEndpoint(), freeEndpoint())
        let model = ["--model", Binary.goldenModel]
        let hub = try keys.arguments("hub", clients: clients)
        let tokenizer = try StageProcess(["tokenizer", "--ingest", ingest, "--submit", freeEndpoint(), "--work", work, "--acks", acks] + model + hub)
        let sink = try StageProcess(["sink", "--results", results, "--output", output, "--deliver", freeEndpoint(), "--acks", acks] + model + hub)
        let intruder = try StageProcess(["worker", "--work", work, "--results", results] + model + (try keys.arguments("stranger", server: "hub")))
        for stage in [tokenizer, sink, intruder] { #expect(stage.waitForLog(" up"), "\(stage.log)") }

        let lines = Corpus.sentences(20, seed: 5)
        let (client, hubKeys) = (try keys.keyPair("client"), try keys.keyPair("hub"))
        let push = try outsider(.push, ingest, keyPair: client, server: hubKeys)
        let pull = try outsider(.pull, output, keyPair: client, server: hubKeys)
        for line in lines { #expect(try push.send(line)) }
        #expect(try pull.receive(timeout: 3000) == nil)
        #expect(tokenizer.waitForLog("peer refused", seconds: 10), "\(tokenizer.log)")

        let worker = try StageProcess(["worker", "--work", work, "--results", results] + model + (try keys.arguments("worker", server: "hub")))
        var records: [String] = []
        while records.count < lines.count, let message = try pull.receive(timeout: 60_000) {
            records.append(try OutputRecord(json: Array(message.joined())).translation ?? "")
        }
        #expect(records == (try Corpus.offline(lines)))
        for stage in [intruder, worker] { stage.send(SIGTERM) }
        #expect(intruder.exitStatus() == 0)
        #expect(intruder.logValue("processed", in: "worker stopped") == 0, "\(intruder.log)")
        #expect(worker.exitStatus() == 0)
        #expect(worker.logValue("processed", in: "worker stopped") == lines.count, "\(worker.log)")
    }
}
