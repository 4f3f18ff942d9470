import Foundation

extension CheckpointTensors {
    /// The query, key and value projections of the attention block at `prefix`, side by side
    /// (`d → 3d`), the query's weights and bias scaled by `1/√(d / heads)`.
    mutating func attentionInputs(_ prefix: String, width d: Int, heads: Int) throws(ModelDirectoryError) -> Linear {
        Linear(
            try scaledQuery(prefix, width: d, heads: heads),
            try linear("\(prefix).k_proj", inputs: d, outputs: d),
            try linear("\(prefix).v_proj", inputs: d, outputs: d))
    }

    /// The query projection at `prefix` with the attention's scaling folded in.
    mutating func scaledQuery(_ prefix: String, width d: Int, heads: Int) throws(ModelDirectoryError) -> Linear.Parameters {
        let scale = Float(1 / Double(d / heads).squareRoot())
        var query = try linear("\(prefix).q_proj", inputs: d, outputs: d)
        for i in query.weight.storage.indices { query.weight.storage[i] *= scale }
        for i in query.bias.indices { query.bias[i] *= scale }
        return query
    }
}
