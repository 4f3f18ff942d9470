import Seq2Seq
import Tensor

/// The parameters of a trainable Transformer (or their gradients, or an optimiser moment),
/// every tensor in one flat buffer as ``TransformerLayout`` places them.
public struct TransformerParameters: Sendable, Equatable {
    public let layout: TransformerLayout
    /// All tensors one after another, `layout.count` floats.
    public var values: [Float]

    public static func == (a: Self, b: Self) -> Bool { a.layout.slots == b.layout.slots && a.values == b.values }

    /// All zero: the start of a gradient or of an optimiser moment.
    public init(zerosFor layout: TransformerLayout) {
        self.layout = layout
        values = [Float](repeating: 0, count: layout.count)
    }

    /// Fresh weights as transformers' `MarianMTModel` initialises them: weights of linear
    /// layers and embeddings normal with standard deviation `std` (`init_std`, 0.02), biases
    /// and `final_logits_bias` zero, layer norms 1 and 0, the `<pad>` embedding row zero.
    public init(randomFor layout: TransformerLayout, std: Float = 0.02, using rng: inout SeededGenerator) {
        self.init(zerosFor: layout)
        for slot in layout.slots {
            let name = slot.name
            if name.hasSuffix("layer_norm.weight") {
                for i in 0..<slot.count { values[slot.offset + i] = 1 }
            } else if name.hasSuffix(".weight") {
                for i in 0..<slot.count { values[slot.offset + i] = std * rng.normal() }
            }
        }
        zeroPadRows()
    }

    /// The weights of `tensors` (a `model.safetensors` of this layout's model), every tensor
    /// of the layout required with its shape; the tied copies older transformers wrote
    /// (`lm_head.weight`, the embeddings' copies of `model.shared.weight`) and the position
    /// tables are ignored.
    ///
    /// - Throws: ``ModelDirectoryError`` naming the missing or misshapen tensor.
    public init(layout: TransformerLayout, tensors: [String: SafeTensors.Tensor], file: String) throws(ModelDirectoryError) {
        self.init(zerosFor: layout)
        for slot in layout.slots {
            guard let tensor = tensors[slot.name] else { throw ModelDirectoryError(file: file, problem: "missing tensor \(slot.name)") }
            guard tensor.values.count == slot.count, tensor.shape.filter({ $0 != 1 }) == slot.shape.filter({ $0 != 1 }) else {
                throw ModelDirectoryError(file: file, problem: "tensor \(slot.name) has shape \(tensor.shape), expected \(slot.shape)")
            }
            values.replaceSubrange(slot.offset..<(slot.offset + slot.count), with: tensor.values)
        }
    }

    /// Every tensor by name, as `model.safetensors` stores them.
    public var tensors: [String: SafeTensors.Tensor] {
        Dictionary(uniqueKeysWithValues: layout.slots.map { ($0.name, tensor($0)) })
    }

    /// The values of one tensor.
    public func tensor(_ slot: TransformerLayout.Slot) -> SafeTensors.Tensor {
        SafeTensors.Tensor(shape: slot.shape, values: Array(values[slot.offset..<(slot.offset + slot.count)]))
    }

    /// Sets the `<pad>` rows of the embeddings to zero: OPUS-MT models start the decoder from a
    /// zero embedding, and CTranslate2 relies on it. Applied to gradients, it keeps the rows zero.
    public mutating func zeroPadRows() {
        let (d, pad) = (layout.width, layout.config.padTokenID)
        let tables = [(layout.sourceEmbedding, layout.config.vocabSize), (layout.targetEmbedding, layout.config.targetVocabSize)]
        for (table, rows) in tables where pad < rows {
            for c in 0..<d { values[table + pad * d + c] = 0 }
        }
    }
}
