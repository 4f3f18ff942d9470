/// An embedding table, `rows × cols`: float32 rows, or in int8 each row quantized with its own
/// scale (a quarter of the memory) and turned back into floats as it is gathered.
public struct EmbeddingTable: Sendable {
    public let rows: Int
    public let cols: Int
    private let values: Values

    private enum Values: Sendable {
        case float32(Matrix)
        /// `rows × cols` int8 values and one scale per row: row `r` is `values[r] · scales[r]`.
        case int8([Int8], scales: [Float])
    }

    /// The table of `matrix`, quantized per row when `computeType` is int8 (float32 otherwise).
    public init(_ matrix: Matrix, computeType: ComputeType) {
        rows = matrix.rows
        cols = matrix.cols
        guard computeType == .int8 else {
            values = .float32(matrix)
            return
        }
        var quantized = [Int8](repeating: 0, count: rows * cols)
        var scales = [Float](repeating: 1, count: rows)
        for r in 0..<rows {
            let row = matrix.storage[(r * cols)..<((r + 1) * cols)]
            let largest = row.map(abs).max() ?? 0
            guard largest > 0 else { continue }
            scales[r] = largest / 127
            for (c, value) in row.enumerated() { quantized[r * cols + c] = Int8((value / scales[r]).rounded(.toNearestOrEven)) }
        }
        values = .int8(quantized, scales: scales)
    }

    /// The float32 table, or `nil` for a quantized one.
    public var matrix: Matrix? {
        if case .float32(let matrix) = values { return matrix }
        return nil
    }

    /// The rows at `ids`, in that order, as floats: `ids.count × cols`.
    public func gatherRows(_ ids: [Int]) -> Matrix {
        switch values {
        case .float32(let matrix):
            return matrix.gatherRows(ids)
        case .int8(let quantized, let scales):
            var out = Matrix(rows: ids.count, cols: cols)
            for (i, r) in ids.enumerated() {
                precondition(r >= 0 && r < rows, "row \(r) out of 0..<\(rows)")
                for c in 0..<cols { out.storage[i * cols + c] = Float(quantized[r * cols + c]) * scales[r] }
            }
            return out
        }
    }
}
