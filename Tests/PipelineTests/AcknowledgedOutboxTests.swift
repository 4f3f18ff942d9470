import Testing

@testable import Pipeline

@Suite struct AcknowledgedOutboxTests {
    let start = ContinuousClock.now
    let a: [UInt8] = [1]
    let b: [UInt8] = [2]

    /// Sends every record the outbox lets out now, resends first; returns (sequence, consumer).
    func sendAll(_ outbox: inout AcknowledgedOutbox, new: inout [UInt64]) -> [(UInt64, [UInt8])] {
        var sent: [(UInt64, [UInt8])] = []
        while let peer = outbox.consumerWithRoom {
            if let (sequence, json) = outbox.nextResend {
                outbox.sent(sequence, json: json, to: peer)
                sent.append((sequence, peer))
            } else if !new.isEmpty {
                let sequence = new.removeFirst()
                outbox.sent(sequence, json: [], to: peer)
                sent.append((sequence, peer))
            } else {
                break
            }
        }
        return sent
    }

    @Test func aConsumerGetsNoMoreThanItsWindowAndAcknowledgementsMakeRoom() {
        var outbox = AcknowledgedOutbox(ordered: true)
        var new: [UInt64] = Array(0..<10)
        #expect(sendAll(&outbox, new: &new).isEmpty, "no consumer yet")
        outbox.heard(from: a, window: 3, now: start)
        #expect(sendAll(&outbox, new: &new).map(\.0) == [0, 1, 2])
        #expect(outbox.acknowledge([1, 7], from: a) == [1])
        #expect(outbox.lowest == 0 && outbox.contains(2) && !outbox.contains(1))
        #expect(sendAll(&outbox, new: &new).map(\.0) == [3])
    }

    @Test func inOrderModeOneConsumerAtATimeHasRecordsOutstanding() {
        var outbox = AcknowledgedOutbox(ordered: true)
        var new: [UInt64] = Array(0..<6)
        outbox.heard(from: a, window: 2, now: start)
        outbox.heard(from: b, window: 5, now: start)
        let first = sendAll(&outbox, new: &new)
        #expect(first.map(\.0) == [0, 1, 2, 3, 4] && Set(first.map(\.1)) == [b])
        _ = outbox.acknowledge([0, 1, 2, 3, 4], from: b)
        #expect(sendAll(&outbox, new: &new).count == 1)
    }

    @Test func theRecordsOfASilentConsumerGoAgainOldestFirstBeforeNewOnes() {
        var outbox = AcknowledgedOutbox(ordered: true)
        var new: [UInt64] = Array(0..<8)
        outbox.heard(from: a, window: 4, now: start)
        _ = sendAll(&outbox, new: &new)
        _ = outbox.acknowledge([1], from: a)
        outbox.heard(from: b, window: 4, now: start + .seconds(2))
        #expect(outbox.expire(now: start + .seconds(3), timeout: .seconds(3)) == 3)
        #expect(outbox.consumerCount == 1)
        #expect(sendAll(&outbox, new: &new).map(\.0) == [0, 2, 3, 4])
        // A consumer found gone on a send goes at once.
        #expect(outbox.expire(now: start + .seconds(3), timeout: .seconds(3), gone: b) == 4)
        #expect(outbox.consumerCount == 0 && outbox.count == 4)
    }
}

@Suite struct SubmissionIndexTests {
    @Test func doneIdsAreForgottenAfterTheRetentionButPendingOnesAreNot() {
        var index = SubmissionIndex(retention: 1000)
        index.accept([1], sequence: 5)
        index.accept([2], sequence: 6)
        index.markDone([1], at: 100)
        #expect(index[[1]] == .done(at: 100) && index[[2]] == .pending(sequence: 6))
        index.expire(now: 1099)
        #expect(index.count == 2)
        index.expire(now: 1100)
        #expect(index[[1]] == nil && index[[2]] == .pending(sequence: 6))
        // An id submitted again after it was forgotten is a new input; its old expiry does not touch it.
        index.markDone([2], at: 200)
        index.accept([2], sequence: 9)
        index.expire(now: 5000)
        #expect(index[[2]] == .pending(sequence: 9))
    }
}
