import Testing

@testable import Pipeline

@Suite struct InFlightTableTests {
    let start = ContinuousClock.now
    let timeout = Duration.seconds(10)

    func table(capacity: Int = 4) -> InFlightTable {
        var table = InFlightTable(capacity: capacity, redeliveryTimeout: timeout)
        for _ in 0..<capacity {
            table.add(PipelineItem(epoch: 1, sequence: table.nextSequence, lowWater: 0, clientID: [], source: "", payload: .tokens([1])))
        }
        return table
    }

    /// Sends every pending item at `now`; returns their sequence numbers in sending order.
    func sendAll(_ table: inout InFlightTable, at now: ContinuousClock.Instant) -> [UInt64] {
        var sent: [UInt64] = []
        while let item = table.nextPending() {
            sent.append(item.sequence)
            table.markSent(now: now)
        }
        return sent
    }

    func ack(_ sink: UInt64, _ entries: [(UInt64, Acknowledgement.State)]) -> Acknowledgement {
        Acknowledgement(epoch: 1, sinkInstance: sink, entries: entries.map { .init(sequence: $0.0, state: $0.1) })
    }

    @Test func fillsToCapacityAndFreesOnDelivery() {
        var table = table()
        #expect(table.isFull && table.count == 4 && table.lowWater == 0)
        #expect(sendAll(&table, at: start) == [0, 1, 2, 3])
        #expect(table.nextPending() == nil)
        #expect(table.apply(ack(9, [(1, .delivered), (0, .delivered), (0, .delivered)]), now: start).map(\.sequence) == [1, 0])
        #expect(!table.isFull && table.count == 2 && table.lowWater == 2)
    }

    @Test func unacknowledgedItemsAreSentAgainOldestFirstWithBackoff() {
        var table = table()
        _ = sendAll(&table, at: start)
        table.apply(ack(9, [(2, .delivered)]), now: start)
        #expect(table.expire(now: start + timeout - .milliseconds(1), sinkTimeout: .seconds(3600)) == 0)
        #expect(table.expire(now: start + timeout, sinkTimeout: .seconds(3600)) == 3)
        #expect(sendAll(&table, at: start + timeout) == [0, 1, 3])
        // The second attempt waits twice as long.
        #expect(table.expire(now: start + timeout * 2.9, sinkTimeout: .seconds(3600)) == 0)
        #expect(table.expire(now: start + timeout * 3, sinkTimeout: .seconds(3600)) == 3)
    }

    @Test func heldItemsAreNotRedeliveredWhileTheSinkLives() {
        var table = table()
        _ = sendAll(&table, at: start)
        table.apply(ack(9, [(0, .held), (1, .held)]), now: start)
        // Heartbeats keep the sink alive; only the items it does not hold come back.
        table.apply(ack(9, []), now: start + timeout)
        #expect(table.expire(now: start + timeout, sinkTimeout: .seconds(5)) == 2)
        #expect(sendAll(&table, at: start + timeout) == [2, 3])
    }

    @Test func aRestartedSinkGetsWhatTheOldOneHeld() {
        var table = table()
        _ = sendAll(&table, at: start)
        table.apply(ack(9, [(0, .held), (3, .held)]), now: start)
        table.apply(ack(10, []), now: start + .seconds(1))
        #expect(sendAll(&table, at: start + .seconds(1)) == [0, 3])
    }

    @Test func aSilentSinkGivesUpWhatItHeld() {
        var table = table()
        _ = sendAll(&table, at: start)
        table.apply(ack(9, [(0, .held), (1, .held), (2, .delivered), (3, .delivered)]), now: start)
        #expect(table.expire(now: start + .seconds(4), sinkTimeout: .seconds(5)) == 0)
        #expect(table.expire(now: start + .seconds(6), sinkTimeout: .seconds(5)) == 2)
        #expect(sendAll(&table, at: start + .seconds(6)) == [0, 1])
    }

    @Test func retriesGoBeforeNewItems() {
        var table = table(capacity: 2)
        _ = sendAll(&table, at: start)
        table.apply(ack(9, [(1, .delivered)]), now: start)
        table.add(PipelineItem(epoch: 1, sequence: table.nextSequence, lowWater: 0, clientID: [], source: "", payload: .tokens([1])))
        _ = table.expire(now: start + timeout, sinkTimeout: .seconds(3600))
        #expect(sendAll(&table, at: start + timeout) == [0, 2])
    }
}

@Suite struct DispatchWindowTests {
    @Test func noMoreThanTheWindowIsOutAtWorkersAtOnce() {
        let start = ContinuousClock.now
        var table = InFlightTable(capacity: 10, redeliveryTimeout: .seconds(1), maxDispatched: 3)
        for _ in 0..<10 {
            table.add(PipelineItem(epoch: 1, sequence: table.nextSequence, lowWater: 0, clientID: [], source: "", payload: .tokens([1])))
        }
        var sent: [UInt64] = []
        func sendAll() {
            while let item = table.nextPending() {
                sent.append(item.sequence)
                table.markSent(now: start)
            }
        }
        sendAll()
        #expect(sent == [0, 1, 2] && table.dispatched == 3)
        // Held or delivered items are back from the workers; expired ones are not out either.
        let ack = Acknowledgement(
            epoch: 1, sinkInstance: 1, entries: [.init(sequence: 0, state: .held), .init(sequence: 1, state: .delivered)])
        table.apply(ack, now: start)
        sendAll()
        #expect(sent == [0, 1, 2, 3, 4] && table.dispatched == 3)
        #expect(table.expire(now: start + .seconds(1), sinkTimeout: .seconds(60)) == 3)
        #expect(table.dispatched == 0)
        sendAll()
        #expect(sent == [0, 1, 2, 3, 4, 2, 3, 4] && table.dispatched == 3)
    }

    @Test func messagesArePackedRetriesFirstAndWithinTheWindow() {
        let start = ContinuousClock.now
        var table = InFlightTable(capacity: 10, redeliveryTimeout: .seconds(1), maxDispatched: 6)
        for _ in 0..<10 {
            table.add(PipelineItem(epoch: 1, sequence: table.nextSequence, lowWater: 0, clientID: [], source: "", payload: .tokens([1])))
        }
        #expect(table.pending(limit: 4).map(\.sequence) == [0, 1, 2, 3])
        table.markSent(4, now: start)
        #expect(table.pending(limit: 4).map(\.sequence) == [4, 5])
        table.markSent(2, now: start)
        #expect(table.pending(limit: 4).isEmpty && table.dispatched == 6)
        let ack = Acknowledgement(
            epoch: 1, sinkInstance: 1, entries: [.init(sequence: 0, state: .held), .init(sequence: 1, state: .delivered)])
        table.apply(ack, now: start)
        #expect(table.expire(now: start + .seconds(1), sinkTimeout: .seconds(60)) == 4)
        #expect(table.pending(limit: 6).map(\.sequence) == [2, 3, 4, 5, 6, 7])
        table.markSent(5, now: start + .seconds(1))
        #expect(table.pending(limit: 6).map(\.sequence) == [7] && table.dispatched == 5)
    }
}
