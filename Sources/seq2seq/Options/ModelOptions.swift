import ArgumentParser
import Foundation
import Logging
import Seq2Seq
import Tensor
import Text

/// `--model DIR`, defaulting to the bundled English→French model.
struct ModelOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Model directory: a d2l GRU (config.json, model.safetensors, src_vocab.json, tgt_vocab.json) or an OPUS-MT Transformer (config.json with model_type marian, model.safetensors, source.spm, target.spm, vocab.json).",
            discussion: "Defaults to $SEQ2SEQ_MODEL, else the bundled model (models/eng-fra).",
            valueName: "dir"))
    var model: String?

    /// The chosen directory.
    func directory() throws -> String { try model ?? BundledModel.locate() }

    /// Loads the chosen model and its text side, or fails with a message naming the file and the
    /// problem; logs the compute type and the CPU's instruction set the products run on.
    func load(computeType: ComputeType = .float32, logger: Logger) throws -> (model: any TranslationModel, codec: any TextCodec) {
        let loaded = try reportingFailure { try ModelDirectory.load(try directory(), computeType: computeType, logger: logger) }
        logger.info(
            "model loaded",
            metadata: ["compute_type": "\(computeType)", "isa": "\(CPUFeatures.isa)", "kernels": "\(CPUFeatures.vectorKernels)"])
        return loaded
    }

    /// Loads only the chosen model's text side (vocabularies or SentencePiece models), never its weights.
    func loadCodec() throws -> any TextCodec {
        try reportingFailure { try ModelDirectory.loadCodec(try directory()) }
    }

    /// Runs `load`, turning a model directory's error into one message without usage text.
    private func reportingFailure<T>(_ load: () throws -> T) throws -> T {
        do { return try load() } catch let error as ModelDirectoryError {
            throw ModelLoadFailure(description: "cannot load model: \(error)")
        }
    }
}

/// Where the bundled model is found when `--model` is not given.
enum BundledModel {
    static let relativePath = "models/eng-fra"

    /// `$SEQ2SEQ_MODEL`, else `models/eng-fra` in an ancestor of the executable's directory
    /// (a checkout's `.build/release/seq2seq`), else `share/seq2seq/eng-fra` beside an
    /// installed `bin/seq2seq`, else in the working directory.
    static func locate() throws -> String {
        let fm = FileManager.default
        if let fromEnvironment = ProcessInfo.processInfo.environment["SEQ2SEQ_MODEL"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        candidates.append(directory.deletingLastPathComponent().appendingPathComponent("share/seq2seq/eng-fra"))
        while directory.path != "/" {
            candidates.append(directory.appendingPathComponent(relativePath))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent(relativePath))
        if let found = candidates.first(where: { fm.fileExists(atPath: $0.appendingPathComponent(GRUDirectory.configFile).path) }) {
            return found.path
        }
        throw ValidationError("no model given and no bundled model found (looked for \(relativePath)); pass --model DIR")
    }
}
