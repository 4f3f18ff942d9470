import Foundation

/// Writes an OPUS-MT model directory that both ``MarianDirectory/load(_:logger:)`` and
/// transformers' `MarianMTModel` / `MarianTokenizer.from_pretrained` load: `config.json` with
/// every key transformers writes, `generation_config.json` as OPUS-MT models ship it,
/// `model.safetensors` (float32, transformers' names, `format: pt`), `source.spm`,
/// `target.spm`, one shared `vocab.json` and `tokenizer_config.json`.
public enum MarianDirectoryWriter {
    /// The shared OPUS-MT vocabulary of two SentencePiece models: `</s>` 0, `<unk>` 1, then the
    /// source pieces in id order, then the target pieces not already there, then `<pad>`
    /// (as transformers' OPUS-MT converter builds it). With one joint model, its pieces then `<pad>`.
    public static func sharedVocabulary(sourcePieces: [String], targetPieces: [String]) -> [String] {
        var seen: Set<String> = ["</s>", "<unk>"]
        var pieces = ["</s>", "<unk>"]
        for piece in sourcePieces + targetPieces where !seen.contains(piece) {
            seen.insert(piece)
            pieces.append(piece)
        }
        return pieces + ["<pad>"]
    }

    /// `config.json`: `config`'s keys plus those transformers writes beside them (architecture,
    /// the dropouts of training, `init_std`, ...).
    public static func configJSON(_ config: MarianConfig, dropout: Double, transformersVersion: String = "5.24.0") throws -> Data {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        let extra: [String: Any] = [
            "architectures": ["MarianMTModel"], "activation_dropout": 0.0, "attention_dropout": 0.0, "dropout": dropout,
            "bos_token_id": config.eosTokenID, "decoder_layerdrop": 0.0, "encoder_layerdrop": 0.0, "dtype": "float32",
            "init_std": 0.02, "is_decoder": false, "is_encoder_decoder": true, "transformers_version": transformersVersion,
            "use_cache": true, "decoder_vocab_size": config.targetVocabSize, "normalize_before": false,
        ]
        object.merge(extra) { _, new in new }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// `generation_config.json` as OPUS-MT models ship it: `<pad>` never generated,
    /// scores renormalised, beam 4, at most 512 tokens.
    public static func generationJSON(_ config: MarianConfig, transformersVersion: String = "5.24.0") throws -> Data {
        var object: [String: Any] = [
            "bad_words_ids": [[config.padTokenID]], "bos_token_id": config.eosTokenID,
            "decoder_start_token_id": config.decoderStartTokenID, "eos_token_id": config.eosTokenID, "max_length": 512,
            "num_beams": 4, "pad_token_id": config.padTokenID, "renormalize_logits": true,
            "transformers_version": transformersVersion,
        ]
        if let forced = config.forcedEOSTokenID { object["forced_eos_token_id"] = forced }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// `tokenizer_config.json` of `MarianTokenizer` for a shared vocabulary whose `<pad>` is `padID`.
    public static func tokenizerConfigJSON(padID: Int, sourceLanguage: String = "en", targetLanguage: String = "fr") throws -> Data {
        func token(_ content: String) -> [String: Any] {
            ["content": content, "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true]
        }
        let object: [String: Any] = [
            "added_tokens_decoder": ["0": token("</s>"), "1": token("<unk>"), "\(padID)": token("<pad>")],
            "eos_token": "</s>", "model_max_length": 512, "pad_token": "<pad>", "separate_vocabs": false,
            "source_lang": sourceLanguage, "sp_model_kwargs": [String: Any](), "target_lang": targetLanguage,
            "tokenizer_class": "MarianTokenizer", "unk_token": "<unk>",
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// Writes the directory, each file replaced atomically and `model.safetensors` last
    /// (``GRUDirectory/writeAtomically(_:to:)``); `extraFiles` (a checkpoint's optimizer state,
    /// say) are written before the weights.
    ///
    /// - Parameters:
    ///   - tensors: every tensor of the model, by transformers' name.
    ///   - vocabulary: the shared `vocab.json`, pieces in id order (``sharedVocabulary(sourcePieces:targetPieces:)``).
    /// - Throws: ``ModelDirectoryError`` naming the directory.
    public static func save(
        config: MarianConfig, dropout: Double, tensors: [String: SafeTensors.Tensor], sourceModel: [UInt8], targetModel: [UInt8],
        vocabulary: [String], to directory: String, extraFiles: [String: Data] = [:]
    ) throws(ModelDirectoryError) {
        do {
            let vocab = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
            var files: [(String, Data)] = [
                (MarianDirectory.configFile, try configJSON(config, dropout: dropout)),
                (MarianDirectory.generationFile, try generationJSON(config)),
                ("source.spm", Data(sourceModel)), ("target.spm", Data(targetModel)),
                ("vocab.json", try JSONSerialization.data(withJSONObject: vocab, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])),
                ("tokenizer_config.json", try tokenizerConfigJSON(padID: vocabulary.count - 1)),
            ]
            files += extraFiles.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            files.append((MarianDirectory.weightsFile, Data(SafeTensors.encode(tensors, metadata: ["format": "pt"]))))
            try GRUDirectory.writeAtomically(files, to: URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL)
        } catch {
            throw ModelDirectoryError(file: directory, problem: "cannot save: \(error)")
        }
    }
}
