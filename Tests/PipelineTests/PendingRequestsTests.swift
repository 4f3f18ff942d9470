import Testing

@testable import Pipeline

@Suite struct PendingRequestsTests {
    let start = ContinuousClock.now

    func record(_ id: String, _ translation: String) -> OutputRecord {
        OutputRecord(clientID: Array(id.utf8), source: "", outcome: .translation(translation))
    }

    @Test func recordsComeBackInTheOrderOfTheRequestWhateverOrderTheyArriveIn() {
        var pending = PendingRequests<String>()
        let (_, first) = pending.add(count: 3, waiter: "a", deadline: start + .seconds(1))
        let (_, second) = pending.add(count: 1, waiter: "b", deadline: start + .seconds(1))
        #expect(Set(first + second).count == 4)
        #expect(pending.received(record(String(decoding: first[2], as: UTF8.self), "two")) == nil)
        let done = pending.received(record(String(decoding: second[0], as: UTF8.self), "only"))
        #expect(done?.waiter == "b" && done?.records.map(\.translation) == ["only"])
        #expect(pending.received(record(String(decoding: first[0], as: UTF8.self), "zero")) == nil)
        let all = pending.received(record(String(decoding: first[1], as: UTF8.self), "one"))
        #expect(all?.waiter == "a" && all?.records.map(\.translation) == ["zero", "one", "two"])
        #expect(pending.count == 0)
    }

    @Test func repeatsUnknownIdsAndLateRecordsAreIgnored() {
        var pending = PendingRequests<String>()
        let (request, ids) = pending.add(count: 2, waiter: "a", deadline: start + .seconds(1))
        let id = String(decoding: ids[0], as: UTF8.self)
        #expect(pending.received(record(id, "x")) == nil)
        #expect(pending.received(record(id, "x again")) == nil)
        for stray in ["7.0", "\(request).2", "\(request)", "x.y", "-1.0"] { #expect(pending.received(record(stray, "?")) == nil) }
        #expect(pending.remove(request) == "a")
        #expect(pending.received(record(String(decoding: ids[1], as: UTF8.self), "late")) == nil)
        #expect(pending.count == 0)
    }

    @Test func requestsPastTheirDeadlineExpire() {
        var pending = PendingRequests<String>()
        _ = pending.add(count: 1, waiter: "soon", deadline: start + .milliseconds(10))
        _ = pending.add(count: 1, waiter: "later", deadline: start + .seconds(10))
        #expect(pending.expire(now: start).isEmpty)
        #expect(pending.expire(now: start + .milliseconds(10)) == ["soon"])
        #expect(pending.removeAll() == ["later"])
        #expect(pending.count == 0)
    }
}
