import Testing

@testable import Tensor

/// The BLAS wrappers against a plain triple loop, in every transpose combination and at the
/// single-row shape that goes through sgemv.
@Suite struct BLASTests {
    /// `op(A) · op(B)` by the definition, in Double.
    func naive(_ a: Matrix, _ b: Matrix, transA: Bool, transB: Bool) -> [Double] {
        let m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols, n = transB ? b.rows : b.cols
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k {
                    c[i * n + j] += Double(transA ? a[p, i] : a[i, p]) * Double(transB ? b[j, p] : b[p, j])
                }
            }
        }
        return c
    }

    @Test(arguments: [(1, 7, 5), (3, 4, 6), (17, 9, 33)])
    func gemmMatchesTheDefinition(m: Int, n: Int, k: Int) {
        var rng = SeededGenerator(seed: UInt64(m * 100 + n))
        for (transA, transB) in [(false, false), (false, true), (true, false), (true, true)] {
            let a = Matrix.uniform(rows: transA ? k : m, cols: transA ? m : k, -1, 1, using: &rng)
            let b = Matrix.uniform(rows: transB ? n : k, cols: transB ? k : n, -1, 1, using: &rng)
            var c = Matrix(rows: m, cols: n, repeating: 0.5)
            c.storage.withUnsafeMutableBufferPointer { cp in
                BLAS.gemm(
                    transA: transA, transB: transB, m: m, n: n, k: k, alpha: 2, a: a.storage, lda: a.cols, b: b.storage,
                    ldb: b.cols, beta: 1, c: cp.baseAddress!, ldc: n)
            }
            let expected = naive(a, b, transA: transA, transB: transB).map { Float(2 * $0 + 0.5) }
            for (x, y) in zip(c.storage, expected) { #expect(abs(x - y) < 1e-4, "transA \(transA) transB \(transB)") }
        }
    }

    @Test func matrixHelpers() {
        let m = Matrix(rows: 2, cols: 3, storage: [1, 2, 3, 4, 5, 6])
        #expect(m.transposed() == Matrix(rows: 3, cols: 2, storage: [1, 4, 2, 5, 3, 6]))
        #expect(m.gatherRows([1, 1, 0]).storage == [4, 5, 6, 4, 5, 6, 1, 2, 3])
        #expect(m.row(1) == [4, 5, 6])
        var t = m
        t.setRow(0, [7, 8, 9])
        t[1, 2] = -1
        #expect(t.storage == [7, 8, 9, 4, 5, -1])
        t.addRowVector([1, 0, 2])
        #expect(t.storage == [8, 8, 11, 5, 5, 1])
    }

    @Test func seededGeneratorIsReproducibleAndWellSpread() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let xs = (0..<1000).map { _ in a.uniform(-1, 1) }
        #expect(xs == (0..<1000).map { _ in b.uniform(-1, 1) })
        #expect(xs != (0..<1000).map { _ in c.uniform(-1, 1) })
        #expect(xs.allSatisfy { $0 >= -1 && $0 < 1 })
        #expect(abs(xs.reduce(0, +) / 1000) < 0.1)
        let normals = (0..<20000).map { _ in Double(a.normal()) }
        let mean = normals.reduce(0, +) / 20000
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20000
        #expect(abs(mean) < 0.05 && abs(variance - 1) < 0.05)
        let w = Matrix.xavierUniform(rows: 30, cols: 10, using: &a)
        #expect(w.storage.allSatisfy { abs($0) <= (6.0 / 40).squareRoot() })
    }
}
