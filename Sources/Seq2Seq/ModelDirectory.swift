import Foundation
import Logging
import Tensor
import Text

/// A model directory could not be loaded or saved. Names the file and the problem.
public struct ModelDirectoryError: Error, CustomStringConvertible, Equatable {
    /// The file at fault (a path).
    public let file: String
    /// What is wrong with it.
    public let problem: String

    public var description: String { "\(file): \(problem)" }
}

/// The on-disk model format: a directory holding `config.json`, `model.safetensors`
/// (PyTorch `state_dict` names), `src_vocab.json` and `tgt_vocab.json` (JSON arrays of
/// tokens; a token's id is its index). A model saved by PyTorch loads as is.
public enum ModelDirectory {
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
    public static func load(_ directory: String, logger: Logger) throws -> Seq2SeqModel {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        func read(_ name: String) throws -> Data {
            guard FileManager.default.fileExists(atPath: path(name)) else {
                throw ModelDirectoryError(file: path(name), problem: "missing file")
            }
            do { return try Data(contentsOf: url.appendingPathComponent(name)) } catch {
                throw ModelDirectoryError(file: path(name), problem: "cannot read: \(error.localizedDescription)")
            }
        }

        let config: ModelConfig
        do { config = try JSONDecoder().decode(ModelConfig.self, from: try read(configFile)) } catch let e as ModelDirectoryError {
            throw e
        } catch {
            throw ModelDirectoryError(file: path(configFile), problem: "bad JSON: \(describe(error))")
        }
        if let problem = config.problem { throw ModelDirectoryError(file: path(configFile), problem: problem) }

        func vocabulary(_ name: String, expected: Int, key: String) throws -> Vocabulary {
            let tokens: [String]
            do { tokens = try JSONDecoder().decode([String].self, from: try read(name)) } catch let e as ModelDirectoryError {
                throw e
            } catch {
                throw ModelDirectoryError(file: path(name), problem: "bad JSON (expected an array of strings): \(describe(error))")
            }
            guard tokens.count == expected else {
                throw ModelDirectoryError(
                    file: path(name), problem: "holds \(tokens.count) tokens but config.json's \(key) is \(expected)")
            }
            do { return try Vocabulary(tokens: tokens) } catch {
                throw ModelDirectoryError(file: path(name), problem: "\(error)")
            }
        }
        let sourceVocabulary = try vocabulary(sourceVocabularyFile, expected: config.srcVocabSize, key: "src_vocab_size")
        let targetVocabulary = try vocabulary(targetVocabularyFile, expected: config.tgtVocabSize, key: "tgt_vocab_size")

        let tensors: [String: SafeTensors.Tensor]
        do { tensors = try SafeTensors.decode(Array(try read(weightsFile))) } catch let e as ModelDirectoryError {
            throw e
        } catch {
            throw ModelDirectoryError(file: path(weightsFile), problem: "\(error)")
        }
        var weights = Seq2SeqWeights(zerosFor: config)
        for parameter in weights.parameters {
            guard let tensor = tensors[parameter.name] else {
                throw ModelDirectoryError(file: path(weightsFile), problem: "missing tensor \(parameter.name)")
            }
            guard tensor.shape == parameter.shape else {
                throw ModelDirectoryError(
                    file: path(weightsFile),
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
        return Seq2SeqModel(
            config: config, weights: weights, sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary)
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

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing key \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context): return "not valid JSON (\(context.debugDescription))"
        default: return "\(error)"
        }
    }
}
