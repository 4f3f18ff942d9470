import Tensor

/// The running state of a batch of Transformer decodes: one row per hypothesis.
///
/// Each row holds its sentence's index in the shared ``EncoderMemory`` and, per decoder layer,
/// the self-attention keys and values of every position decoded so far, so that a step only
/// computes the new position's.
public struct TransformerDecoderState: DecodingState {
    /// Cross-attention keys and values of the batch's sentences.
    let memory: EncoderMemory
    /// The sentence (index into `memory`) of each row.
    var sentences: [Int]
    /// Positions decoded so far; the next step's position.
    var position = 0
    /// Positions each row has room for in the caches.
    var capacity: Int
    /// Per decoder layer, `rows × capacity × d` self-attention keys, then values.
    var keys: [[Float]]
    var values: [[Float]]
    /// Model width `d`.
    let width: Int

    init(memory: EncoderMemory, layers: Int, width: Int, capacity: Int = 16) {
        self.memory = memory
        sentences = Array(memory.lengths.indices)
        self.capacity = capacity
        self.width = width
        let empty = [Float](repeating: 0, count: sentences.count * capacity * width)
        keys = Array(repeating: empty, count: layers)
        values = keys
    }

    public var rows: Int { sentences.count }

    public mutating func selectRows(_ indices: [Int]) {
        sentences = indices.map { sentences[$0] }
        keys = keys.map { gather($0, indices, capacity: capacity) }
        values = values.map { gather($0, indices, capacity: capacity) }
    }

    /// Makes room for one more position in every row, doubling the capacity when full.
    mutating func reserveNextPosition() {
        guard position == capacity else { return }
        let wider = capacity * 2
        keys = keys.map { gather($0, Array(0..<rows), capacity: wider) }
        values = values.map { gather($0, Array(0..<rows), capacity: wider) }
        capacity = wider
    }

    /// Rows `indices` of a cache, the positions decoded so far copied into rows of `capacity` positions.
    private func gather(_ cache: [Float], _ indices: [Int], capacity newCapacity: Int) -> [Float] {
        let rowFloats = capacity * width
        let used = position * width
        var out = [Float](repeating: 0, count: indices.count * newCapacity * width)
        cache.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (i, row) in indices.enumerated() {
                    (dst.baseAddress! + i * newCapacity * width).update(from: src.baseAddress! + row * rowFloats, count: used)
                }
            }
        }
        return out
    }
}
