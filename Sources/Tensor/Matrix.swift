/// A dense row-major matrix of `Float32` values, `rows × cols`.
///
/// Element `(r, c)` is stored at `storage[r * cols + c]`. A vector is a matrix with one row.
public struct Matrix: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// Row-major elements, `rows * cols` of them.
    public var storage: [Float]

    /// A `rows × cols` matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "negative matrix dimension")
        self.rows = rows
        self.cols = cols
        self.storage = [Float](repeating: value, count: rows * cols)
    }

    /// A `rows × cols` matrix over `storage` (row-major, `rows * cols` elements).
    public init(rows: Int, cols: Int, storage: [Float]) {
        precondition(storage.count == rows * cols, "storage holds \(storage.count) values, not \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// Element at row `r`, column `c`.
    @inlinable
    public subscript(r: Int, c: Int) -> Float {
        get { storage[r * cols + c] }
        set { storage[r * cols + c] = newValue }
    }

    /// Row `r` as a new array of `cols` values.
    public func row(_ r: Int) -> [Float] {
        Array(storage[(r * cols)..<((r + 1) * cols)])
    }

    /// Copies `values` (`cols` of them) into row `r`.
    public mutating func setRow(_ r: Int, _ values: some Collection<Float>) {
        precondition(values.count == cols, "row of \(values.count) values for \(cols) columns")
        storage.replaceSubrange((r * cols)..<((r + 1) * cols), with: values)
    }

    /// A matrix of the rows at `indices`, in that order (`indices.count × cols`).
    public func gatherRows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, cols: cols)
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for (i, r) in indices.enumerated() {
                    precondition(r >= 0 && r < rows, "row \(r) out of 0..<\(rows)")
                    (dst.baseAddress! + i * cols).update(from: src.baseAddress! + r * cols, count: cols)
                }
            }
        }
        return out
    }

    /// The transpose, `cols × rows`.
    public func transposed() -> Matrix {
        var out = Matrix(rows: cols, cols: rows)
        for r in 0..<rows {
            for c in 0..<cols { out.storage[c * rows + r] = storage[r * cols + c] }
        }
        return out
    }
}

extension Matrix {
    /// Adds `bias` (`cols` values) to every row.
    public mutating func addRowVector(_ bias: [Float]) {
        precondition(bias.count == cols)
        let n = cols
        storage.withUnsafeMutableBufferPointer { p in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let row = p.baseAddress! + r * n
                    for c in 0..<n { row[c] += b[c] }
                }
            }
        }
    }

    /// Adds `other` (same shape) element by element: a residual connection.
    public mutating func add(_ other: Matrix) {
        precondition(rows == other.rows && cols == other.cols, "adding \(other.rows)×\(other.cols) to \(rows)×\(cols)")
        let count = storage.count
        other.storage.withUnsafeBufferPointer { o in
            storage.withUnsafeMutableBufferPointer { VectorKernels.accumulate(1, o.baseAddress!, into: $0.baseAddress!, count: count) }
        }
    }
}
