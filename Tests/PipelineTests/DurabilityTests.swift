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
            let records = try harness.receive(1)
            #expect(records.map(\.id) == ["a"] && records.map(\.translation) == ["Va !"])
            // Done and still within the retention time: answered again, not translated again.
            try client.send([Array("a".utf8), Array("go .".utf8)])
            #expect(try answer() == ["accepted", "a"])
            #expect(try harness.output.receive(timeout: 500) == nil)
        }
    }
}
