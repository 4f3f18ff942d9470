import Foundation

extension CheckpointTensors {
    /// The query, key and value projections of the attention block at `prefix`, side by side
    /// (`d → 3d`), the query's weights and bias scaled by `1/√(d / heads)`.
    mutating func attentionInputs(_ prefix: String, width d: Int, heads: Int) throws(ModelDirectoryError) -> Linear {
        Linear(concatenating: [
            try scaledQuery(prefix, width: d, heads: heads),
            try linear("\(prefix).k_proj", inputs: d, outputs: d),
            try linear("\(prefix).v_proj", inputs: d, outputs: d),
        ])
    }

    /// The query projection at `prefix` with the attention's scaling folded in.
    mutating func scaledQuery(_ prefix: String, width d: Int, heads: Int) throws(ModelDirectoryError) -> Linear {
        let scale = Float(1 / Double(d / heads).squareRoot())
        var weight = try matrix("\(prefix).q_proj.weight", rows: d, cols: d)
        var bias = try values("\(prefix).q_proj.bias", shape: [d])
        for i in weight.storage.indices { weight.storage[i] *= scale }
        for i in bias.indices { bias[i] *= scale }
        return Linear(weight: weight, bias: bias)
    }
}
