import Tensor

extension CheckpointTensors {
    /// The query, key and value projections of the attention block at `prefix`, side by side (`d → 3d`).
    mutating func attentionInputs(_ prefix: String, width d: Int) throws(ModelDirectoryError) -> Linear {
        Linear(
            try linear("\(prefix).q_proj", inputs: d, outputs: d),
            try linear("\(prefix).k_proj", inputs: d, outputs: d),
            try linear("\(prefix).v_proj", inputs: d, outputs: d), computeType: computeType)
    }
}

extension Matrix {
    /// Multiplies columns `0..<width` of every row by `1/√headWidth`, as transformers scales
    /// projected queries (after the projection, so that the rounding is the same).
    mutating func scaleQueries(width: Int, headWidth: Int) {
        let scale = Float(1 / Double(headWidth).squareRoot())
        let stride = cols
        storage.withUnsafeMutableBufferPointer { p in
            for r in 0..<rows {
                let row = p.baseAddress! + r * stride
                for c in 0..<width { row[c] *= scale }
            }
        }
    }
}
