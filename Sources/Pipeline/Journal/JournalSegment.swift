/// The journal's bookkeeping for one segment file: the first sequence number it may hold
/// (its name), how many of its inputs are not done, and when the last of them became done.
struct JournalSegment {
    /// Sequence numbers of the segment's inputs start here; the next segment's start ends them.
    let start: UInt64
    let path: String
    /// Inputs of this segment not yet done.
    var live = 0
    /// When the latest of its inputs became done (milliseconds since 1970; 0 for none).
    var lastDone: UInt64 = 0

    /// The file name of the segment whose inputs start at `start`: 20 decimal digits, so that
    /// names sort as numbers.
    static func name(start: UInt64) -> String {
        let digits = String(start)
        return String(repeating: "0", count: 20 - digits.count) + digits + ".journal"
    }

    /// The start of a segment named `name`, or nil for another file.
    static func start(ofName name: String) -> UInt64? {
        guard name.hasSuffix(".journal"), name.count == 28 else { return nil }
        return UInt64(name.prefix(20))
    }

    /// Whether the segment can go: all its inputs are done, the last longer ago than
    /// `retention` (ms) before `now`.
    func isFinished(now: UInt64, retention: UInt64) -> Bool {
        live == 0 && now >= lastDone && now - lastDone >= retention
    }
}
