/// How a batch of variable-length sequences is laid out for a GRU without padding steps
/// (PyTorch's `PackedSequence`).
///
/// Sequences are ordered by decreasing length (ties keep their batch order). At time step
/// `t` the first `batchSizes[t]` sorted sequences are still running, and their rows sit
/// at packed rows `offsets[t] ..< offsets[t] + batchSizes[t]`. Finished sequences never
/// run through the GRU again, so each one's final state is the state after its own last
/// token.
public struct PackedLayout: Equatable, Sendable {
    /// `order[j]` is the batch index of the `j`-th longest sequence.
    public let order: [Int]
    /// Lengths in sorted order.
    public let sortedLengths: [Int]
    /// Sequences still running at each step, non-increasing.
    public let batchSizes: [Int]
    /// First packed row of each step.
    public let offsets: [Int]
    /// Total packed rows, the sum of the lengths.
    public let totalRows: Int

    /// The layout of sequences of `lengths` (each at least 1).
    public init(lengths: [Int]) {
        precondition(lengths.allSatisfy { $0 > 0 }, "empty sequence in a packed batch")
        order = lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
        sortedLengths = order.map { lengths[$0] }
        let steps = sortedLengths.first ?? 0
        var sizes = [Int](repeating: 0, count: steps)
        for length in sortedLengths {
            for t in 0..<length { sizes[t] += 1 }
        }
        batchSizes = sizes
        var running = 0
        offsets = sizes.map { size in
            defer { running += size }
            return running
        }
        totalRows = running
    }

    /// Number of time steps, the longest length.
    public var steps: Int { batchSizes.count }
    /// Number of sequences.
    public var batch: Int { order.count }

    /// Packed row of sorted sequence `j` at step `t` (requires `t < sortedLengths[j]`).
    @inlinable
    public func row(step t: Int, sorted j: Int) -> Int { offsets[t] + j }

    /// Packed rows of `sequences[order[j]][t]`, gathered: element `offsets[t] + j` is
    /// `sequences[order[j]][t]`.
    public func pack<T>(_ sequences: [[T]]) -> [T] {
        var packed: [T] = []
        packed.reserveCapacity(totalRows)
        for t in 0..<steps {
            for j in 0..<batchSizes[t] { packed.append(sequences[order[j]][t]) }
        }
        return packed
    }
}
