import Testing

@testable import Tensor

/// Embedding rows in float32 come back exact, in int8 within half a step of their row's scale.
@Suite struct EmbeddingTableTests {
    @Test func gatheredRowsMatchTheMatrix() {
        var rng = SeededGenerator(seed: 4)
        var matrix = Matrix.normal(rows: 50, cols: 24, using: &rng)
        matrix.setRow(7, [Float](repeating: 0, count: 24))  // a zero row (OPUS-MT's <pad>) stays zero
        let ids = [3, 7, 3, 49, 0]
        #expect(EmbeddingTable(matrix, computeType: .float32).gatherRows(ids) == matrix.gatherRows(ids))
        let quantized = EmbeddingTable(matrix, computeType: .int8).gatherRows(ids)
        for (i, id) in ids.enumerated() {
            let row = matrix.row(id)
            let step = (row.map(abs).max() ?? 0) / 127
            #expect(zip(quantized.row(i), row).allSatisfy { abs($0 - $1) <= step / 2 + 1e-7 }, "row \(id)")
        }
        #expect(quantized.row(1).allSatisfy { $0 == 0 })
        #expect(EmbeddingTable(matrix, computeType: .int8).matrix == nil)
    }
}
