import Foundation

/// Small vector kernels over raw buffers, written with explicit SIMD so that they
/// vectorise without relaxed floating-point rules. Used where a BLAS call per vector would
/// cost more than the arithmetic (attention over a few dozen positions, row normalisation).
public enum VectorKernels {
    /// `Σ a[i]·b[i]` over `count` values.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            acc0 += load8(a + i) * load8(b + i)
            acc1 += load8(a + i + 8) * load8(b + i + 8)
            i += 16
        }
        var sum = (acc0 + acc1).sum()
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// `y[i] += alpha · x[i]` over `count` values.
    @inlinable
    public static func accumulate(_ alpha: Float, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        let a = SIMD8<Float>(repeating: alpha)
        var i = 0
        while i + 8 <= count {
            store8(load8(y + i) + a * load8(x + i), y + i)
            i += 8
        }
        while i < count {
            y[i] += alpha * x[i]
            i += 1
        }
    }

    /// Replaces `count` values by their softmax, computed stably.
    @inlinable
    public static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var m = x[0]
        for i in 1..<count { m = max(m, x[i]) }
        var sum: Float = 0
        for i in 0..<count {
            x[i] = expf(x[i] - m)
            sum += x[i]
        }
        let scale = 1 / sum
        for i in 0..<count { x[i] *= scale }
    }

    /// Layer normalisation of each of `rows` rows of `cols` values in place:
    /// `(x − mean) / √(var + eps) · gamma + beta`, with the biased variance, as `torch.nn.LayerNorm`.
    public static func layerNorm(
        _ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
        eps: Float = 1e-5
    ) {
        for r in 0..<rows {
            let row = x + r * cols
            var sum: Float = 0
            for c in 0..<cols { sum += row[c] }
            let mean = sum / Float(cols)
            var squares: Float = 0
            for c in 0..<cols {
                let d = row[c] - mean
                squares += d * d
            }
            let inverse = 1 / (squares / Float(cols) + eps).squareRoot()
            for c in 0..<cols { row[c] = (row[c] - mean) * inverse * gamma[c] + beta[c] }
        }
    }

    @inlinable @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inlinable @inline(__always)
    static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}
