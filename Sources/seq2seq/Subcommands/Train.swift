import ArgumentParser
import Foundation
import Training

extension Root {
    /// Trains a model on sentence pairs and writes a model directory after every epoch.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train an English→French model on source<TAB>target pairs.",
            discussion: """
                The d2l.ai recipe: d2l preprocessing, vocabularies of the tokens seen at least \
                --min-freq times, sequences truncated to --num-steps, softmax cross-entropy over \
                the target tokens, Adam, gradient clipping by global norm 1. After every epoch \
                the model directory (--out) is rewritten atomically with optimizer.safetensors, \
                training.json, training.csv and training.svg beside the model, so that --resume \
                can continue the run. Defaults are d2l 0.17's hyper-parameters.
                """)

        @Option(help: ArgumentHelp("Training pairs, one `source<TAB>target` per line.", valueName: "pairs.tsv"))
        var data: String
        @Option(help: ArgumentHelp("Model directory to write (default: the --resume directory).", valueName: "dir"))
        var out: String?
        @Option(help: ArgumentHelp("Continue the run saved in this directory, with its saved settings.", valueName: "dir"))
        var resume: String?

        @Option(help: "Embedding width (default 32).") var embedSize: Int?
        @Option(help: "GRU hidden width (default 32).") var numHiddens: Int?
        @Option(help: "Stacked GRU layers (default 2).") var numLayers: Int?
        @Option(help: "Dropout between GRU layers in training (default 0.1).") var dropout: Double?
        @Option(help: "Adam learning rate (default 0.005); may be changed when resuming.") var lr: Double?
        @Option(help: "Epochs of the whole run (default 300); when resuming, the total to reach.") var epochs: Int?
        @Option(help: "Pairs per mini-batch (default 64).") var batchSize: Int?
        @Option(help: "Truncation length of sources and targets in tokens (default 10).") var numSteps: Int?
        @Option(help: "Fewest occurrences for a token to enter a vocabulary (default 2).") var minFreq: Int?
        @Option(help: "Use only the first N usable pairs of --data (default all).") var maxPairs: Int?
        @Option(help: "Share of the distinct sources held out for validation (default 0).") var valFraction: Double?
        @Option(help: "Seed of initialisation, split, shuffling and dropout (default 0).") var seed: UInt64?
        @OptionGroup var logging: LoggingOptions

        /// The options of a new run.
        var options: TrainingOptions {
            var o = TrainingOptions()
            o.embedSize = embedSize ?? o.embedSize
            o.numHiddens = numHiddens ?? o.numHiddens
            o.numLayers = numLayers ?? o.numLayers
            o.dropout = dropout ?? o.dropout
            o.learningRate = lr ?? o.learningRate
            o.epochs = epochs ?? o.epochs
            o.batchSize = batchSize ?? o.batchSize
            o.numSteps = numSteps ?? o.numSteps
            o.minFrequency = minFreq ?? o.minFrequency
            o.maxPairs = maxPairs
            o.validationFraction = valFraction ?? o.validationFraction
            o.seed = seed ?? o.seed
            return o
        }

        func validate() throws {
            if let problem = options.problem { throw ValidationError(problem) }
            guard out != nil || resume != nil else { throw ValidationError("give --out DIR (or --resume DIR)") }
            if resume != nil {
                let given: [(String, Bool)] = [
                    ("embed-size", embedSize != nil), ("num-hiddens", numHiddens != nil), ("num-layers", numLayers != nil),
                    ("dropout", dropout != nil), ("batch-size", batchSize != nil), ("num-steps", numSteps != nil),
                    ("min-freq", minFreq != nil), ("max-pairs", maxPairs != nil), ("val-fraction", valFraction != nil),
                    ("seed", seed != nil),
                ]
                if let (name, _) = given.first(where: { $0.1 }) {
                    throw ValidationError("--\(name) cannot change when resuming: the run keeps its saved settings")
                }
            }
        }

        func run() throws {
            let logger = logging.makeLogger(label: "seq2seq.train")
            var run: TrainingRun
            if let resume {
                run = try TrainingRun(resuming: resume, dataPath: data, epochs: epochs, learningRate: lr, logger: logger)
            } else {
                run = try TrainingRun(options: options, dataPath: data, logger: logger)
            }
            let directory = out ?? resume!
            let o = run.options
            logger.info(
                """
                training \(o.epochs) epochs into \(directory): embed \(o.embedSize), hidden \(o.numHiddens), \
                layers \(o.numLayers), vocabularies \(run.config.srcVocabSize)/\(run.config.tgtVocabSize), \
                \(run.examples.count) training pairs
                """)
            try run.train(saveTo: directory, logger: logger, progress: isatty(STDERR_FILENO) == 1 ? ProgressLine().show : { _ in })
        }
    }
}

/// Draws an epoch's progress bar on standard error (a terminal), at most ten times a second,
/// and clears it when the epoch's batches are done so the epoch's log line replaces it.
final class ProgressLine {
    private var lastDrawn = ContinuousClock.now - .seconds(1)

    func show(_ progress: EpochProgress) {
        if progress.batchesDone == progress.batches {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        } else if ContinuousClock.now - lastDrawn >= .milliseconds(100) {
            lastDrawn = .now
            FileHandle.standardError.write(Data("\r\(progress.bar())\u{1B}[K".utf8))
        }
    }
}
