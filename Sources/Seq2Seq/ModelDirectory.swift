import Foundation
import Logging
import Tensor
import Text

/// A model directory of either family, told apart by its contents: `config.json` with
/// `"model_type": "marian"` is an OPUS-MT Transformer (``MarianDirectory``); one without a
/// `model_type` is a d2l GRU (``GRUDirectory``).
public enum ModelDirectory {
    /// The model families.
    public enum Family: String, Sendable {
        case gru, transformer
    }

    /// The family of the model in `directory`.
    ///
    /// - Throws: ``ModelDirectoryError`` for a missing or unreadable config.json, or a
    ///   `model_type` that is not marian.
    public static func family(of directory: String) throws(ModelDirectoryError) -> Family {
        struct Probe: Decodable {
            var model_type: String?
        }
        let files = ModelFiles(directory: directory)
        switch try files.json(Probe.self, GRUDirectory.configFile).model_type {
        case nil: return .gru
        case "marian": return .transformer
        case let other?:
            throw ModelDirectoryError(
                file: files.path(GRUDirectory.configFile),
                problem: "model_type \(other) is not supported (marian for OPUS-MT Transformers; none for a d2l GRU)")
        }
    }

    /// Loads the model, weights and all, with its matrix products in `computeType`, and its text side.
    public static func load(
        _ directory: String, computeType: ComputeType = .float32, logger: Logger
    ) throws -> (model: any TranslationModel, codec: any TextCodec) {
        switch try family(of: directory) {
        case .gru:
            let model = try GRUDirectory.load(directory, computeType: computeType, logger: logger)
            releaseFreedMemory()
            return (model, model.codec)
        case .transformer:
            let (model, codec) = try MarianDirectory.loadWithCodec(directory, computeType: computeType, logger: logger)
            releaseFreedMemory()
            return (model, codec)
        }
    }

    /// Hands the heap that loading freed (the file's bytes, float32 copies of converted
    /// weights) back to the system: glibc keeps freed memory for reuse, which would leave an
    /// int8 worker as large as a float32 one.
    private static func releaseFreedMemory() {
        VectorKernels.releaseFreedMemory()
    }

    /// Loads only the text side (vocabularies, SentencePiece models), never the weights.
    public static func loadCodec(_ directory: String) throws -> any TextCodec {
        switch try family(of: directory) {
        case .gru: return try GRUDirectory.loadCodec(directory)
        case .transformer: return try MarianDirectory.loadCodec(directory)
        }
    }
}
