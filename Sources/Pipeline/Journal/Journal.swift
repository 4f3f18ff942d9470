import Foundation
import Logging
import Metrics

/// The tokenizer's write-ahead journal in a state directory: every accepted input is
/// appended with its identity, made durable (``sync()``) before it is acknowledged or sent
/// to a worker, and marked done once delivered; on opening, what was not done is recovered
/// in sequence order.
///
/// Records go to append-only segment files named by the first sequence number they may
/// hold (``JournalSegment``); after a sync the active segment is closed once it exceeds
/// `segmentBytes` and a new one begins. Finished segments are deleted oldest first: a
/// segment goes once every input in it and in all older ones is done, the last for at least
/// the retention time (so the client ids done within it are still known after a restart).
/// Deleting only the oldest keeps every done mark that refers to a surviving input. A
/// record that is cut short or fails its checksum ends its segment: it and what follows are
/// dropped, logged, and listed in ``Recovery/dropped``.
public final class Journal {
    /// What the journal held when it was opened.
    public struct Recovery {
        /// Inputs not done, in sequence order.
        public var pending: [PipelineItem] = []
        /// Acknowledged-delivery inputs that are done, with when (ms since 1970), oldest first.
        public var done: [(clientID: [UInt8], at: UInt64)] = []
        /// One line per damaged segment: what was dropped and why.
        public var dropped: [String] = []
    }

    /// The epoch of every item this journal holds or will hold.
    public let epoch: UInt64
    /// What was found on opening, until ``takeRecovery()``.
    public private(set) var recovery: Recovery
    /// One past the highest sequence number journaled (or the active segment's start).
    public private(set) var nextSequence: UInt64
    /// fsyncs made so far.
    public private(set) var syncs = 0
    private let directory: String
    private let segmentBytes: Int
    private let logger: Logger
    private var segments: [JournalSegment]
    private var active: AppendFile
    /// Records appended since the last sync.
    private var buffer: [UInt8] = []
    private let syncCounter = Counter(label: "seq2seq_journal_fsyncs_total")

    /// Opens (creating if need be) the journal in `directory` and recovers what it holds.
    ///
    /// - Parameter segmentBytes: size past which the active segment is closed.
    public init(directory: String, segmentBytes: Int = 4 << 20, logger: Logger) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.logger = logger
        let (epoch, created) = try EpochFile.loadOrCreate(in: directory)
        self.epoch = epoch
        var replay = JournalReplay()
        let starts = try FileManager.default.contentsOfDirectory(atPath: directory).compactMap(JournalSegment.start(ofName:)).sorted()
        segments = try starts.map { start in
            let segment = JournalSegment(start: start, path: directory + "/" + JournalSegment.name(start: start))
            try replay.read(segment, logger: logger)
            return segment
        }
        recovery = replay.recovery
        nextSequence = max(replay.nextSequence, starts.last ?? 0)
        for (index, count) in replay.liveCounts(starts: starts) { segments[index].live = count }
        for (index, time) in replay.lastDone(starts: starts) { segments[index].lastDone = time }
        if segments.isEmpty {
            segments = [JournalSegment(start: nextSequence, path: directory + "/" + JournalSegment.name(start: nextSequence))]
        }
        active = try AppendFile(path: segments.last!.path)
        try AppendFile.syncDirectory(directory)
        logger.info(
            "journal open",
            metadata: [
                "directory": "\(directory)", "epoch": "\(epoch)", "new": "\(created)", "segments": "\(segments.count)",
                "pending": "\(recovery.pending.count)", "next_sequence": "\(nextSequence)",
            ])
    }

    /// What was found on opening, handed over once (the journal keeps no copy).
    func takeRecovery() -> Recovery {
        defer { recovery = Recovery() }
        return recovery
    }

    /// Segment files on disk.
    public var segmentCount: Int { segments.count }

    /// Whether records are waiting for ``sync()``.
    var hasUnsynced: Bool { !buffer.isEmpty }

    /// Appends an accepted input; durable after the next ``sync()``.
    func append(_ item: PipelineItem) {
        precondition(item.sequence >= nextSequence && item.epoch == epoch)
        buffer += JournalRecord.input(item).framed
        nextSequence = item.sequence + 1
        segments[segments.count - 1].live += 1
    }

    /// Marks inputs done at `now` (ms since 1970); durable after the next ``sync()``.
    func markDone(_ sequences: [UInt64], now: UInt64) {
        guard !sequences.isEmpty else { return }
        buffer += JournalRecord.done(sequences: sequences, atMilliseconds: now).framed
        for sequence in sequences {
            let index = segments.partitioningIndex { $0.start > sequence } - 1
            guard index >= 0 else { continue }
            segments[index].live -= 1
            segments[index].lastDone = max(segments[index].lastDone, now)
        }
    }

    /// Writes what was appended and makes it durable (one `fdatasync`); then begins a new
    /// segment if the active one is full and holds inputs (segments are named by their first
    /// input's sequence number).
    func sync() throws {
        guard !buffer.isEmpty else { return }
        try active.write(buffer)
        try active.sync()
        buffer.removeAll(keepingCapacity: true)
        syncs += 1
        syncCounter.increment()
        if active.size >= segmentBytes && nextSequence > segments[segments.count - 1].start { try rotate() }
    }

    private func rotate() throws {
        let segment = JournalSegment(start: nextSequence, path: directory + "/" + JournalSegment.name(start: nextSequence))
        active = try AppendFile(path: segment.path)
        try AppendFile.syncDirectory(directory)
        segments.append(segment)
    }

    /// Deletes the oldest segments that are finished (see ``JournalSegment/isFinished(now:retention:)``),
    /// never the active one; returns how many.
    @discardableResult
    func removeFinished(now: UInt64, retention: UInt64) throws -> Int {
        var removed = 0
        while segments.count > 1 && segments[0].isFinished(now: now, retention: retention) {
            guard unlink(segments[0].path) == 0 else { throw JournalError.system(call: "unlink", path: segments[0].path, errno: errno) }
            segments.removeFirst()
            removed += 1
        }
        if removed > 0 {
            try AppendFile.syncDirectory(directory)
            logger.debug("journal segments removed", metadata: ["removed": "\(removed)", "segments": "\(segments.count)"])
        }
        return removed
    }
}
