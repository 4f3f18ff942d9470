import Foundation
import Logging
import Tensor
import Text

/// The on-disk model format: a directory holding `config.json`, `model.safetensors`
/// (PyTorch `state_dict` names), `src_vocab.json` and `tgt_vocab.json` (JSON arrays of
/// tokens; a token's id is its index). A model saved by PyTorch loads as is.
public enum GRUDirectory {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"
    public static let sourceVocabularyFile = "src_vocab.json"
    public static let targetVocabularyFile = "tgt_vocab.json"

    /// Loads and checks a model directory.
    ///
    /// - Throws: ``ModelDirectoryError`` naming the file and the problem: a missing or
    ///   unreadable file, bad JSON, a bad safetensors header, truncated data, a missing tensor,
    ///   a wrong shape or dtype, a vocabulary whose size does not match the tensors, or a
    ///   vocabulary without a special token.
    public static func load(_ directory: String, computeType: ComputeType = .float32, logger: Logger) throws -> GRUModel {
        let files = ModelFiles(directory: directory)
        let (config, codec) = try loadText(files)
        let (sourceVocabulary, targetVocabulary) = (codec.sourceVocabulary, codec.targetVocabulary)
        let tensors: [String: SafeTensors.Tensor]
        tensors = try files.tensors(weightsFile)
        var weights = Seq2SeqWeights(zerosFor: config)
        for parameter in weights.parameters {
            guard let tensor = tensors[parameter.name] else {
                throw ModelDirectoryError(file: files.path(weightsFile), problem: "missing tensor \(parameter.name)")
            }
            guard tensor.shape == parameter.shape else {
                throw ModelDirectoryError(
                    file: files.path(weightsFile),
                    problem: "tensor \(parameter.name) has shape \(tensor.shape), expected \(parameter.shape) from config.json")
            }
            weights[keyPath: parameter.path].storage = tensor.values
        }
        logger.debug(
            "loaded model",
            metadata: [
                "directory": "\(directory)", "embed": "\(config.embedSize)", "hidden": "\(config.numHiddens)",
                "layers": "\(config.numLayers)", "src_vocab": "\(config.srcVocabSize)", "tgt_vocab": "\(config.tgtVocabSize)",
            ])
        return GRUModel(
            config: config, weights: weights, sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary, computeType: computeType)
    }

    /// The text side of a model directory (config.json and the vocabularies), without its weights.
    public static func loadCodec(_ directory: String) throws -> WordCodec {
        try loadText(ModelFiles(directory: directory)).codec
    }

    /// Reads and checks config.json and the two vocabularies.
    private static func loadText(_ files: ModelFiles) throws -> (config: ModelConfig, codec: WordCodec) {
        let config = try files.json(ModelConfig.self, configFile)
        if let problem = config.problem { throw ModelDirectoryError(file: files.path(configFile), problem: problem) }
        func vocabulary(_ name: String, expected: Int, key: String) throws -> Vocabulary {
            let tokens = try files.json([String].self, name, expecting: "an array of strings")
            guard tokens.count == expected else {
                throw ModelDirectoryError(
                    file: files.path(name), problem: "holds \(tokens.count) tokens but config.json's \(key) is \(expected)")
            }
            do { return try Vocabulary(tokens: tokens) } catch {
                throw ModelDirectoryError(file: files.path(name), problem: "\(error)")
            }
        }
        let codec = WordCodec(
            sourceVocabulary: try vocabulary(sourceVocabularyFile, expected: config.srcVocabSize, key: "src_vocab_size"),
            targetVocabulary: try vocabulary(targetVocabularyFile, expected: config.tgtVocabSize, key: "tgt_vocab_size"))
        return (config, codec)
    }

    /// Writes a model directory so that a crash never leaves a half-written model.
    ///
    /// A new directory is written in a temporary sibling and renamed into place. In an existing
    /// directory each file is written beside its target and renamed over it (an atomic
    /// replacement), with `model.safetensors` last. Extra files (`extraFiles`, name → bytes)
    /// are written the same way, before the weights.
    public static func save(
        config: ModelConfig, weights: Seq2SeqWeights, sourceVocabulary: Vocabulary, targetVocabulary: Vocabulary,
        to directory: String, extraFiles: [String: Data] = [:]
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var tensors = [String: SafeTensors.Tensor]()
        for parameter in weights.parameters {
            tensors[parameter.name] = .init(shape: parameter.shape, values: weights[keyPath: parameter.path].storage)
        }
        do {
            var files: [(String, Data)] = [
                (configFile, try encoder.encode(config)),
                (sourceVocabularyFile, try encoder.encode(sourceVocabulary.tokens)),
                (targetVocabularyFile, try encoder.encode(targetVocabulary.tokens)),
            ]
            files += extraFiles.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            files.append((weightsFile, Data(SafeTensors.encode(tensors, metadata: ["format": "pt"]))))
            try writeAtomically(files, to: URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL)
        } catch {
            throw ModelDirectoryError(file: directory, problem: "cannot save: \(error)")
        }
    }

    /// Writes `files` (name, bytes) into `directory` as ``save(config:weights:sourceVocabulary:targetVocabulary:to:extraFiles:)`` describes.
    public static func writeAtomically(_ files: [(String, Data)], to directory: URL) throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: directory.path) {
            let staging = directory.deletingLastPathComponent()
                .appendingPathComponent(".\(directory.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
            try? fm.removeItem(at: staging)
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            for (name, data) in files { try data.write(to: staging.appendingPathComponent(name)) }
            try fm.moveItem(at: staging, to: directory)
            return
        }
        for (name, data) in files {
            // Data.write(options: .atomic) writes a temporary file in the same directory and renames it.
            try data.write(to: directory.appendingPathComponent(name), options: .atomic)
        }
    }
}
