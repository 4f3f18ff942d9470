import ArgumentParser
import Foundation
import Seq2Seq
import Tensor
import Training

extension Root {
    /// Trains a model on sentence pairs and writes a model directory after every epoch.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train an English→French model on source<TAB>target pairs.",
            discussion: """
                --architecture gru (the default) is the d2l.ai recipe: d2l preprocessing, \
                vocabularies of the tokens seen at least --min-freq times, sequences truncated to \
                --num-steps, softmax cross-entropy, Adam, gradient clipping by global norm 1; \
                defaults are d2l 0.17's.

                --architecture transformer trains an OPUS-MT Transformer (transformers' \
                MarianMTModel layout) on raw text: English and French unigram SentencePiece \
                models of --vocab-size pieces learnt from the training pairs (or --source-spm and \
                --target-spm as given), one shared vocab.json; batches of about --batch-tokens \
                target tokens, similar lengths together; label-smoothed cross-entropy, Adam \
                (β₂ 0.98) with --warmup-steps of linear warm-up then inverse-square-root decay, \
                clipping at global norm 1. Defaults are those of the PyTorch reference recipe \
                (d_model 256, 3+3 layers, 4 heads, ffn 1024, swish, dropout 0.1, label smoothing \
                0.1, lr 1e-3, 1,000 warm-up steps, 3,000 tokens, 8,000 pieces). --max-minutes \
                bounds the training time of the whole run (over every --resume); without \
                --epochs the run then goes on until the time is spent. \
                The directory loads in transformers as it is.

                After every epoch (and when the time budget runs out) the model directory (--out) \
                is rewritten atomically with optimizer.safetensors, training.json, training.csv \
                and training.svg beside the model, so that --resume continues the run, bit for \
                bit as if uninterrupted; a directory resumes as the architecture it was trained as.
                """)

        enum Architecture: String, ExpressibleByArgument, CaseIterable {
            case gru, transformer
        }

        @Option(help: ArgumentHelp("Training pairs, one `source<TAB>target` per line.", valueName: "pairs.tsv"))
        var data: String
        @Option(help: ArgumentHelp("Model directory to write (default: the --resume directory).", valueName: "dir"))
        var out: String?
        @Option(help: ArgumentHelp("Continue the run saved in this directory, with its saved settings.", valueName: "dir"))
        var resume: String?
        @Option(help: "gru or transformer (default gru; a resumed run keeps its own).") var architecture: Architecture?

        @Option(help: "Dropout in training (default 0.1).") var dropout: Double?
        @Option(help: "Adam learning rate (GRU default 0.005, may change when resuming; Transformer: the peak, default 1e-3).")
        var lr: Double?
        @Option(help: "Epochs of the whole run (GRU default 300, Transformer 10); when resuming, the total to reach.") var epochs: Int?
        @Option(help: "Use only the first N usable pairs of --data (default all).") var maxPairs: Int?
        @Option(help: "Share of the distinct sources held out for validation (default 0).") var valFraction: Double?
        @Option(help: "Seed of initialisation, split, shuffling and dropout (default 0).") var seed: UInt64?

        @Option(help: "GRU: embedding width (default 32).") var embedSize: Int?
        @Option(help: "GRU: hidden width (default 32).") var numHiddens: Int?
        @Option(help: "GRU: stacked layers (default 2).") var numLayers: Int?
        @Option(help: "GRU: pairs per mini-batch (default 64).") var batchSize: Int?
        @Option(help: "GRU: truncation length of sources and targets in tokens (default 10).") var numSteps: Int?
        @Option(help: "GRU: fewest occurrences for a token to enter a vocabulary (default 2).") var minFreq: Int?

        @Option(help: "Transformer: model width (default 256).") var dModel: Int?
        @Option(help: "Transformer: encoder layers (default 3).") var encoderLayers: Int?
        @Option(help: "Transformer: decoder layers (default 3).") var decoderLayers: Int?
        @Option(help: "Transformer: attention heads (default 4).") var heads: Int?
        @Option(help: "Transformer: feed-forward width (default 1024).") var ffnDim: Int?
        @Option(help: "Transformer: swish, relu or gelu (default swish).") var activation: String?
        @Option(help: "Transformer: label smoothing (default 0.1).") var labelSmoothing: Double?
        @Option(help: "Transformer: updates of linear warm-up (default 1000).") var warmupSteps: Int?
        @Option(help: "Transformer: target tokens per mini-batch, about (default 3000).") var batchTokens: Int?
        @Option(help: "Transformer: SentencePiece pieces kept per sentence (default 126).") var maxTokensPerSentence: Int?
        @Option(help: "Transformer: training-time budget of the whole run, in minutes; when resuming, the total.") var maxMinutes: Double?
        @Option(help: "Transformer: pieces of each SentencePiece model learnt (default 8000).") var vocabSize: Int?
        @Option(help: ArgumentHelp("Transformer: English SentencePiece model to use instead of learning one.", valueName: "file"))
        var sourceSPM: String?
        @Option(help: ArgumentHelp("Transformer: French SentencePiece model to use instead of learning one.", valueName: "file"))
        var targetSPM: String?
        @OptionGroup var logging: LoggingOptions

        /// The options of a new GRU run.
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

        /// The options of a new Transformer run.
        var transformerOptions: TransformerTrainingOptions {
            var o = TransformerTrainingOptions()
            o.dModel = dModel ?? o.dModel
            o.encoderLayers = encoderLayers ?? o.encoderLayers
            o.decoderLayers = decoderLayers ?? o.decoderLayers
            o.heads = heads ?? o.heads
            o.ffnDim = ffnDim ?? o.ffnDim
            o.activation = activation ?? o.activation
            o.dropout = dropout ?? o.dropout
            o.labelSmoothing = labelSmoothing ?? o.labelSmoothing
            o.learningRate = lr ?? o.learningRate
            o.warmupSteps = warmupSteps ?? o.warmupSteps
            o.batchTokens = batchTokens ?? o.batchTokens
            o.maxTokensPerSentence = maxTokensPerSentence ?? o.maxTokensPerSentence
            o.epochs = epochs ?? (maxMinutes == nil ? o.epochs : nil)
            o.maxMinutes = maxMinutes
            o.vocabSize = vocabSize ?? o.vocabSize
            o.maxPairs = maxPairs
            o.validationFraction = valFraction ?? o.validationFraction
            o.seed = seed ?? o.seed
            return o
        }

        /// The options given on the command line that only `architecture` takes, by name.
        func given(onlyFor architecture: Architecture) -> [String] {
            let options: [(String, Bool)] =
                switch architecture {
                case .gru:
                    [
                        ("embed-size", embedSize != nil), ("num-hiddens", numHiddens != nil), ("num-layers", numLayers != nil),
                        ("batch-size", batchSize != nil), ("num-steps", numSteps != nil), ("min-freq", minFreq != nil),
                    ]
                case .transformer:
                    [
                        ("d-model", dModel != nil), ("encoder-layers", encoderLayers != nil), ("decoder-layers", decoderLayers != nil),
                        ("heads", heads != nil), ("ffn-dim", ffnDim != nil), ("activation", activation != nil),
                        ("label-smoothing", labelSmoothing != nil), ("warmup-steps", warmupSteps != nil),
                        ("batch-tokens", batchTokens != nil), ("max-tokens-per-sentence", maxTokensPerSentence != nil),
                        ("max-minutes", maxMinutes != nil), ("vocab-size", vocabSize != nil), ("source-spm", sourceSPM != nil),
                        ("target-spm", targetSPM != nil),
                    ]
                }
            return options.filter(\.1).map(\.0)
        }

        func validate() throws {
            guard out != nil || resume != nil else { throw ValidationError("give --out DIR (or --resume DIR)") }
            if let resume {
                let own: Architecture = TransformerCheckpointProbe.isTransformer(resume) ? .transformer : .gru
                if let architecture, architecture != own {
                    throw ValidationError("--architecture cannot change when resuming: \(resume) is a \(own) run")
                }
                let allowed: Set<String> = own == .transformer ? ["max-minutes"] : []
                let changed =
                    given(onlyFor: .gru) + given(onlyFor: .transformer)
                    + [("dropout", dropout != nil), ("max-pairs", maxPairs != nil), ("val-fraction", valFraction != nil), ("seed", seed != nil)]
                    .filter(\.1).map(\.0)
                if let name = changed.first(where: { !allowed.contains($0) }) {
                    throw ValidationError("--\(name) cannot change when resuming: the run keeps its saved settings")
                }
                if own == .transformer && lr != nil {
                    throw ValidationError("--lr cannot change when resuming a Transformer run: the schedule keeps its saved peak")
                }
                return
            }
            let chosen = architecture ?? .gru
            let other: Architecture = chosen == .gru ? .transformer : .gru
            if let name = given(onlyFor: other).first {
                throw ValidationError("--\(name) is a \(other.rawValue) option; this run is --architecture \(chosen.rawValue)")
            }
            if (sourceSPM == nil) != (targetSPM == nil) { throw ValidationError("give both --source-spm and --target-spm, or neither") }
            if let problem = chosen == .gru ? options.problem : transformerOptions.problem { throw ValidationError(problem) }
        }

        func run() throws {
            let logger = logging.makeLogger(label: "seq2seq.train")
            let directory = out ?? resume!
            let progress: (EpochProgress) -> Void = isatty(STDERR_FILENO) == 1 ? ProgressLine().show : { _ in }
            if resume.map(TransformerCheckpointProbe.isTransformer) ?? (architecture == .transformer) {
                var run: TransformerTrainingRun
                if let resume {
                    run = try TransformerTrainingRun(resuming: resume, dataPath: data, epochs: epochs, maxMinutes: maxMinutes, logger: logger)
                } else {
                    run = try TransformerTrainingRun(
                        options: transformerOptions, dataPath: data, sourceSPM: sourceSPM, targetSPM: targetSPM, logger: logger)
                }
                // Process-wide settings for speed, made before any other thread runs: each of the
                // step's shards multiplies on its own share of the cores, and the step's large
                // buffers stay in the heap from one step to the next.
                BLAS.threads = max(1, BLAS.threads / run.options.shards)
                keepLargeAllocationsInHeap()
                let (o, c) = (run.options, run.config)
                let limits = [o.epochs.map { "\($0) epochs" }, o.maxMinutes.map { "\(String(format: "%g", $0)) minutes" }]
                    .compactMap { $0 }.joined(separator: " or ")
                logger.info(
                    """
                    training a Transformer for \(limits) into \(directory): d_model \(c.dModel), layers \(c.encoderLayers)+\(c.decoderLayers), \
                    heads \(c.encoderAttentionHeads), ffn \(c.encoderFFNDim), \(c.activationFunction), vocabulary \(c.vocabSize), \
                    \(run.examples.count) training pairs, \(run.parameters.values.count) parameters
                    """)
                try run.train(saveTo: directory, logger: logger, progress: progress)
                return
            }
            var run: TrainingRun
            if let resume {
                run = try TrainingRun(resuming: resume, dataPath: data, epochs: epochs, learningRate: lr, logger: logger)
            } else {
                run = try TrainingRun(options: options, dataPath: data, logger: logger)
            }
            let o = run.options
            logger.info(
                """
                training \(o.epochs) epochs into \(directory): embed \(o.embedSize), hidden \(o.numHiddens), \
                layers \(o.numLayers), vocabularies \(run.config.srcVocabSize)/\(run.config.tgtVocabSize), \
                \(run.examples.count) training pairs
                """)
            try run.train(saveTo: directory, logger: logger, progress: progress)
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
