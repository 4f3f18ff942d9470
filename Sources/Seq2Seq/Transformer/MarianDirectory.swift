import Foundation
import Logging
import Tensor
import Text

/// An OPUS-MT model directory, as transformers' `MarianMTModel.save_pretrained(dir,
/// safe_serialization=True)` and `MarianTokenizer.save_pretrained(dir)` write it:
/// `config.json` (`model_type` marian), `model.safetensors` (transformers' tensor names),
/// `source.spm`, `target.spm`, `vocab.json` (and `target_vocab.json` with separate
/// vocabularies), `tokenizer_config.json`.
public enum MarianDirectory {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"
    public static let generationFile = "generation_config.json"

    /// Loads and checks the model: config, text side and every tensor.
    ///
    /// - Throws: ``ModelDirectoryError`` naming the file and the problem.
    public static func load(
        _ directory: String, computeType: ComputeType = .float32, logger: Logger
    ) throws(ModelDirectoryError) -> TransformerModel {
        try loadWithCodec(directory, computeType: computeType, logger: logger).model
    }

    /// Loads and checks the model and its text side, each file read once.
    public static func loadWithCodec(
        _ directory: String, computeType: ComputeType = .float32, logger: Logger
    ) throws(ModelDirectoryError) -> (model: TransformerModel, codec: SentencePieceCodec) {
        let files = ModelFiles(directory: directory)
        let config = try loadConfig(files)
        let codec = try loadCodec(directory, config: config, files: files)
        var tensors = CheckpointTensors(file: files.path(weightsFile), tensors: try files.tensors(weightsFile), computeType: computeType)
        let model = try TransformerModel(config: config, generation: try loadGeneration(files, config: config), tensors: &tensors)
        logger.debug(
            "loaded model",
            metadata: [
                "directory": "\(directory)", "family": "transformer", "d_model": "\(config.dModel)", "compute_type": "\(computeType)",
                "layers": "\(config.encoderLayers)+\(config.decoderLayers)", "vocab": "\(config.vocabSize)/\(config.targetVocabSize)",
            ])
        return (model, codec)
    }

    /// The text side only (SentencePiece models and vocabularies), checked against config.json.
    public static func loadCodec(_ directory: String) throws(ModelDirectoryError) -> SentencePieceCodec {
        let files = ModelFiles(directory: directory)
        return try loadCodec(directory, config: try loadConfig(files), files: files)
    }

    /// generation_config.json, or what transformers derives from config.json without one.
    static func loadGeneration(_ files: ModelFiles, config: MarianConfig) throws(ModelDirectoryError) -> GenerationConfig {
        guard files.exists(generationFile) else { return GenerationConfig(config: config) }
        let generation = try files.json(GenerationConfig.self, generationFile)
        if let problem = generation.problem(for: config) { throw ModelDirectoryError(file: files.path(generationFile), problem: problem) }
        return generation
    }

    static func loadConfig(_ files: ModelFiles) throws(ModelDirectoryError) -> MarianConfig {
        let config = try files.json(MarianConfig.self, configFile)
        if let problem = config.problem { throw ModelDirectoryError(file: files.path(configFile), problem: problem) }
        return config
    }

    private static func loadCodec(_ directory: String, config: MarianConfig, files: ModelFiles) throws(ModelDirectoryError) -> SentencePieceCodec {
        let codec = try SentencePieceCodec.load(directory: directory)
        let checks: [(String, Int, Int)] = [
            ("vocab_size", config.vocabSize, codec.sourceVocabularySize),
            ("decoder_vocab_size", config.targetVocabSize, codec.targetVocabularySize),
            ("eos_token_id", config.eosTokenID, codec.targetEOSID),
            ("pad_token_id", config.padTokenID, codec.targetPadID),
        ]
        for (key, configured, vocabulary) in checks where configured != vocabulary {
            throw ModelDirectoryError(
                file: files.path(configFile), problem: "\(key) is \(configured) but the vocabulary gives \(vocabulary)")
        }
        return codec
    }
}
