import Foundation
import Pipeline
import Synchronization
import Testing

/// Issue #5: nothing lost, whatever happens to workers, clients and input.
@Suite struct DeliveryTests {
    @Test func workersKilledEverySecondLoseNothing() throws {
        let lines = Corpus.sentences(5000, seed: 6)
        let expected = try Corpus.offline(lines)
        let up = try UpProcess(["--workers", "3", "--redeliver-after-ms", "1000"])
        #expect(waitUntil { up.stage.children("worker").count == 3 })
        let client = try up.client()
        let kills = Atomic<Int>(0)
        let done = Atomic<Bool>(false)
        let killer = Thread {
            while !done.load(ordering: .relaxed) {
                if let victim = up.stage.children("worker").randomElement() {
                    kill(victim, SIGKILL)
                    kills.add(1, ordering: .relaxed)
                }
                Thread.sleep(forTimeInterval: 1)
            }
        }
        for line in lines[..<200] { try client.send(line) }
        killer.start()
        for line in lines[200...] { try client.send(line) }
        let records = try client.receive(lines.count)
        done.store(true, ordering: .relaxed)
        #expect(records.map(\.id) == lines.indices.map { String($0) })
        #expect(records.map { $0.translation ?? "" } == expected)
        #expect(try client.receiveFrame(seconds: 2.5) == nil, "a duplicate output")
        #expect(kills.load(ordering: .relaxed) >= 1)
        // up restarted every killed worker.
        #expect(waitUntil { up.stage.children("worker").count == 3 })
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0, "\(up.stage.log)")
    }

    @Test func fuzzedMessagesNeverTakeAStageDown() throws {
        let (work, results, acks) = (freeEndpoint(), freeEndpoint(), freeEndpoint())
        let up = try UpProcess(["--work", work, "--results", results, "--acks", acks])
        #expect(waitUntil { up.stage.children("worker").count == 2 && up.stage.children("sink").count == 1 })
        let stages = ["tokenizer", "sink", "worker"].flatMap { up.stage.children($0) }
        let client = try up.client()
        var generator = SystemRandomNumberGenerator()
        let valid = Corpus.sentences(5000, seed: 8)
        var expected: [Int: String] = [:]
        for index in 0..<10_000 {
            if index % 2 == 0 {
                try client.send(valid[index / 2])
                expected[index] = valid[index / 2]
            } else {
                let frames = (0..<[1, 1, 2, 2, 3, 4].randomElement(using: &generator)!).map { _ in
                    (0..<Int.random(in: 0..<300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                }
                try client.send(frames)
            }
        }
        // Garbage on the internal sockets, and a frame over the ingest limit from another client.
        for endpoint in [results, acks] {
            let intruder = try PipelineClient(ingest: endpoint, output: freeEndpoint())
            for _ in 0..<200 {
                try intruder.send([(0..<Int.random(in: 0..<100)).map { _ in UInt8.random(in: 0...255) }])
            }
            try intruder.send([[0x53, 0x32, 1, 2], [0x53, 0x32, 1, 3]])
        }
        let oversized = try PipelineClient(ingest: up.ingest, output: freeEndpoint())
        try oversized.send([[UInt8](repeating: 65, count: 1_100_000)])

        var outputs: [[UInt8]] = []
        while outputs.count < 10_000, let frame = try client.receiveFrame() { outputs.append(frame) }
        #expect(outputs.count == 10_000)
        let translations = try Corpus.offline(valid)
        for (index, frame) in outputs.enumerated() {
            let object = try? JSONSerialization.jsonObject(with: Data(frame)) as? [String: String]
            #expect(object != nil, "output \(index) is not a JSON object of strings")
            let record = try OutputRecord(json: frame)
            #expect((record.translation == nil) != (record.error == nil))
            if let line = expected[index] {
                #expect(record.id == String(index) && record.translation == translations[index / 2])
                _ = line
            }
        }
        #expect(try client.receiveFrame(seconds: 1) == nil, "an output for the oversized frame or the garbage")
        // Over --max-input-bytes but within --max-message-bytes: an error record.
        try client.send([Array("big".utf8), [UInt8](repeating: 65, count: 70_000)])
        let big = try client.receiveFrame().map { try OutputRecord(json: $0) }
        #expect(big?.id == "big" && big?.error == "input has 70000 bytes, more than the limit of 65536")
        #expect(stages.allSatisfy { kill($0, 0) == 0 }, "a stage died")
        #expect(!up.stage.log.contains("died"))
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0)
    }

    @Test func withoutAConsumerMemoryStaysBoundedAndTheStreamResumes() throws {
        let up = try UpProcess(["--max-in-flight", "200", "--log-level", "debug"])
        #expect(waitUntil { up.stage.children("worker").count == 2 && up.stage.children("sink").count == 1 })
        let stages = ["tokenizer", "sink", "worker"].flatMap { up.stage.children($0) }
        let client = try PipelineClient(ingest: up.ingest, output: freeEndpoint())
        try client.output.close()
        // Big client ids make a large stream of cheap inputs.
        let count = 20_000
        let lines = Corpus.sentences(count, seed: 9)
        @Sendable func id(_ index: Int) -> String { String(index) + String(repeating: "x", count: 250) }
        let sent = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let sender = Thread {
            for (index, line) in lines.enumerated() {
                while (try? client.ingest.send([Array(id(index).utf8), Array(line.utf8)], dontWait: true)) != true {
                    if stop.load(ordering: .relaxed) { return }
                    Thread.sleep(forTimeInterval: 0.001)
                }
                sent.add(1, ordering: .relaxed)
            }
        }
        sender.start()
        defer { stop.store(true, ordering: .relaxed) }
        #expect(up.stage.waitForLog("in-flight table full"))
        // Backpressure reaches the client: it stops getting messages out.
        var last = -1
        #expect(waitUntil {
            defer { last = sent.load(ordering: .relaxed) }
            Thread.sleep(forTimeInterval: 2)
            return sent.load(ordering: .relaxed) == last
        })
        let before = stages.map { residentKiB($0) ?? 0 }
        Thread.sleep(forTimeInterval: 2)
        let after = stages.map { residentKiB($0) ?? 0 }
        #expect(sent.load(ordering: .relaxed) == last && last < count)
        for (start, end) in zip(before, after) {
            #expect(end - start < 4096, "a stage grew by \(end - start) KiB without a consumer")
            #expect(end < 300 * 1024)
        }

        let consumer = try PipelineClient(ingest: freeEndpoint(), output: up.output)
        let records = try consumer.receive(count)
        #expect(records.count == count)
        #expect(records.map(\.id) == (0..<count).map(id))
        #expect(records.map(\.source) == lines)
        #expect(records.prefix(300).map { $0.translation ?? "" } == (try Corpus.offline(Array(lines.prefix(300)))))
    }

    @Test func sigtermDrainsEverythingAcceptedAndExitsZero() throws {
        let lines = Corpus.sentences(5000, seed: 10)
        let up = try UpProcess()
        let client = try up.client()
        let stop = Atomic<Bool>(false)
        let sender = Thread {
            for line in lines {
                while (try? client.ingest.send(line, dontWait: true)) != true {
                    if stop.load(ordering: .relaxed) { return }
                    Thread.sleep(forTimeInterval: 0.001)
                }
            }
        }
        sender.start()
        defer { stop.store(true, ordering: .relaxed) }
        var records: [OutputRecord] = []
        while records.count < 1000, let frame = try client.receiveFrame() { records.append(try OutputRecord(json: frame)) }
        up.stage.send(SIGTERM)
        var exited = false
        while !exited {
            exited = !up.stage.process.isRunning
            while let frame = try client.receiveFrame(seconds: 0.2) { records.append(try OutputRecord(json: frame)) }
        }
        #expect(up.stage.exitStatus(within: 60) == 0, "\(up.stage.log)")
        let accepted = try #require(up.stage.logValue("accepted", in: "drained"))
        #expect(records.count == accepted)
        #expect(records.map(\.id) == (0..<accepted).map { String($0) })
        #expect(records.map { $0.translation ?? "" } == (try Corpus.offline(Array(lines.prefix(accepted)))))
    }
}
