import CVectorKernels

/// Vector kernels over raw buffers (the `CVectorKernels` C target), built for AVX-512, AVX2
/// and baseline x86-64 and chosen at load time by what the CPU runs: the Swift compiler
/// targets baseline x86-64 only. Used where a BLAS call per vector would cost more than the
/// arithmetic (attention over a few dozen positions, row normalisation, scoring logits).
public enum VectorKernels {
    /// `Σ a[i]·b[i]` over `count` values.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        vk_dot(a, b, count)
    }

    /// `y[i] += alpha · x[i]` over `count` values.
    @inlinable
    public static func accumulate(_ alpha: Float, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        vk_accumulate(alpha, x, y, count)
    }

    /// Replaces `count` values (at least one) by their softmax, computed stably.
    @inlinable
    public static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        vk_softmax(x, count)
    }

    /// The largest of `count` values (at least one).
    @inlinable
    public static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        vk_maximum(x, count)
    }

    /// Index of the largest of `count` values (the first one on ties, as `torch.argmax`).
    @inlinable
    public static func argmax(_ x: UnsafePointer<Float>, count: Int) -> Int {
        vk_argmax(x, count)
    }

    /// `log Σ exp(x)` over `count` values (at least one), computed stably.
    @inlinable
    public static func logSumExp(_ x: UnsafePointer<Float>, count: Int) -> Float {
        vk_log_sum_exp(x, count)
    }

    /// `x · σ(x)` (swish, SiLU) of `count` values in place.
    @inlinable
    public static func swish(_ x: UnsafeMutablePointer<Float>, count: Int) {
        vk_swish(x, count)
    }

    /// Multiplies the gradients `dy` by swish's derivative at `x`, `σ(x)(1 + x(1 − σ(x)))`, over `count` values.
    @inlinable
    public static func swishBackward(_ dy: UnsafeMutablePointer<Float>, at x: UnsafePointer<Float>, count: Int) {
        vk_swish_backward(dy, x, count)
    }

    /// `x[i] = exp(x[i] − shift) · scale + offset` over `count` values in place (a softmax's
    /// rows from their log-sum-exp, say).
    @inlinable
    public static func scaledExp(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float, scale: Float, offset: Float) {
        vk_scaled_exp(x, count, shift, scale, offset)
    }

    /// Layer normalisation of each of `rows` rows of `cols` values in place:
    /// `(x − mean) / √(var + eps) · gamma + beta`, with the biased variance, as `torch.nn.LayerNorm`.
    @inlinable
    public static func layerNorm(
        _ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
        eps: Float = 1e-5
    ) {
        vk_layer_norm(x, rows, cols, gamma, beta, eps)
    }

    /// Returns the heap memory freed so far to the system (glibc keeps it for reuse otherwise).
    public static func releaseFreedMemory() {
        vk_release_freed_memory()
    }
}
