import Foundation

/// The text side of an OPUS-MT (Marian) model directory: source text to source ids with
/// `source.spm` and `vocab.json`, target ids to text with `target.spm` and `vocab.json` (or
/// `target_vocab.json` when `tokenizer_config.json` says `"separate_vocabs": true`).
///
/// Gives what transformers' `MarianTokenizer` gives without its optional Moses punctuation
/// normalisation: `encode` is `tokenizer(text).input_ids`, `decode` is
/// `tokenizer.decode(ids, skip_special_tokens=True)`. Special tokens are found by name in the
/// vocabularies: `</s>` (end of sentence), `<unk>`, `<pad>` (also the decoder's start token).
/// Immutable; one codec may be shared between threads.
public struct SentencePieceCodec: TextCodec {
    /// The source side's SentencePiece model file.
    public static let sourceModelFile = "source.spm"
    /// The target side's SentencePiece model file.
    public static let targetModelFile = "target.spm"
    /// The vocabulary of both sides, or of the source side with separate vocabularies.
    public static let vocabularyFile = "vocab.json"
    /// The target side's vocabulary with separate vocabularies.
    public static let targetVocabularyFile = "target_vocab.json"
    /// Optional; read for `separate_vocabs` and `clean_up_tokenization_spaces`.
    public static let tokenizerConfigFile = "tokenizer_config.json"

    /// Splits source text into pieces.
    public let sourceModel: SentencePieceModel
    /// Joins target pieces into text.
    public let targetModel: SentencePieceModel
    /// Source piece → id.
    public let sourceVocabulary: PieceVocabulary
    /// Target piece → id; the source vocabulary unless ``separateVocabularies``.
    public let targetVocabulary: PieceVocabulary
    /// Whether the target side has its own vocabulary file.
    public let separateVocabularies: Bool
    /// Whether ``decode(_:)`` removes the space before `. ? ! ,` and in English contractions,
    /// as transformers does when `tokenizer_config.json` sets `clean_up_tokenization_spaces`.
    public let cleansUpTokenizationSpaces: Bool

    /// The source vocabulary's `</s>`, appended by ``encode(_:maxTokens:)``.
    public let eosID: Int
    /// The source vocabulary's `<unk>`, the id of a piece it does not hold.
    public let unkID: Int
    /// The source vocabulary's `<pad>`.
    public let padID: Int
    /// The target vocabulary's `</s>`: generation stops at it.
    public let targetEOSID: Int
    /// The target vocabulary's `<unk>`.
    public let targetUnkID: Int
    /// The target vocabulary's `<pad>`: the decoder starts with it.
    public let targetPadID: Int

    /// Source vocabulary id of each source model id; -1 where the piece is looked up by its
    /// text (the unknown piece, whose text varies, and pieces `Encode` does not give).
    private let sourceIDs: [Int32]
    /// The target vocabulary id of each `target.spm` id, -1 for pieces `Encode` does not give.
    private let targetIDs: [Int32]

    /// Number of source ids: the source vocabulary's pieces.
    public var sourceVocabularySize: Int { sourceVocabulary.count }
    /// Number of target ids: the target vocabulary's pieces.
    public var targetVocabularySize: Int { targetVocabulary.count }

    /// Loads and checks the text files of the OPUS-MT model directory `directory` (never its
    /// weights).
    ///
    /// - Throws: ``SentencePieceError`` naming the file and the problem: a missing or
    ///   unreadable file; a bad SentencePiece model (the library's message); bad JSON, or a
    ///   vocabulary that is not an object of piece to non-negative id, or whose ids are not
    ///   `0..<count` without gaps or repeats; a vocabulary without `</s>`, `<unk>` or `<pad>`;
    ///   a piece a SentencePiece model can give that its vocabulary lacks.
    public static func load(directory: String) throws(SentencePieceError) -> SentencePieceCodec {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        let config = try TokenizerConfig.load(path: path(tokenizerConfigFile))
        let sourceModel = try SentencePieceModel(contentsOf: path(sourceModelFile))
        let targetModel = try SentencePieceModel(contentsOf: path(targetModelFile))
        let sourceVocabulary = try PieceVocabulary(contentsOf: path(vocabularyFile))
        let targetVocabulary =
            config.separateVocabularies ? try PieceVocabulary(contentsOf: path(targetVocabularyFile)) : sourceVocabulary
        return try SentencePieceCodec(
            sourceModel: sourceModel, targetModel: targetModel, sourceVocabulary: sourceVocabulary,
            targetVocabulary: targetVocabulary, separateVocabularies: config.separateVocabularies,
            cleansUpTokenizationSpaces: config.cleanUpTokenizationSpaces)
    }

    /// A codec of loaded parts.
    ///
    /// - Throws: ``SentencePieceError`` naming the vocabulary file when it lacks `</s>`,
    ///   `<unk>` or `<pad>`, or a piece that its SentencePiece model can give.
    public init(
        sourceModel: SentencePieceModel, targetModel: SentencePieceModel, sourceVocabulary: PieceVocabulary,
        targetVocabulary: PieceVocabulary, separateVocabularies: Bool, cleansUpTokenizationSpaces: Bool = false
    ) throws(SentencePieceError) {
        self.sourceModel = sourceModel
        self.targetModel = targetModel
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        self.separateVocabularies = separateVocabularies
        self.cleansUpTokenizationSpaces = cleansUpTokenizationSpaces
        eosID = try sourceVocabulary.specialID("</s>")
        unkID = try sourceVocabulary.specialID("<unk>")
        padID = try sourceVocabulary.specialID("<pad>")
        targetEOSID = try targetVocabulary.specialID("</s>")
        targetUnkID = try targetVocabulary.specialID("<unk>")
        targetPadID = try targetVocabulary.specialID("<pad>")
        sourceIDs = try Self.vocabularyIDs(of: sourceModel, in: sourceVocabulary)
        targetIDs = try Self.vocabularyIDs(of: targetModel, in: targetVocabulary)
    }

    /// The vocabulary id of each of `model`'s ids, -1 for pieces `Encode` does not give.
    ///
    /// - Throws: ``SentencePieceError`` naming `vocabulary`'s file, the piece and the model
    ///   file when the vocabulary lacks a piece the model gives.
    private static func vocabularyIDs(
        of model: SentencePieceModel, in vocabulary: PieceVocabulary
    ) throws(SentencePieceError) -> [Int32] {
        var ids = [Int32](repeating: -1, count: model.pieceCount)
        for modelID in 0..<model.pieceCount where model.isProducible(modelID) {
            let piece = model.piece(modelID)
            guard let id = vocabulary.id(of: piece) else {
                throw SentencePieceError(
                    file: vocabulary.file,
                    problem: "lacks piece \(PieceVocabulary.quote(piece)) (id \(modelID) of \(model.path)), "
                        + "which that model can give")
            }
            ids[modelID] = Int32(id)
        }
        return ids
    }

    /// Source ids of `text`: its `source.spm` pieces looked up in the source vocabulary (a
    /// piece it lacks gives ``unkID``), then ``eosID``.
    ///
    /// - Throws: ``SegmentError/empty`` for text of nothing but whitespace (or that the model
    ///   turns into no pieces), ``SegmentError/tooLong(tokens:limit:)`` for more than
    ///   `maxTokens` pieces.
    public func encode(_ text: String, maxTokens: Int) throws(SegmentError) -> [Int] {
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { throw .empty }
        var ids = sourcePieceIDs(text)
        guard !ids.isEmpty else { throw .empty }
        guard ids.count <= maxTokens else { throw .tooLong(tokens: ids.count, limit: maxTokens) }
        ids.append(eosID)
        return ids
    }

    /// The source vocabulary ids of `text`'s `source.spm` pieces (a piece the vocabulary
    /// lacks gives ``unkID``), without `</s>`: ``encode(_:maxTokens:)`` without its checks.
    public func sourcePieceIDs(_ text: String) -> [Int] {
        Self.pieceIDs(text, model: sourceModel, mapping: sourceIDs, vocabulary: sourceVocabulary, unknown: unkID)
    }

    /// The target vocabulary ids of `text`'s `target.spm` pieces (a piece the vocabulary
    /// lacks gives `<unk>`), without `</s>`: what transformers' `MarianTokenizer(text_target:)`
    /// gives before its `</s>`, the labels a model learns.
    public func targetPieceIDs(_ text: String) -> [Int] {
        Self.pieceIDs(text, model: targetModel, mapping: targetIDs, vocabulary: targetVocabulary, unknown: targetUnkID)
    }

    private static func pieceIDs(
        _ text: String, model: SentencePieceModel, mapping: [Int32], vocabulary: PieceVocabulary, unknown: Int
    ) -> [Int] {
        model.withPieces(of: text) { modelIDs, piece in
            var ids = [Int]()
            ids.reserveCapacity(modelIDs.count + 1)
            for (i, modelID) in modelIDs.enumerated() {
                let id = mapping[Int(modelID)]
                ids.append(id >= 0 ? Int(id) : vocabulary.id(ofUTF8: piece(i)) ?? unknown)
            }
            return ids
        }
    }

    /// The `source.spm` pieces of `text`, which ``encode(_:maxTokens:)`` looks up.
    public func sourcePieces(_ text: String) -> [String] { sourceModel.encode(text) }

    /// The target pieces of `ids`, `</s>` and `<pad>` left out (`<unk>` kept, to be seen). An
    /// id outside the target vocabulary is `<unk>`, as in transformers.
    public func targetTokens(_ ids: [Int]) -> [String] {
        ids.compactMap { id in id == targetEOSID || id == targetPadID ? nil : targetPiece(id) }
    }

    /// Text of target ids: their pieces without `</s>`, `<pad>` and `<unk>` joined by
    /// `target.spm`, with transformers' clean-up (a `▁` left in a piece `target.spm` does not
    /// know becomes a space; surrounding whitespace is stripped).
    public func decode(_ ids: [Int]) -> String {
        var bytes = [UInt8]()
        var ends = [Int]()
        ends.reserveCapacity(ids.count)
        // An id outside the vocabulary is <unk>, left out too.
        for id in ids where id != targetEOSID && id != targetPadID && id != targetUnkID {
            guard targetVocabulary.pieces.indices.contains(id) else { continue }
            bytes.append(contentsOf: targetVocabulary.pieces[id].utf8)
            ends.append(bytes.count)
        }
        let text = MarianText.strip(MarianText.replacingMetaSpace(targetModel.decode(bytes: bytes, ends: ends)))
        return cleansUpTokenizationSpaces ? MarianText.cleanUpTokenization(text) : text
    }

    /// The target piece of `id`, `<unk>` outside the vocabulary.
    private func targetPiece(_ id: Int) -> String {
        targetVocabulary.pieces.indices.contains(id) ? targetVocabulary.pieces[id] : "<unk>"
    }
}
