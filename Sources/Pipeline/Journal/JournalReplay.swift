import Logging

/// What reading a journal's segments, oldest first, adds up to: the inputs, which of them are
/// done and when, and the damage found.
struct JournalReplay {
    private var inputs: [UInt64: PipelineItem] = [:]
    private var doneAt: [UInt64: UInt64] = [:]
    private var dropped: [String] = []
    /// One past the highest sequence number read.
    private(set) var nextSequence: UInt64 = 0

    /// Reads `segment`'s records; a damaged tail is logged, cut off the file and noted.
    mutating func read(_ segment: JournalSegment, logger: Logger) throws {
        let bytes = try AppendFile.read(segment.path)
        let scan = JournalRecord.scan(bytes)
        if let damage = scan.damage {
            let line = "\(segment.path): dropped \(bytes.count - scan.validLength) bytes after \(scan.records.count) records (\(damage))"
            logger.warning("journal: damaged record dropped", metadata: ["detail": "\(line)"])
            dropped.append(line)
            try AppendFile.truncate(segment.path, to: scan.validLength)
        }
        for record in scan.records {
            switch record {
            case .input(let item):
                inputs[item.sequence] = item
                nextSequence = max(nextSequence, item.sequence + 1)
            case .done(let sequences, let time):
                for sequence in sequences { doneAt[sequence] = time }
            }
        }
    }

    /// The inputs not done in sequence order, the acknowledged-delivery inputs done (oldest
    /// first), and the damage.
    var recovery: Journal.Recovery {
        var recovery = Journal.Recovery(dropped: dropped)
        recovery.pending = inputs.values.filter { doneAt[$0.sequence] == nil }.sorted { $0.sequence < $1.sequence }
        recovery.done = inputs.values.compactMap { item -> (item: PipelineItem, at: UInt64)? in
            guard item.delivery == .acknowledged, let time = doneAt[item.sequence] else { return nil }
            return (item, time)
        }.sorted { ($0.at, $0.item.sequence) < ($1.at, $1.item.sequence) }.map { ($0.item.clientID, $0.at) }
        return recovery
    }

    /// Per segment index (segments starting at `starts`), its inputs not done.
    func liveCounts(starts: [UInt64]) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for sequence in inputs.keys where doneAt[sequence] == nil {
            counts[Self.segment(of: sequence, starts: starts), default: 0] += 1
        }
        return counts
    }

    /// Per segment index, when its last input became done.
    func lastDone(starts: [UInt64]) -> [Int: UInt64] {
        var times: [Int: UInt64] = [:]
        for (sequence, time) in doneAt where inputs[sequence] != nil {
            let index = Self.segment(of: sequence, starts: starts)
            times[index] = max(times[index] ?? 0, time)
        }
        return times
    }

    private static func segment(of sequence: UInt64, starts: [UInt64]) -> Int {
        starts.partitioningIndex { $0 > sequence } - 1
    }
}
