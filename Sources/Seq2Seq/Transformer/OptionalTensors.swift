import Tensor

extension CheckpointTensors {
    /// The shared embedding, `model.shared.weight`. Older transformers versions also wrote its
    /// tied copies (`model.encoder.embed_tokens.weight`, `model.decoder.embed_tokens.weight`,
    /// `lm_head.weight`); those must then equal it.
    mutating func sharedEmbedding(rows: Int, width: Int) throws(ModelDirectoryError) -> Matrix {
        let shared = try matrix("model.shared.weight", rows: rows, cols: width)
        for copy in ["model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight"] where contains(copy) {
            guard try values(copy, shape: [rows, width]) == shared.storage else {
                throw ModelDirectoryError(file: file, problem: "tensor \(copy) differs from model.shared.weight, to which config.json ties it")
            }
        }
        return shared
    }

    /// Older transformers versions also wrote the sinusoidal tables
    /// (`model.{encoder,decoder}.embed_positions.weight`); those must then equal Marian's.
    mutating func checkPositions(_ table: Matrix, count: Int, width: Int) throws(ModelDirectoryError) {
        for name in ["model.encoder.embed_positions.weight", "model.decoder.embed_positions.weight"] where contains(name) {
            let stored = try values(name, shape: [count, width])
            guard zip(stored, table.storage).allSatisfy({ abs($0 - $1) <= 1e-5 }) else {
                throw ModelDirectoryError(file: file, problem: "tensor \(name) is not Marian's sinusoidal position table")
            }
        }
    }
}
