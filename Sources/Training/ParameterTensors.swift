import Seq2Seq
import Tensor

/// A model's parameters (or their gradients) as a fixed sequence of float buffers, so that
/// one optimiser and one clipping function serve every architecture.
public protocol ParameterTensors {
    /// Number of buffers.
    var tensorCount: Int { get }
    /// Reads buffer `k`.
    func withTensor<R>(_ k: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R
    /// Writes buffer `k`.
    mutating func withMutableTensor<R>(_ k: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R
}

extension ParameterTensors {
    /// The number of floats in each buffer.
    var tensorSizes: [Int] { (0..<tensorCount).map { k in withTensor(k) { $0.count } } }
}

extension Seq2SeqWeights: ParameterTensors {
    /// One buffer per parameter tensor, in ``Seq2SeqWeights/parameters`` order.
    public var tensorCount: Int { parameters.count }

    public func withTensor<R>(_ k: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try self[keyPath: parameters[k].path].storage.withUnsafeBufferPointer(body)
    }

    public mutating func withMutableTensor<R>(_ k: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try self[keyPath: parameters[k].path].storage.withUnsafeMutableBufferPointer { try body($0) }
    }
}

extension TransformerParameters: ParameterTensors {
    /// One buffer: every tensor, flat.
    public var tensorCount: Int { 1 }

    public func withTensor<R>(_ k: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        precondition(k == 0)
        return try values.withUnsafeBufferPointer(body)
    }

    public mutating func withMutableTensor<R>(_ k: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        precondition(k == 0)
        return try values.withUnsafeMutableBufferPointer { try body($0) }
    }
}
