import Foundation
import Pipeline
import Synchronization
import Testing
import ZeroMQ

/// Issue #13: with acknowledged submission and delivery and a state directory, nothing
/// accepted is lost or repeated, whichever process dies.
@Suite struct CrashRecoveryTests {
    @Test func everyLineComesOutOnceInOrderWhileTokenizerSinkAndWorkersAreKilled() throws {
        let lines = Corpus.sentences(5000, seed: 12)
        let expected = try Corpus.offline(lines)
        let state = try StateDirectory()
        let up = try UpProcess(["--workers", "3", "--state-dir", state.path, "--redeliver-after-ms", "1000"])
        #expect(waitUntil { up.running(["tokenizer": 1, "sink": 1, "worker": 3]) })
        let clients = try AckedClients(lines, submit: up.submit, deliver: up.deliver)
        // Each stage killed three times, in random order, at random points of the stream.
        let victims = (0..<3).flatMap { _ in ["tokenizer", "sink", "worker"] }.shuffled()
        for (index, stage) in victims.enumerated() {
            let progress = index * 500 + Int.random(in: 0..<400)
            #expect(waitUntil { clients.received >= progress })
            // A stage may be between a death of its own and its restart: wait until it is up.
            #expect(waitUntil { !up.stage.children(stage).isEmpty })
            let pid = try #require(up.stage.children(stage).randomElement())
            kill(pid, SIGKILL)
            #expect(waitUntil { up.running(["tokenizer": 1, "sink": 1, "worker": 3]) && !up.stage.children(stage).contains(pid) })
        }
        let result = clients.finish()
        #expect(result.sendStatus == 0 && result.receiveStatus == 0, "\(clients.sender.log)\n\(clients.receiver.log)")
        #expect(result.lines == expected)
        #expect(up.stage.log.components(separatedBy: "died").count - 1 == victims.count)
        #expect(try AckedClients.nothingMore(from: up.deliver), "a record delivered twice")
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0, "\(up.stage.log)")
    }

    @Test func upKilledWithAllItsChildrenCarriesOnFromItsJournal() throws {
        let lines = Corpus.sentences(3000, seed: 13)
        let expected = try Corpus.offline(lines)
        let state = try StateDirectory()
        let arguments = ["--workers", "2", "--state-dir", state.path]
        let first = try UpProcess(arguments)
        #expect(waitUntil { first.running(["tokenizer": 1, "sink": 1, "worker": 2]) })
        let clients = try AckedClients(lines, submit: first.submit, deliver: first.deliver)
        #expect(waitUntil { clients.received >= 1000 })
        first.killWithChildren()
        let second = try UpProcess(arguments, endpointsOf: first)
        let result = clients.finish()
        #expect(result.sendStatus == 0 && result.receiveStatus == 0, "\(clients.sender.log)\n\(clients.receiver.log)")
        #expect(result.lines == expected)
        #expect(second.stage.log.contains("replaying the journal"))
        #expect(try AckedClients.nothingMore(from: second.deliver), "a record delivered twice")
        second.stage.send(SIGTERM)
        #expect(second.stage.exitStatus() == 0, "\(second.stage.log)")
    }

    /// Damage that a crash in the middle of a write leaves: the last record cut short, or
    /// the file cut in the middle.
    @Test(arguments: [true, false])
    func aTornOrTruncatedJournalRecoversWhatPrecedesTheDamageAndSaysWhatItDropped(tornLastRecord: Bool) throws {
        let lines = Corpus.sentences(40, seed: 14)
        let state = try StateDirectory()
        let first = try UpProcess(["--state-dir", state.path])
        // Accepted, and never delivered: no consumer.
        let submitter = try Submitter(endpoint: first.submit, resendAfter: .seconds(1))
        for (index, line) in lines.enumerated() { #expect(try submitter.submit(Array("\(index)".utf8), Array(line.utf8), until: StopFlag())) }
        #expect(try submitter.finish(until: StopFlag()) && submitter.accepted == lines.count)
        first.killWithChildren()
        let segment = try #require(state.segments.last)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int)
        #expect(truncate(segment, off_t(tornLastRecord ? size - 5 : size / 2)) == 0)

        let second = try UpProcess(["--state-dir", state.path], endpointsOf: first)
        #expect(second.stage.waitForLog("damaged record dropped"))
        let receiver = try AcknowledgedReceiver(endpoint: second.deliver)
        var ids: [String] = []
        while let json = try receiver.next(timeout: 3000) { ids.append(try OutputRecord(json: json).id ?? "") }
        try receiver.acknowledge()
        #expect(ids == (0..<ids.count).map { String($0) })
        if tornLastRecord {
            #expect(ids.count == lines.count - 1)
            #expect(second.stage.log.contains("after \(lines.count - 1) records"), "\(second.stage.log)")
        } else {
            #expect(ids.count > 5 && ids.count < lines.count)
        }
        second.stage.send(SIGTERM)
        #expect(second.stage.exitStatus() == 0)
    }

    @Test func theJournalStaysBoundedAndFinishedSegmentsAreRemoved() throws {
        let lines = Corpus.sentences(8000, seed: 15)
        let expected = try Corpus.offline(lines)
        let state = try StateDirectory()
        let up = try UpProcess(["--state-dir", state.path, "--journal-segment-bytes", "8192", "--retain-done-seconds", "0"])
        let clients = try AckedClients(lines, submit: up.submit, deliver: up.deliver)
        let seen = LockedSegments()
        let done = Atomic<Bool>(false)
        let watcher = Thread {
            while !done.load(ordering: .relaxed) {
                seen.note(state.segments)
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        watcher.start()
        let result = clients.finish()
        #expect(result.lines == expected)
        #expect(waitUntil(seconds: 10) { state.segments.count == 1 }, "\(state.segments)")
        done.store(true, ordering: .relaxed)
        // A segment is about one fsync's inputs; at most 1,000 inputs are in flight, and
        // finished segments go within a tenth of a second.
        let (created, most) = seen.counts
        #expect(created >= 20, "only \(created) segments")
        #expect(most <= created / 2, "\(most) of \(created) segments at once")
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0)
    }
}

/// Segment files seen by one thread, read by another: how many in all, and most at once.
final class LockedSegments: @unchecked Sendable {
    private let lock = NSLock()
    private var names: Set<String> = []
    private var most = 0

    func note(_ segments: [String]) {
        lock.withLock {
            names.formUnion(segments)
            most = max(most, segments.count)
        }
    }

    var counts: (created: Int, most: Int) { lock.withLock { (names.count, most) } }
}

/// A temporary state directory, removed afterwards.
final class StateDirectory {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)").path

    init() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The journal's segment files, oldest first.
    var segments: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".journal") }.sorted()
            .map { path + "/" + $0 }
    }
}

/// `send --acked` and `receive --acked` on a pipeline; the printed lines are counted as they come.
final class AckedClients {
    let sender: StageProcess
    let receiver: StageProcess
    private let output = LockedBytes()
    private let finished = DispatchSemaphore(value: 0)

    init(_ lines: [String], submit: String, deliver: String) throws {
        let printed = Pipe()
        // Linger: records taken before a crash can come again after the last one.
        receiver = try StageProcess(
            ["receive", "--acked", "--from", deliver, "--count", "\(lines.count)", "--linger", "5"], standardOutput: printed)
        let input = Pipe()
        sender = try StageProcess(["send", "--acked", "--to", submit, "--resend-after-ms", "1000"], standardInput: input)
        try input.fileHandleForWriting.write(contentsOf: Data((lines.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        let (output, finished) = (output, finished)
        Thread {
            while case let chunk = printed.fileHandleForReading.availableData, !chunk.isEmpty { output.append(chunk) }
            finished.signal()
        }.start()
    }

    /// Lines printed so far.
    var received: Int { output.newlines }

    /// Waits for both clients to exit; the lines printed and the exit statuses.
    func finish() -> (lines: [String], sendStatus: Int32?, receiveStatus: Int32?) {
        let statuses = (sender.exitStatus(within: 300), receiver.exitStatus(within: 300))
        finished.wait()
        let text = output.text
        return (text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init), statuses.0, statuses.1)
    }

    /// Whether a new consumer gets nothing from `deliver` within two seconds.
    static func nothingMore(from deliver: String) throws -> Bool {
        try AcknowledgedReceiver(endpoint: deliver).next(timeout: 2000) == nil
    }
}

/// Bytes appended by one thread and read by another.
final class LockedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var lines = 0

    func append(_ chunk: Data) {
        lock.withLock {
            data.append(chunk)
            lines += chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
    }

    var newlines: Int { lock.withLock { lines } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

extension UpProcess {
    /// Whether `up` has exactly `counts` children of each stage.
    func running(_ counts: [String: Int]) -> Bool {
        counts.allSatisfy { stage.children($0.key).count == $0.value }
    }

    /// SIGKILLs `up` and every child at once, and waits until all are gone.
    func killWithChildren() {
        let pids = ["tokenizer", "sink", "worker"].flatMap { stage.children($0) }
        stage.send(SIGKILL)
        for pid in pids { kill(pid, SIGKILL) }
        _ = stage.exitStatus()
        waitUntil { pids.allSatisfy { !isRunning($0) } }
    }
}

/// Whether process `pid` exists and is not a zombie.
func isRunning(_ pid: pid_t) -> Bool {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    return status.split(separator: ")").last?.split(separator: " ").first != "Z"
}
