import Testing

@testable import Pipeline

@Suite struct DeliveryTrackerTests {
    /// Outputs everything ready, as the sink does when the consumer keeps up.
    func drain(_ tracker: inout DeliveryTracker<String>) -> [String] {
        var out: [String] = []
        while let (sequence, value) = tracker.next() {
            out.append(value)
            tracker.markDelivered(sequence)
        }
        return out
    }

    @Test func orderedModeRestoresIngestOrder() {
        var tracker = DeliveryTracker<String>(ordered: true)
        #expect(tracker.admit("c", sequence: 2, lowWater: 0) == .held)
        #expect(tracker.admit("b", sequence: 1, lowWater: 0) == .held)
        #expect(drain(&tracker) == [])
        #expect(tracker.admit("a", sequence: 0, lowWater: 0) == .held)
        #expect(drain(&tracker) == ["a", "b", "c"])
        #expect(tracker.floor == 3 && tracker.heldCount == 0)
    }

    @Test func duplicatesAreRecognisedBeforeAndAfterOutput() {
        var tracker = DeliveryTracker<String>(ordered: true)
        #expect(tracker.admit("b", sequence: 1, lowWater: 0) == .held)
        #expect(tracker.admit("b", sequence: 1, lowWater: 0) == .alreadyHeld)
        #expect(tracker.admit("a", sequence: 0, lowWater: 0) == .held)
        #expect(drain(&tracker) == ["a", "b"])
        #expect(tracker.admit("a", sequence: 0, lowWater: 0) == .alreadyDelivered)
        #expect(tracker.admit("b", sequence: 1, lowWater: 0) == .alreadyDelivered)
    }

    @Test func unorderedModeOutputsOnArrivalExactlyOnce() {
        var tracker = DeliveryTracker<String>(ordered: false)
        var out: [String] = []
        for (value, sequence) in [("c", 2), ("a", 0), ("c", 2), ("d", 3), ("a", 0)] as [(String, UInt64)] {
            _ = tracker.admit(value, sequence: sequence, lowWater: 0)
            out += drain(&tracker)
        }
        #expect(out == ["c", "a", "d"])
        #expect(tracker.floor == 1)  // 1 is still missing
        #expect(tracker.admit("d", sequence: 3, lowWater: 0) == .alreadyDelivered)
        #expect(tracker.admit("b", sequence: 1, lowWater: 0) == .held)
        #expect(drain(&tracker) == ["b"])
        #expect(tracker.floor == 4)
    }

    @Test func aFreshSinkStartsAtTheTokenizersLowWater() {
        var tracker = DeliveryTracker<String>(ordered: true)
        #expect(tracker.admit("x", sequence: 1001, lowWater: 1000) == .held)
        #expect(tracker.admit("old", sequence: 999, lowWater: 990) == .alreadyDelivered)
        #expect(tracker.admit("w", sequence: 1000, lowWater: 1000) == .held)
        #expect(drain(&tracker) == ["w", "x"])
    }

    @Test func removeAllHandsBackHeldResultsInOrder() {
        var tracker = DeliveryTracker<String>(ordered: false)
        _ = tracker.admit("z", sequence: 9, lowWater: 0)
        _ = tracker.admit("y", sequence: 4, lowWater: 0)
        #expect(tracker.removeAll().map(\.value) == ["y", "z"])
        #expect(tracker.next() == nil && tracker.heldCount == 0)
    }
}
