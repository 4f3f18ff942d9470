import COneDNN
import COpenBLAS

/// Thin wrappers over the CBLAS routines the model uses, on row-major data.
public enum BLAS {
    /// Number of threads each matrix product uses in this process: OpenBLAS's, and OpenMP's,
    /// which runs oneDNN's (``PackedWeights``).
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set {
            openblas_set_num_threads(Int32(newValue))
            omp_set_num_threads(Int32(newValue))
        }
    }

    /// `C = alpha · op(A) · op(B) + beta · C`, all row-major.
    ///
    /// - `op(A)` is `m × k` (`A` is `k × m` when `transA`), leading dimension `lda`.
    /// - `op(B)` is `k × n` (`B` is `n × k` when `transB`), leading dimension `ldb`.
    /// - `C` is `m × n`, leading dimension `ldc`.
    ///
    /// A single-row product (`m == 1`, `A` not transposed) goes through `sgemv`, which is
    /// several times faster than `sgemm` at that shape.
    @inlinable
    public static func gemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if m == 1 && !transA {
            // c (1×n) = a (1×k) · op(B) = op(B)ᵀ · a.
            if transB {
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(k), alpha, b, Int32(ldb), a, 1, beta, c, 1)
            } else {
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(k), Int32(n), alpha, b, Int32(ldb), a, 1, beta, c, 1)
            }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `y = alpha · x + y` over `n` elements.
    @inlinable
    public static func axpy(n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(Int32(n), alpha, x, 1, y, 1)
    }
}
