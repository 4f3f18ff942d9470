import Foundation
import Logging
import Testing

@testable import Pipeline

/// The tokenizer's journal on real files: replay order and identity, torn and truncated
/// records, segment deletion.
@Suite struct JournalTests {
    let logger = Logger(label: "journal-test")

    func item(_ journal: Journal, _ sequence: UInt64, delivery: PipelineItem.Delivery = .acknowledged) -> PipelineItem {
        PipelineItem(
            epoch: journal.epoch, sequence: sequence, lowWater: 0, delivery: delivery, clientID: Array("id-\(sequence)".utf8),
            source: "line \(sequence)", payload: sequence % 5 == 4 ? .error("input is empty") : .tokens([3, Int(sequence), 7]))
    }

    func segmentFiles(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".journal") }.sorted()
    }

    @Test func pendingInputsComeBackInOrderWithTheirIdentityAndEpoch() throws {
        try withTemporaryDirectory { directory in
            let journal = try Journal(directory: directory, logger: logger)
            let items = (0..<10).map { item(journal, $0) }
            for item in items { journal.append(item) }
            try journal.sync()
            journal.markDone([2, 5], now: 1000)
            try journal.sync()
            // Appended but never synced: not durable, and never acknowledged to anyone.
            journal.append(item(journal, 10))

            let reopened = try Journal(directory: directory, logger: logger)
            #expect(reopened.epoch == journal.epoch)
            #expect(reopened.recovery.pending == items.filter { ![2, 5].contains($0.sequence) })
            #expect(reopened.recovery.done.map(\.clientID) == [Array("id-2".utf8), Array("id-5".utf8)])
            #expect(reopened.recovery.done.map(\.at) == [1000, 1000])
            #expect(reopened.recovery.dropped.isEmpty)
            #expect(reopened.nextSequence == 10)
        }
    }

    @Test func aTornLastRecordIsDroppedAndReportedAndAppendingCarriesOn() throws {
        try withTemporaryDirectory { directory in
            let journal = try Journal(directory: directory, logger: logger)
            for sequence in 0..<5 { journal.append(item(journal, UInt64(sequence))) }
            try journal.sync()
            journal.append(item(journal, 5))
            try journal.sync()
            let path = directory + "/" + (try segmentFiles(directory)).last!
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try bytes.dropLast(3).write(to: URL(fileURLWithPath: path))

            let reopened = try Journal(directory: directory, logger: logger)
            #expect(reopened.recovery.pending.map(\.sequence) == [0, 1, 2, 3, 4])
            #expect(reopened.recovery.dropped.count == 1)
            #expect(reopened.recovery.dropped.first?.contains("after 5 records") == true, "\(reopened.recovery.dropped)")
            #expect(reopened.nextSequence == 5)
            reopened.append(item(reopened, 5))
            try reopened.sync()
            let again = try Journal(directory: directory, logger: logger)
            #expect(again.recovery.pending.map(\.sequence) == [0, 1, 2, 3, 4, 5])
            #expect(again.recovery.dropped.isEmpty)
        }
    }

    @Test(arguments: [0.5, 0.75])
    func aDamagedOrTruncatedFileKeepsEverythingBeforeTheDamage(fraction: Double) throws {
        try withTemporaryDirectory { directory in
            let journal = try Journal(directory: directory, logger: logger)
            for sequence in 0..<100 { journal.append(item(journal, UInt64(sequence))) }
            try journal.sync()
            let url = URL(fileURLWithPath: directory + "/" + (try segmentFiles(directory)).last!)
            var bytes = try Data(contentsOf: url)
            let cut = Int(Double(bytes.count) * fraction)
            if fraction == 0.5 {
                bytes = bytes.prefix(cut)  // truncated
            } else {
                bytes[cut] ^= 0xFF  // a flipped byte: a checksum mismatch
            }
            try bytes.write(to: url)

            let reopened = try Journal(directory: directory, logger: logger)
            let recovered = reopened.recovery.pending.map(\.sequence)
            #expect(recovered == Array(0..<UInt64(recovered.count)))
            #expect(recovered.count >= Int(Double(100) * fraction) - 2 && recovered.count < 100)
            #expect(reopened.recovery.dropped.count == 1)
            if fraction != 0.5 { #expect(reopened.recovery.dropped[0].contains("checksum mismatch")) }
        }
    }

    @Test func finishedSegmentsAreDeletedOldestFirstAfterTheRetention() throws {
        try withTemporaryDirectory { directory in
            let journal = try Journal(directory: directory, segmentBytes: 500, logger: logger)
            for sequence in 0..<200 {
                journal.append(item(journal, UInt64(sequence)))
                try journal.sync()
            }
            #expect(journal.segmentCount > 10)
            #expect(try segmentFiles(directory).count == journal.segmentCount)
            // An undone input in the first segment holds back every segment after it.
            journal.markDone(Array(1..<200), now: 5000)
            try journal.sync()
            #expect(try journal.removeFinished(now: 1_000_000, retention: 0) == 0)
            journal.markDone([0], now: 6000)
            try journal.sync()
            #expect(try journal.removeFinished(now: 6000 + 999, retention: 1000) == 0)
            #expect(try journal.removeFinished(now: 6000 + 1000, retention: 1000) > 10)
            #expect(journal.segmentCount == 1)
            #expect(try segmentFiles(directory).count == 1)

            let reopened = try Journal(directory: directory, logger: logger)
            #expect(reopened.recovery.pending.isEmpty)
            #expect(reopened.nextSequence == 200)
        }
    }

    @Test func plainInputsAreNotRememberedAsDoneSubmissions() throws {
        try withTemporaryDirectory { directory in
            let journal = try Journal(directory: directory, logger: logger)
            journal.append(item(journal, 0, delivery: .plain))
            journal.append(item(journal, 1))
            journal.markDone([0, 1], now: 7)
            try journal.sync()
            #expect(try Journal(directory: directory, logger: logger).recovery.done.map(\.clientID) == [Array("id-1".utf8)])
        }
    }

    @Test func aDamagedEpochFileIsNamed() throws {
        try withTemporaryDirectory { directory in
            _ = try Journal(directory: directory, logger: logger)
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory + "/epoch"))
            let error = #expect(throws: JournalError.self) { try Journal(directory: directory, logger: self.logger) }
            #expect(error?.description.contains("epoch file \(directory)/epoch is damaged") == true)
        }
    }

    @Test func crc32cMatchesTheStandardCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }
}
