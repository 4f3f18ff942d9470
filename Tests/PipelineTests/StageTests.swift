import Foundation
import Logging
import Seq2Seq
import Testing
import Text
import ZeroMQ

@testable import Pipeline

/// The three stages on real ipc sockets within one process.
@Suite struct StageTests {
    @Test func linesComeOutOnceEachInIngestOrderIdenticalToOfflineTranslation() throws {
        try withTemporaryDirectory { directory in
            let harness = try Harness(directory: directory, workers: 2)
            defer { harness.stop() }
            let lines = Fixture.sentences(500)
            for line in lines { try harness.client.send(line) }
            let records = try harness.receive(lines.count)
            #expect(records.map(\.id) == lines.indices.map { String($0) })
            #expect(records.map(\.source) == lines)
            #expect(records.map(\.translation) == lines.map(Fixture.translation))
            #expect(try harness.output.receive(timeout: 300) == nil)
        }
    }

    /// A packed work message larger than the worker's batch is decoded in batches of at most
    /// its batch size, and every item is answered once, in one result frame per batch.
    @Test func aWorkerSplitsPackedWorkIntoBatchesOfItsSize() throws {
        try withTemporaryDirectory { directory in
            let context = try Context()
            let tokenizer = try Socket(context, type: .push)
            let sink = try Socket(context, type: .pull)
            for socket in [tokenizer, sink] { try socket.set(.linger, 0) }
            try tokenizer.bind("ipc://\(directory)/work")
            try sink.bind("ipc://\(directory)/results")
            var configuration = WorkerConfiguration(
                work: "ipc://\(directory)/work", results: "ipc://\(directory)/results",
                decoding: DecodingOptions(maxLength: Fixture.model.config.maxLen))
            configuration.batchSize = 5
            let worker = Worker(model: Fixture.model, configuration: configuration, logger: Logger(label: "test"))
            let stop = StopFlag()
            let done = DispatchSemaphore(value: 0)
            Thread {
                try? worker.run(until: stop)
                done.signal()
            }.start()
            defer {
                stop.request()
                done.wait()
            }
            let lines = Fixture.sentences(16, seed: 21)
            let items = try lines.enumerated().map { index, line in
                PipelineItem(
                    epoch: 1, sequence: UInt64(index), lowWater: 0, clientID: [], source: line,
                    payload: .tokens(try Fixture.model.codec.encode(line, maxTokens: .max)))
            }
            try tokenizer.send([PipelineItem.frame(items, as: .work)])
            var batches: [[PipelineItem]] = []
            while batches.joined().count < items.count, let message = try sink.receive(timeout: 60_000) {
                batches.append(try PipelineItem.decodeAll(message: message, as: .result).map { try $0.get() })
            }
            #expect(batches.map(\.count) == [5, 5, 5, 1])
            for item in batches.joined() {
                guard case .tokens(let ids) = item.payload else {
                    Issue.record("item \(item.sequence) has no translation")
                    continue
                }
                #expect(Fixture.model.codec.decode(ids) == Fixture.sentenceTranslation(lines[Int(item.sequence)]))
            }
            #expect(batches.joined().map(\.sequence) == items.map(\.sequence))
        }
    }

    @Test func rejectedInputsGetErrorRecordsInTheirPlace() throws {
        try withTemporaryDirectory { directory in
            let harness = try Harness(directory: directory, workers: 1)
            defer { harness.stop() }
            try harness.client.send("go .")
            try harness.client.send([[0xFF]])
            try harness.client.send([Array("mine".utf8), Array(" ".utf8)])
            try harness.client.send([[1], [2], [3]])
            try harness.client.send([[0xC3], Array("go .".utf8)])
            let records = try harness.receive(5)
            #expect(records[0] == OutputRecord(clientID: Array("0".utf8), source: "go .", outcome: .translation("Va !")))
            #expect(records[1].id == "1" && records[1].error == "input is not valid UTF-8")
            #expect(records[2].id == "mine" && records[2].error == "input is empty")
            #expect(records[3].id == "3" && records[3].error?.hasPrefix("message has 3 frames") == true)
            #expect(records[4].idBase64 == "ww==" && records[4].translation == "Va !")
        }
    }

    @Test func unorderedModeDeliversEveryClientIDExactlyOnce() throws {
        try withTemporaryDirectory { directory in
            let harness = try Harness(directory: directory, workers: 2, unordered: true)
            defer { harness.stop() }
            let lines = Fixture.sentences(300, seed: 3)
            for (index, line) in lines.enumerated() { try harness.client.send([Array("c-\(index)".utf8), Array(line.utf8)]) }
            let records = try harness.receive(lines.count)
            #expect(Set(records.compactMap(\.id)) == Set(lines.indices.map { "c-\($0)" }))
            for record in records {
                #expect(record.translation == Fixture.translation(lines[Int(record.id!.dropFirst(2))!]))
            }
            #expect(try harness.output.receive(timeout: 300) == nil)
        }
    }

    /// A worker that takes work and vanishes, and one that answers with a broken frame: the
    /// tokenizer redelivers what was lost, and the broken result becomes an error record.
    @Test func lostWorkIsRedeliveredAndBrokenResultsBecomeErrorRecords() throws {
        try withTemporaryDirectory { directory in
            let harness = try Harness(directory: directory, workers: 0, redelivery: .milliseconds(300))
            defer { harness.stop() }
            let (thief, liar) = try harness.impostorWorker()
            let lines = Fixture.sentences(20, seed: 5)
            for line in lines { try harness.client.send(line) }
            // Everything goes to the only connected worker: the thief takes all 20.
            var stolen: [PipelineItem] = []
            while stolen.count < lines.count, let message = try thief.receive(timeout: 60_000) {
                stolen += try PipelineItem.decodeAll(message: message, as: .work).map { try $0.get() }
            }
            try thief.close()
            // Item 4 comes back truncated after its identity; garbage follows.
            let truncated = stolen.first { $0.sequence == 4 }!.encoded(as: .result).dropLast(3)
            try liar.send([Array(truncated)])
            try liar.send([[0x53, 0x32, 1, 2, 0xFF]])
            try liar.send([[1, 2, 3], [4]])
            harness.startWorker()
            let records = try harness.receive(lines.count)
            #expect(records.map(\.id) == lines.indices.map { String($0) })
            for (index, record) in records.enumerated() where index != 4 {
                #expect(record.translation == Fixture.translation(lines[index]))
            }
            #expect(records[4].error?.hasPrefix("malformed result frame: frame ends inside") == true)
            #expect(records[4].source == lines[4])
            #expect(try harness.output.receive(timeout: 500) == nil)
        }
    }

    @Test func garbageOnTheAckChannelIsDroppedAndDeliveryGoesOn() throws {
        try withTemporaryDirectory { directory in
            let harness = try Harness(directory: directory, workers: 1)
            defer { harness.stop() }
            let forger = try Socket(harness.context, type: .push)
            try forger.set(.linger, 0)
            try forger.connect(harness.endpoint("acks"))
            try forger.send([[0x53, 0x32, 1, 3, 1, 2]])
            try forger.send([[], []])
            try forger.send("not an ack")
            // A well-formed ack for another epoch must not make the tokenizer forget anything.
            let foreign = Acknowledgement(
                epoch: harness.tokenizer.epoch &+ 1, sinkInstance: 1, entries: [.init(sequence: 0, state: .delivered)])
            try forger.send(foreign.encoded())
            let lines = Fixture.sentences(50, seed: 11)
            for line in lines { try harness.client.send(line) }
            #expect(try harness.receive(lines.count).map(\.translation) == lines.map(Fixture.translation))
        }
    }

    @Test func withNoConsumerNothingIsDroppedAndIngestIsHeldBack() throws {
        try withTemporaryDirectory { directory in
            // No consumer from the start: records pushed to a consumer that disconnects are lost
            // with its connection (a PUSH socket's nature; acknowledged delivery is the cure).
            let harness = try Harness(directory: directory, workers: 1, consumer: false)
            defer { harness.stop() }
            // Long lines, so that the kernel's socket buffers cannot hold them all either.
            let lines = Fixture.sentences(3000, seed: 13).map { String(repeating: $0 + " ", count: 12) }
            try harness.client.set(.sendTimeout, 100)
            var sent = 0
            // With no consumer the sink holds back, the tokenizer's table fills and ingest
            // stops being read: the client cannot send everything.
            while sent < lines.count, try harness.client.send(lines[sent]) { sent += 1 }
            #expect(sent < lines.count)
            try harness.output.connect(harness.endpoint("output"))
            var records: [OutputRecord] = []
            while records.count < lines.count {
                while sent < lines.count, try harness.client.send(lines[sent], dontWait: true) { sent += 1 }
                guard let message = try harness.output.receive(timeout: 60_000) else { break }
                records.append(try OutputRecord(json: message[0]))
            }
            #expect(records.map(\.id) == lines.indices.map { String($0) })
            #expect(records.map(\.source) == lines)
        }
    }

    /// Documents of several sentences and paragraphs: each sentence is a work item of its
    /// own, so one long document spreads over the workers, and each document comes out as
    /// one record with the text between its sentences as it was.
    @Test func documentsComeOutAsOneRecordEachWithTheirSeparators() throws {
        try withTemporaryDirectory { directory in
            let harness = try Harness(directory: directory, workers: 3)
            defer { harness.stop() }
            let separators = [" ", "  ", "\n", "\n\n", " \t", "\r\n"]
            let sentences = Fixture.sentences(400, seed: 17).map { $0.prefix(1).uppercased() + $0.dropFirst() + "." }
            var documents: [String] = ["  go .\n\ni lost . "]
            var next = 0
            for size in [60, 1, 2, 7, 3, 30, 1, 12, 5, 9] {
                documents.append(
                    (0..<size).map { index in sentences[(next + index) % sentences.count] + separators[(next + index) % separators.count] }
                        .joined())
                next += size
            }
            // Work goes only to workers whose connections are up: give all three time to connect.
            Thread.sleep(forTimeInterval: 1)
            for document in documents { try harness.client.send(document) }
            let records = try harness.receive(documents.count)
            #expect(records.map(\.source) == documents)
            #expect(records[0].translation == "  " + Fixture.translation("go .") + "\n\n" + Fixture.translation("i lost .") + " ")
            #expect(records.map(\.translation) == documents.map(Fixture.translation))
            // The documents' sentences spread over the workers (at least two of the three, should a
            // loaded machine connect one late).
            #expect(harness.workers.filter { $0.processed > 0 }.count >= 2)
            #expect(try harness.output.receive(timeout: 300) == nil)
        }
    }

    /// A document whose sentences were lost with a worker is sent again whole; one of whose
    /// sentences failed comes out as an error record naming that sentence.
    @Test func lostSentencesAreRedeliveredAndAFailedSentenceIsNamed() throws {
        try withTemporaryDirectory { directory in
            let harness = try Harness(directory: directory, workers: 0, redelivery: .milliseconds(300))
            defer { harness.stop() }
            let (thief, liar) = try harness.impostorWorker()
            let documents = ["Go. I lost.\nHe is calm.", "Run! I lost."]
            for document in documents { try harness.client.send(document) }
            var stolen: [PipelineItem] = []
            while stolen.count < 5, let message = try thief.receive(timeout: 60_000) {
                stolen += try PipelineItem.decodeAll(message: message, as: .work).map { try $0.get() }
            }
            try thief.close()
            #expect(stolen.map(\.source) == ["Go.", "I lost.", "He is calm.", "Run!", "I lost."])
            #expect(stolen.map { $0.part?.trailing } == [" ", "\n", "", " ", ""])
            // The second document's first sentence fails; its second never comes back from the liar.
            var failed = stolen[3]
            failed.payload = .error("decoder exploded")
            try liar.send(failed.encoded(as: .result))
            harness.startWorker()
            let records = try harness.receive(documents.count)
            #expect(records[0].translation == Fixture.translation(documents[0]))
            #expect(records[1].source == documents[1])
            #expect(records[1].error == "sentence 1 of 2: decoder exploded")
        }
    }
}
