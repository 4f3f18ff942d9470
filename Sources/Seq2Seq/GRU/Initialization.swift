import Tensor

extension Seq2SeqWeights {
    /// Fresh weights as the d2l recipe initialises them: embeddings `N(0, 1)` (PyTorch's
    /// default), GRU and dense weights Xavier-uniform, GRU biases `U(−1/√H, 1/√H)` and the
    /// dense bias `U(−1/√H, 1/√H)` (PyTorch's defaults).
    public init(randomFor config: ModelConfig, using rng: inout SeededGenerator) {
        self.init(zerosFor: config)
        let bound = 1 / Float(config.numHiddens).squareRoot()
        for parameter in parameters {
            let m = self[keyPath: parameter.path]
            let fresh: Matrix
            if parameter.name.hasSuffix("embedding.weight") {
                fresh = .normal(rows: m.rows, cols: m.cols, using: &rng)
            } else if parameter.shape.count == 2 {
                fresh = .xavierUniform(rows: m.rows, cols: m.cols, using: &rng)
            } else {
                fresh = .uniform(rows: m.rows, cols: m.cols, -bound, bound, using: &rng)
            }
            self[keyPath: parameter.path] = fresh
        }
    }
}
