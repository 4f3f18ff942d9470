import Tensor

/// Weights of one GRU layer, in PyTorch's `nn.GRU` layout with gate rows stacked r, z, n.
public struct GRUWeights: Equatable, Sendable {
    /// Input weights, `3H × in`.
    public var weightIH: Matrix
    /// Recurrent weights, `3H × H`.
    public var weightHH: Matrix
    /// Input bias, `1 × 3H`.
    public var biasIH: Matrix
    /// Recurrent bias, `1 × 3H`.
    public var biasHH: Matrix

    /// Zero weights for a layer with `inputSize` inputs and `hiddenSize` units.
    public init(inputSize: Int, hiddenSize: Int) {
        weightIH = Matrix(rows: 3 * hiddenSize, cols: inputSize)
        weightHH = Matrix(rows: 3 * hiddenSize, cols: hiddenSize)
        biasIH = Matrix(rows: 1, cols: 3 * hiddenSize)
        biasHH = Matrix(rows: 1, cols: 3 * hiddenSize)
    }

    /// Hidden width `H`.
    public var hiddenSize: Int { weightHH.cols }
    /// Input width.
    public var inputSize: Int { weightIH.cols }
}

/// All parameters of the encoder-decoder, named as PyTorch's `state_dict()` names them.
public struct Seq2SeqWeights: Equatable, Sendable {
    /// Source embedding, `srcVocab × E`.
    public var encoderEmbedding: Matrix
    /// Encoder GRU layers; layer 0 takes `E` inputs, the others `H`.
    public var encoderLayers: [GRUWeights]
    /// Target embedding, `tgtVocab × E`.
    public var decoderEmbedding: Matrix
    /// Decoder GRU layers; layer 0 takes `E + H` inputs (`[embedding ; context]`), the others `H`.
    public var decoderLayers: [GRUWeights]
    /// Output projection, `tgtVocab × H`.
    public var denseWeight: Matrix
    /// Output bias, `1 × tgtVocab`.
    public var denseBias: Matrix

    /// Zero weights of the shapes `config` gives.
    public init(zerosFor config: ModelConfig) {
        let (e, h) = (config.embedSize, config.numHiddens)
        encoderEmbedding = Matrix(rows: config.srcVocabSize, cols: e)
        encoderLayers = (0..<config.numLayers).map { GRUWeights(inputSize: $0 == 0 ? e : h, hiddenSize: h) }
        decoderEmbedding = Matrix(rows: config.tgtVocabSize, cols: e)
        decoderLayers = (0..<config.numLayers).map { GRUWeights(inputSize: $0 == 0 ? e + h : h, hiddenSize: h) }
        denseWeight = Matrix(rows: config.tgtVocabSize, cols: h)
        denseBias = Matrix(rows: 1, cols: config.tgtVocabSize)
    }

    /// A parameter tensor: its `state_dict` name, its shape in the file, and where it lives.
    public struct Parameter {
        public let name: String
        public let shape: [Int]
        public let path: WritableKeyPath<Seq2SeqWeights, Matrix>
    }

    /// Every parameter tensor, in a fixed order (the order optimisers and checkpoints use).
    public var parameters: [Parameter] {
        var list: [Parameter] = []
        func add(_ name: String, _ path: WritableKeyPath<Seq2SeqWeights, Matrix>, vector: Bool = false) {
            let m = self[keyPath: path]
            list.append(Parameter(name: name, shape: vector ? [m.cols] : [m.rows, m.cols], path: path))
        }
        func addGRU(_ prefix: String, _ layers: WritableKeyPath<Seq2SeqWeights, [GRUWeights]>) {
            for k in self[keyPath: layers].indices {
                let layer = layers.appending(path: \[GRUWeights].[k])
                add("\(prefix).rnn.weight_ih_l\(k)", layer.appending(path: \.weightIH))
                add("\(prefix).rnn.weight_hh_l\(k)", layer.appending(path: \.weightHH))
                add("\(prefix).rnn.bias_ih_l\(k)", layer.appending(path: \.biasIH), vector: true)
                add("\(prefix).rnn.bias_hh_l\(k)", layer.appending(path: \.biasHH), vector: true)
            }
        }
        add("encoder.embedding.weight", \.encoderEmbedding)
        addGRU("encoder", \.encoderLayers)
        add("decoder.embedding.weight", \.decoderEmbedding)
        addGRU("decoder", \.decoderLayers)
        add("decoder.dense.weight", \.denseWeight)
        add("decoder.dense.bias", \.denseBias, vector: true)
        return list
    }
}
