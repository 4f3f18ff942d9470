import Seq2Seq

/// Where every parameter tensor of a trainable Transformer lives in one flat buffer of floats,
/// under the names transformers' `MarianMTModel` gives them in `model.safetensors`.
///
/// One flat buffer keeps the optimiser, clipping, checkpoints and the gradient buffer simple
/// (one loop each) and lets the forward and backward passes take every tensor as a pointer
/// offset. The layout is that of an OPUS-MT model: post-norm layers, sinusoidal positions (not
/// parameters), the output layer tied to the target embedding, and `final_logits_bias`, which
/// transformers keeps as a fixed buffer and Marian trains as the output layer's bias (trained here).
public struct TransformerLayout: Sendable {
    /// One named tensor: its name, its shape as stored, and its place in the buffer.
    public struct Slot: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        /// First float of the tensor in the buffer.
        public let offset: Int
        /// Number of floats, the product of `shape`.
        public var count: Int { shape.reduce(1, *) }
    }

    /// An `nn.Linear`: offsets of its weight (`outputs × inputs`) and bias (`outputs`).
    struct Dense: Sendable {
        let weight: Int
        let bias: Int
        let inputs: Int
        let outputs: Int
    }

    /// An `nn.LayerNorm`: offsets of its weight and bias (`d` values each).
    struct Norm: Sendable {
        let weight: Int
        let bias: Int
    }

    /// An attention block's projections, each `d → d`.
    struct Attention: Sendable {
        let query: Dense
        let key: Dense
        let value: Dense
        let output: Dense
        let heads: Int
    }

    /// A `MarianEncoderLayer`.
    struct EncoderLayer: Sendable {
        let selfAttention: Attention
        let selfAttentionNorm: Norm
        let fc1: Dense
        let fc2: Dense
        let finalNorm: Norm
    }

    /// A `MarianDecoderLayer`.
    struct DecoderLayer: Sendable {
        let selfAttention: Attention
        let selfAttentionNorm: Norm
        let crossAttention: Attention
        let crossAttentionNorm: Norm
        let fc1: Dense
        let fc2: Dense
        let finalNorm: Norm
    }

    /// The model's `config.json`.
    public let config: MarianConfig
    /// Every tensor, in buffer order.
    public let slots: [Slot]
    /// Floats in the buffer.
    public let count: Int
    /// Source embedding, `sourceVocab × d` (the same offset as the target's when shared).
    let sourceEmbedding: Int
    /// Target embedding, `targetVocab × d`, also the output layer's weight.
    let targetEmbedding: Int
    /// `final_logits_bias`, `1 × targetVocab`.
    let finalLogitsBias: Int
    let encoder: [EncoderLayer]
    let decoder: [DecoderLayer]

    /// The layout of the model `config` describes.
    ///
    /// - Precondition: `config.problem == nil` and `config.tieWordEmbeddings` (an untied
    ///   `lm_head` is not supported in training).
    public init(config: MarianConfig) {
        precondition(config.problem == nil, config.problem ?? "")
        precondition(config.tieWordEmbeddings, "training needs tie_word_embeddings")
        self.config = config
        let d = config.dModel
        var slots: [Slot] = []
        var next = 0
        func add(_ name: String, _ shape: [Int]) -> Int {
            slots.append(Slot(name: name, shape: shape, offset: next))
            next += shape.reduce(1, *)
            return slots.last!.offset
        }
        func dense(_ prefix: String, inputs: Int, outputs: Int) -> Dense {
            Dense(
                weight: add("\(prefix).weight", [outputs, inputs]), bias: add("\(prefix).bias", [outputs]), inputs: inputs,
                outputs: outputs)
        }
        func norm(_ prefix: String) -> Norm { Norm(weight: add("\(prefix).weight", [d]), bias: add("\(prefix).bias", [d])) }
        func attention(_ prefix: String, heads: Int) -> Attention {
            Attention(
                query: dense("\(prefix).q_proj", inputs: d, outputs: d), key: dense("\(prefix).k_proj", inputs: d, outputs: d),
                value: dense("\(prefix).v_proj", inputs: d, outputs: d), output: dense("\(prefix).out_proj", inputs: d, outputs: d),
                heads: heads)
        }
        if config.shareEncoderDecoderEmbeddings {
            sourceEmbedding = add("model.shared.weight", [config.targetVocabSize, d])
            targetEmbedding = sourceEmbedding
        } else {
            sourceEmbedding = add("model.encoder.embed_tokens.weight", [config.vocabSize, d])
            targetEmbedding = add("model.decoder.embed_tokens.weight", [config.targetVocabSize, d])
        }
        encoder = (0..<config.encoderLayers).map { l in
            let p = "model.encoder.layers.\(l)"
            return EncoderLayer(
                selfAttention: attention("\(p).self_attn", heads: config.encoderAttentionHeads),
                selfAttentionNorm: norm("\(p).self_attn_layer_norm"),
                fc1: dense("\(p).fc1", inputs: d, outputs: config.encoderFFNDim),
                fc2: dense("\(p).fc2", inputs: config.encoderFFNDim, outputs: d), finalNorm: norm("\(p).final_layer_norm"))
        }
        decoder = (0..<config.decoderLayers).map { l in
            let p = "model.decoder.layers.\(l)"
            return DecoderLayer(
                selfAttention: attention("\(p).self_attn", heads: config.decoderAttentionHeads),
                selfAttentionNorm: norm("\(p).self_attn_layer_norm"),
                crossAttention: attention("\(p).encoder_attn", heads: config.decoderAttentionHeads),
                crossAttentionNorm: norm("\(p).encoder_attn_layer_norm"),
                fc1: dense("\(p).fc1", inputs: d, outputs: config.decoderFFNDim),
                fc2: dense("\(p).fc2", inputs: config.decoderFFNDim, outputs: d), finalNorm: norm("\(p).final_layer_norm"))
        }
        finalLogitsBias = add("final_logits_bias", [1, config.targetVocabSize])
        self.slots = slots
        count = next
    }

    /// Width `d`.
    var width: Int { config.dModel }
    /// Factor of the embeddings: `√d` or 1.
    var embeddingScale: Float { config.scaleEmbedding ? Float(Double(config.dModel).squareRoot()) : 1 }
}
