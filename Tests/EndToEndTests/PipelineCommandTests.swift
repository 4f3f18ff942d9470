import Foundation
import Pipeline
import Testing

/// Issue #4: the pipeline run as real processes on loopback.
@Suite struct PipelineCommandTests {
    @Test func upWithTwoWorkersMatchesOfflineTranslationInOrder() throws {
        let lines = Corpus.sentences(1000, seed: 1)
        let expected = try Corpus.offline(lines)
        let up = try UpProcess(["--workers", "2"])
        let client = try up.client()
        for line in lines { try client.send(line) }
        let records = try client.receive(lines.count)
        #expect(records.map(\.id) == lines.indices.map { String($0) })
        #expect(records.map(\.source) == lines)
        #expect(records.map { $0.translation ?? "" } == expected)
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0, "\(up.stage.log)")
    }

    @Test func twoFrameClientIDsComeBackExactlyOnceUnordered() throws {
        let lines = Corpus.sentences(600, seed: 2)
        let expected = try Corpus.offline(lines)
        let up = try UpProcess(["--workers", "2", "--unordered"])
        let client = try up.client()
        for (index, line) in lines.enumerated() { try client.send([Array("client-\(index)".utf8), Array(line.utf8)]) }
        try client.send([[0xFF, 0xFE, 0x00], Array("go .".utf8)])
        let records = try client.receive(lines.count + 1)
        let byID = Dictionary(grouping: records) { $0.id ?? "base64:" + ($0.idBase64 ?? "") }
        #expect(records.count == lines.count + 1)
        #expect(byID.values.allSatisfy { $0.count == 1 })
        for (index, line) in lines.enumerated() {
            #expect(byID["client-\(index)"]?.first?.translation == expected[index], "\(line)")
        }
        #expect(byID["base64://4A"]?.first?.translation == "Va !")
        #expect(try client.receiveFrame(seconds: 0.5) == nil)
    }

    @Test(arguments: [
        (["tokenizer", "--ingest", "ipc:///tmp/i", "--work", "ipc:///tmp/w", "--max-items-per-message", "0"], "--max-items-per-message must be between 1 and 65535"),
        (["up", "--max-items-per-message", "65536"], "--max-items-per-message must be between 1 and 65535"),
        (["worker", "--work", "ipc:///tmp/w", "--results", "ipc:///tmp/r", "--batch-size", "70000"], "--batch-size must be between 1 and 65535"),
    ])
    func outOfRangeMessageAndBatchSizesAreNamed(arguments: [String], message: String) throws {
        let out = try Binary.run(arguments)
        #expect(out.status != 0)
        #expect(out.stderr.contains(message), "\(out.stderr)")
    }

    @Test func sendAndReceiveRoundTripLikeTranslate() throws {
        var lines = Corpus.sentences(300, seed: 3)
        lines[10] = ""  // an error record: an empty line, as translate prints
        lines[20] = String(repeating: "go ", count: 250)
        let input = Data((lines.joined(separator: "\n") + "\n").utf8)
        let expected = try Corpus.offline(lines)
        let up = try UpProcess()
        let received = Pipe()
        let receive = try StageProcess(["receive", "--from", up.output, "--count", "\(lines.count)"], standardOutput: received)
        let sent = Pipe()
        let send = try StageProcess(["send", "--to", up.ingest], standardInput: sent)
        try sent.fileHandleForWriting.write(contentsOf: input)
        try sent.fileHandleForWriting.close()
        let output = received.fileHandleForReading.readDataToEndOfFile()
        #expect(receive.exitStatus() == 0)
        #expect(send.exitStatus() == 0)
        #expect(String(decoding: output, as: UTF8.self) == expected.map { $0 + "\n" }.joined())
        #expect(receive.log.contains("10: input is empty"))

        let json = Pipe()
        let receiveJSON = try StageProcess(["receive", "--from", up.output, "--count", "1", "--json"], standardOutput: json)
        _ = try Binary.run(["send", "--to", up.ingest], input: Data("go .\n".utf8))
        #expect(String(decoding: json.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            == #"{"id":"\#(lines.count)","source":"go .","translation":"Va !"}"# + "\n")
        #expect(receiveJSON.exitStatus() == 0)
    }
}

/// Issue #13: the acknowledged protocol as docs/PROTOCOL.md gives it, from a plain pyzmq client
/// (Debian's python3-zmq, which .ci/run installs).
@Suite struct AcknowledgedProtocolTests {
    @Test func theDocumentedPyzmqClientGetsWhatTranslateGives() throws {
        let lines = Corpus.sentences(300, seed: 16)
        let state = try StateDirectory()
        let up = try UpProcess(["--state-dir", state.path])
        let script = Binary.fixtures.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/acked_client.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script.path, up.submit, up.deliver]
        let (input, output) = (Pipe(), Pipe())
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data((lines.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(printed == (try Corpus.offline(lines)).map { $0 + "\n" }.joined())
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0)
    }
}

extension AcknowledgedProtocolTests {
    @Test func withoutAConsumerAcknowledgedSubmissionHoldsBackAndTheStreamResumes() throws {
        let lines = Corpus.sentences(1000, seed: 17)
        let state = try StateDirectory()
        let up = try UpProcess(["--state-dir", state.path, "--max-in-flight", "200", "--log-level", "debug"])
        let input = Pipe()
        let sender = try StageProcess(["send", "--acked", "--to", up.submit, "--window", "100"], standardInput: input)
        try input.fileHandleForWriting.write(contentsOf: Data((lines.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        // No consumer: the tokenizer accepts what its table holds and no more; the sender waits.
        #expect(up.stage.waitForLog("in-flight table full"))
        Thread.sleep(forTimeInterval: 2)
        #expect(sender.process.isRunning)
        let received = Pipe()
        let receiver = try StageProcess(["receive", "--acked", "--from", up.deliver, "--count", "\(lines.count)"], standardOutput: received)
        let printed = String(decoding: received.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(receiver.exitStatus() == 0 && sender.exitStatus() == 0)
        #expect(printed == (try Corpus.offline(lines)).map { $0 + "\n" }.joined())
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0)
    }
}

/// Workers joining and leaving a running pipeline of separately started stages.
@Suite struct WorkerMembershipTests {
    let work = freeEndpoint()
    let results = freeEndpoint()
    let acks = freeEndpoint()
    let ingest = freeEndpoint()
    let output = freeEndpoint()

    func startStages() throws -> (tokenizer: StageProcess, sink: StageProcess) {
        let model = ["--model", Binary.goldenModel]
        let tokenizer = try StageProcess(
            ["tokenizer", "--ingest", ingest, "--submit", freeEndpoint(), "--work", work, "--acks", acks, "--redeliver-after-ms", "1000"]
                + model)
        let sink = try StageProcess(["sink", "--results", results, "--output", output, "--deliver", freeEndpoint(), "--acks", acks] + model)
        return (tokenizer, sink)
    }

    func startWorker() throws -> StageProcess {
        try StageProcess(["worker", "--work", work, "--results", results, "--model", Binary.goldenModel])
    }

    /// Sends `lines` keeping at most `window` without output; returns the records.
    func stream(_ lines: ArraySlice<String>, through client: PipelineClient, window: Int = 100) throws -> [OutputRecord] {
        var records: [OutputRecord] = []
        var next = lines.startIndex
        while records.count < lines.count {
            while next < lines.endIndex && next - lines.startIndex - records.count < window {
                try client.send(lines[next])
                next += 1
            }
            guard let frame = try client.receiveFrame() else { break }
            records.append(try OutputRecord(json: frame))
        }
        return records
    }

    @Test func aThirdWorkerStartedMidStreamTakesWork() throws {
        let lines = Corpus.sentences(3000, seed: 4)
        let expected = try Corpus.offline(lines)
        let (tokenizer, sink) = try startStages()
        let first = [try startWorker(), try startWorker()]
        let client = try PipelineClient(ingest: ingest, output: output)
        var records = try stream(lines[..<1000], through: client)
        let third = try startWorker()
        #expect(third.waitForLog("worker up"))
        records += try stream(lines[1000...], through: client)
        #expect(records.map(\.id) == lines.indices.map { String($0) })
        #expect(records.map { $0.translation ?? "" } == expected)
        third.send(SIGTERM)
        #expect(third.exitStatus() == 0)
        let processed = try #require(third.logValue("processed", in: "worker stopped"))
        #expect(processed > 0, "the third worker took no work")
        _ = (tokenizer, sink, first)
    }

    @Test func aWorkerStoppedWithSIGTERMMidStreamLosesNothing() throws {
        let lines = Corpus.sentences(3000, seed: 5)
        let expected = try Corpus.offline(lines)
        let (tokenizer, sink) = try startStages()
        let leaving = try startWorker()
        let staying = try startWorker()
        let client = try PipelineClient(ingest: ingest, output: output)
        var records = try stream(lines[..<1000], through: client, window: 400)
        leaving.send(SIGTERM)
        records += try stream(lines[1000...], through: client, window: 400)
        #expect(leaving.exitStatus() == 0)
        #expect(records.map(\.id) == lines.indices.map { String($0) })
        #expect(records.map { $0.translation ?? "" } == expected)
        #expect(try client.receiveFrame(seconds: 1.5) == nil, "a duplicate output")
        _ = (tokenizer, sink, staying)
    }
}
