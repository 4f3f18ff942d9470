import Foundation
import Testing
import ZeroMQ

@testable import Pipeline

/// The tokenizer's journal and acknowledged submission, with the stages on threads and real
/// ipc sockets and files.
@Suite struct DurabilityTests {
    /// Waits up to a minute for `condition`.
    func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition() && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return condition()
    }

    @Test func undeliveredInputsAreReplayedUnderTheirEpochAndIdentity() throws {
        try withTemporaryDirectory { directory in
            let state = directory + "/state"
            let lines = Fixture.sentences(60, seed: 31)
            // No workers: everything accepted is still undelivered when this tokenizer stops.
            let first = try Harness(directory: directory, workers: 0, stateDirectory: state)
            for line in lines { try first.client.send(line) }
            #expect(eventually { first.tokenizer.accepted == lines.count })
            first.stop()
            // Its client sockets would reconnect to the second run's stages.
            for socket in [first.client, first.output] { try socket.close() }

            let second = try Harness(directory: directory, workers: 2, stateDirectory: state)
            defer { second.stop() }
            #expect(second.tokenizer.epoch == first.tokenizer.epoch)
            let records = try second.receive(lines.count)
            #expect(records.map(\.id) == lines.indices.map { String($0) })
            #expect(records.map(\.translation) == lines.map(Fixture.translation))
            #expect(try second.output.receive(timeout: 300) == nil)
            // The replayed run goes on numbering where the first left off.
            try second.client.send("go .")
            #expect(try second.receive(1).map(\.id) == [String(lines.count)])
        }
    }

    @Test func submissionsAreAcceptedRejectedAtOnceAndAnsweredAgainWithoutATranslation() throws {
        try withTemporaryDirectory { directory in
            let harness = try Harness(directory: directory, workers: 1, stateDirectory: directory + "/state")
            defer { harness.stop() }
            let client = try Socket(harness.context, type: .dealer)
            try client.set(.linger, 0)
            try client.connect(harness.endpoint("submit"))
            func answer() throws -> [String] {
                try #require(try client.receive(timeout: 60_000)).map { String(decoding: $0, as: UTF8.self) }
            }
            try client.send([Array("a".utf8), Array("go .".utf8)])
            #expect(try answer() == ["accepted", "a"])
            try client.send([Array("b".utf8), Array(" ".utf8)])
            #expect(try answer() == ["rejected", "b", "input is empty"])
            try client.send([Array("go .".utf8)])
            #expect(try answer() == ["rejected", "", "submission has 1 frames; expected 2 (client id, text)"])
            try client.send([Array("a".utf8), Array("go .".utf8)])
            #expect(try answer() == ["accepted", "a"])
            let consumer = try AcknowledgedReceiver(endpoint: harness.endpoint("deliver"))
            let record = try OutputRecord(json: try #require(try consumer.next(timeout: 60_000)))
            #expect(record.id == "a" && record.translation == "Va !")
            try consumer.acknowledge()
            #expect(eventually { harness.tokenizer.accepted == 1 && (try? consumer.next(timeout: 100)) == nil })
            // Done and still within the retention time: answered again, not translated again.
            try client.send([Array("a".utf8), Array("go .".utf8)])
            #expect(try answer() == ["accepted", "a"])
            #expect(try consumer.next(timeout: 500) == nil)
            #expect(try harness.output.receive(timeout: 0) == nil)
        }
    }

    @Test func aRecordIsSentAgainUntilAConsumerAcknowledgesItAndHandedOutOnce() throws {
        try withTemporaryDirectory { directory in
            let harness = try Harness(directory: directory, workers: 1, stateDirectory: directory + "/state")
            let client = try Socket(harness.context, type: .dealer)
            try client.set(.linger, 0)
            try client.connect(harness.endpoint("submit"))
            let lines = Fixture.sentences(20, seed: 32)
            for (index, line) in lines.enumerated() { try client.send([Array("id-\(index)".utf8), Array(line.utf8)]) }
            // A consumer that takes ten records and goes without acknowledging them.
            var forgetful: AcknowledgedReceiver? = try AcknowledgedReceiver(endpoint: harness.endpoint("deliver"), limit: 10)
            let first = try (0..<10).map { _ in try OutputRecord(json: try #require(try forgetful!.next(timeout: 60_000))) }
            #expect(first.map(\.id) == (0..<10).map { "id-\($0)" })
            forgetful = nil
            // The next consumer gets them again (after the consumer timeout), in order, then the rest.
            let consumer = try AcknowledgedReceiver(endpoint: harness.endpoint("deliver"))
            var records: [OutputRecord] = []
            while records.count < lines.count, let json = try consumer.next(timeout: 60_000) {
                records.append(try OutputRecord(json: json))
                try consumer.acknowledge()
            }
            #expect(records.map(\.id) == lines.indices.map { "id-\($0)" })
            #expect(records.map(\.translation) == lines.map(Fixture.translation))
            #expect(try consumer.next(timeout: 1500) == nil)
            // Everything was acknowledged, so the tokenizer drains at once.
            harness.stop()
            let journal = try Journal(directory: directory + "/state", logger: .init(label: "test"))
            #expect(journal.recovery.pending.isEmpty && journal.recovery.done.count == lines.count)
        }
    }
}
