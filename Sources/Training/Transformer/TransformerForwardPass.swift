import Seq2Seq
import Tensor

/// The training-time forward pass of a Transformer over a mini-batch, with every cache its
/// backward pass (``gradients()``) needs.
///
/// Sentences run packed: each sentence's rows one after another, no padding row ever
/// computed, attention kept within a sentence (which is what the padding masks of a padded
/// batch do) and causal in the decoder's self-attention. Without dropout the logits are
/// those of transformers' `MarianMTModel` given the same padded batch, and those of
/// ``Seq2Seq/TransformerModel`` decoding with teacher forcing.
///
/// Dropout (`config.dropout` in transformers) is applied where `MarianMTModel` applies it
/// in training: to the scaled embeddings plus positions, and to every sublayer's output
/// before its residual connection; the masks come from `rng`.
public struct TransformerForwardPass {
    /// The parameters the pass ran with.
    public let parameters: TransformerParameters
    /// Rows of each sentence's source and target (labels).
    let sourceLengths: [Int]
    let targetLengths: [Int]
    /// Source ids, decoder input ids and labels, packed.
    let sourceIDs: [Int]
    let decoderIDs: [Int]
    let labels: [Int]
    /// Dropout masks of the embeddings (`nil` without dropout).
    let sourceEmbeddingMask: DropoutMask?
    let targetEmbeddingMask: DropoutMask?
    let encoderTapes: [EncoderLayerTape]
    let decoderTapes: [DecoderLayerTape]
    /// The encoder's output, `sourceRows × d`.
    let encoderOutput: Matrix
    /// The decoder's output, `targetRows × d`.
    let decoderOutput: Matrix
    /// Logits of every label position, `targetRows × targetVocab`, packed in batch order.
    public let logits: Matrix
    let crossEntropy: LabelSmoothedCrossEntropy

    /// Mean label-smoothed cross-entropy over the batch's label tokens, in nats: the training loss.
    public var loss: Double { crossEntropy.loss }
    /// Mean plain cross-entropy over the label tokens, in nats.
    public var negativeLogLikelihood: Double { crossEntropy.negativeLogLikelihood }
    /// Number of label tokens.
    public var tokenCount: Int { labels.count }

    /// Runs `batch` through the model.
    ///
    /// - Parameters:
    ///   - batch: each example's `source` (ids, `</s>` last), `decoderInput` (the decoder
    ///     start id, then all labels but the last) and `labels` (ids, `</s>` last); lengths at
    ///     most `max_position_embeddings`.
    ///   - labelSmoothing: `ε` of the loss.
    ///   - dropout: probability of zeroing each value where dropout applies (0 for evaluation).
    ///   - rng: draws the dropout masks.
    public init(
        parameters: TransformerParameters, batch: [Example], labelSmoothing: Float, dropout: Float, rng: inout SeededGenerator
    ) {
        precondition(!batch.isEmpty)
        precondition((0..<1).contains(dropout))
        let layout = parameters.layout
        let config = layout.config
        let activation = config.activation!
        self.parameters = parameters
        let sourceLengths = batch.map(\.source.count)
        let targetLengths = batch.map(\.labels.count)
        precondition((sourceLengths + targetLengths).allSatisfy { $0 <= config.maxPositionEmbeddings })
        let sourceIDs = batch.flatMap(\.source)
        let decoderIDs = batch.flatMap(\.decoderInput)
        let labels = batch.flatMap(\.labels)
        let positions = SinusoidalPositions.table(count: (sourceLengths + targetLengths).max()!, width: layout.width)

        var sourceMask: DropoutMask?
        var targetMask: DropoutMask?
        var encoderTapes: [EncoderLayerTape] = []
        var decoderTapes: [DecoderLayerTape] = []
        var (encoderOutput, decoderOutput) = (Matrix(rows: 0, cols: 0), Matrix(rows: 0, cols: 0))
        var logits = Matrix(rows: labels.count, cols: config.targetVocabSize)
        parameters.values.withUnsafeBufferPointer { pp in
            let p = pp.baseAddress!
            func embedded(_ ids: [Int], lengths: [Int], table: Int, mask: inout DropoutMask?) -> Matrix {
                var x = Self.embed(ids, lengths: lengths, table: p + table, layout: layout, positions: positions)
                if dropout > 0 {
                    mask = DropoutMask(rows: x.rows, cols: x.cols, probability: dropout, using: &rng)
                    x = mask!.apply(x)
                }
                return x
            }
            var x = embedded(sourceIDs, lengths: sourceLengths, table: layout.sourceEmbedding, mask: &sourceMask)
            for layer in layout.encoder {
                let (tape, y) = EncoderLayerTape.forward(
                    x, layer: layer, lengths: sourceLengths, activation: activation, parameters: p, dropout: dropout, rng: &rng)
                encoderTapes.append(tape)
                x = y
            }
            encoderOutput = x
            x = embedded(decoderIDs, lengths: targetLengths, table: layout.targetEmbedding, mask: &targetMask)
            for layer in layout.decoder {
                let (tape, y) = DecoderLayerTape.forward(
                    x, encoderOutput: encoderOutput, layer: layer, targetLengths: targetLengths, sourceLengths: sourceLengths,
                    activation: activation, parameters: p, dropout: dropout, rng: &rng)
                decoderTapes.append(tape)
                x = y
            }
            decoderOutput = x
            // The output layer is the target embedding, plus final_logits_bias.
            decoderOutput.storage.withUnsafeBufferPointer { xp in
                logits.storage.withUnsafeMutableBufferPointer {
                    DenseKernels.forward(
                        xp.baseAddress!, ldx: layout.width, rows: labels.count, weight: p + layout.targetEmbedding,
                        bias: p + layout.finalLogitsBias, inputs: layout.width, outputs: config.targetVocabSize, into: $0.baseAddress!,
                        ldy: config.targetVocabSize)
                }
            }
        }
        self.sourceLengths = sourceLengths
        self.targetLengths = targetLengths
        self.sourceIDs = sourceIDs
        self.decoderIDs = decoderIDs
        self.labels = labels
        sourceEmbeddingMask = sourceMask
        targetEmbeddingMask = targetMask
        self.encoderTapes = encoderTapes
        self.decoderTapes = decoderTapes
        self.encoderOutput = encoderOutput
        self.decoderOutput = decoderOutput
        self.logits = logits
        crossEntropy = LabelSmoothedCrossEntropy(logits: logits, labels: labels, smoothing: labelSmoothing)
    }

    /// Embeddings of packed `ids` scaled, plus each row's position within its sentence: `ids.count × d`.
    static func embed(_ ids: [Int], lengths: [Int], table: UnsafePointer<Float>, layout: TransformerLayout, positions: Matrix) -> Matrix {
        let d = layout.width
        let scale = layout.embeddingScale
        var x = Matrix(rows: ids.count, cols: d)
        x.storage.withUnsafeMutableBufferPointer { xp in
            positions.storage.withUnsafeBufferPointer { pos in
                var r = 0
                for length in lengths {
                    for t in 0..<length {
                        let (row, embedding, position) = (xp.baseAddress! + r * d, table + ids[r] * d, pos.baseAddress! + t * d)
                        for c in 0..<d { row[c] = embedding[c] * scale + position[c] }
                        r += 1
                    }
                }
            }
        }
        return x
    }

    /// The logits of each example of the batch, `labels.count × targetVocab` each, in batch order.
    public func logitsPerExample() -> [Matrix] {
        var first = 0
        return targetLengths.map { length in
            defer { first += length }
            return Matrix(
                rows: length, cols: logits.cols, storage: Array(logits.storage[(first * logits.cols)..<((first + length) * logits.cols)]))
        }
    }
}
