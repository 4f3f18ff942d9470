import Testing

@testable import Tensor

/// `PackedWeights` in every compute type against a plain float32 product.
@Suite struct PackedWeightsTests {
    /// `x · W + b` in double precision, `rows × outputs`.
    func reference(_ x: Matrix, _ w: Matrix, _ b: [Float]) -> [Double] {
        var y = [Double](repeating: 0, count: x.rows * w.cols)
        for r in 0..<x.rows {
            for c in 0..<w.cols {
                var sum = Double(b[c])
                for k in 0..<x.cols { sum += Double(x[r, k]) * Double(w[k, c]) }
                y[r * w.cols + c] = sum
            }
        }
        return y
    }

    /// Largest error relative to the largest reference value.
    func relativeError(_ got: [Float], _ expected: [Double]) -> Double {
        let scale = expected.map(abs).max()!
        return zip(got, expected).map { abs(Double($0) - $1) }.max()! / scale
    }

    static let shapes: [(rows: Int, inputs: Int, outputs: Int)] = [(1, 32, 40), (7, 64, 33), (64, 96, 128), (130, 17, 5)]

    @Test(arguments: ComputeType.allCases, shapes.indices)
    func productsMatchFloat32WithinTheTypesPrecision(type: ComputeType, shape: Int) throws {
        try #require(type.unsupportedReason == nil, "\(type) is not available on this CPU")
        let (rows, inputs, outputs) = Self.shapes[shape]
        var rng = SeededGenerator(seed: UInt64(shape))
        let x = Matrix.normal(rows: rows, cols: inputs, using: &rng)
        let w = Matrix.normal(rows: inputs, cols: outputs, using: &rng)
        let b = Matrix.normal(rows: 1, cols: outputs, using: &rng).storage
        let packed = PackedWeights(w, bias: b, computeType: type)
        var y = [Float](repeating: .nan, count: rows * outputs)
        x.storage.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { packed.apply(xp.baseAddress!, rows: rows, into: $0.baseAddress!) } }
        // float32 to rounding; bfloat16 has 8 significant bits; int8 7 bits per factor (6 without VNNI).
        let tolerance = [ComputeType.float32: 1e-5, .bfloat16: 2e-2, .int8: 6e-2][type]!
        #expect(relativeError(y, reference(x, w, b)) < tolerance, "\(type) on \(CPUFeatures.isa)")
    }

    @Test func aRowOfZerosGivesTheBias() {
        let w = Matrix(rows: 3, cols: 2, storage: [1, 2, 3, 4, 5, 6])
        for type in ComputeType.allCases where type.unsupportedReason == nil {
            let packed = PackedWeights(w, bias: [0.5, -1], computeType: type)
            var y = [Float](repeating: .nan, count: 2)
            [Float](repeating: 0, count: 3).withUnsafeBufferPointer { x in
                y.withUnsafeMutableBufferPointer { packed.apply(x.baseAddress!, rows: 1, into: $0.baseAddress!) }
            }
            #expect(y == [0.5, -1], "\(type)")
        }
    }
}
