import ArgumentParser
import Foundation
import Logging
import Seq2Seq

/// `--model DIR`, defaulting to the bundled English→French model.
struct ModelOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Model directory (config.json, model.safetensors, src_vocab.json, tgt_vocab.json).",
            discussion: "Defaults to $SEQ2SEQ_MODEL, else the bundled model (models/eng-fra).",
            valueName: "dir"))
    var model: String?

    /// Loads the chosen model, or fails with a message naming the file and the problem.
    func load(logger: Logger) throws -> Seq2SeqModel {
        let directory = try model ?? BundledModel.locate()
        do {
            return try ModelDirectory.load(directory, logger: logger)
        } catch let error as ModelDirectoryError {
            throw ValidationError("cannot load model: \(error)")
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
        if let found = candidates.first(where: { fm.fileExists(atPath: $0.appendingPathComponent(ModelDirectory.configFile).path) }) {
            return found.path
        }
        throw ValidationError("no model given and no bundled model found (looked for \(relativePath)); pass --model DIR")
    }
}
