import Foundation
import Logging
import Seq2Seq
import Tensor
import Text

/// A training run: data, vocabularies, weights, optimizer and history, trained epoch by
/// epoch and saved as a checkpoint after each epoch.
///
/// Everything random comes from `options.seed`: the initialisation, the validation split,
/// and each epoch's shuffling and dropout masks (drawn from generators seeded by the seed
/// and the epoch number), so the same seed and data give the same model, and a resumed run
/// gives the same model as an uninterrupted one.
public struct TrainingRun {
    /// The run's hyper-parameters.
    public private(set) var options: TrainingOptions
    /// The model's `config.json`.
    public let config: ModelConfig
    public let sourceVocabulary: Vocabulary
    public let targetVocabulary: Vocabulary
    /// Current weights.
    public private(set) var weights: Seq2SeqWeights
    /// Current optimizer state.
    public private(set) var optimizer: Adam
    /// Finished epochs.
    public private(set) var history: [EpochRecord]
    /// Training examples (the pairs not held out).
    public let examples: [Example]
    /// Held-out pairs (none without a validation fraction).
    let validationPairs: [SentencePair]

    /// A new run on the pairs file at `dataPath`; the vocabularies hold the tokens of the
    /// training split seen at least `options.minFrequency` times.
    ///
    /// - Throws: ``PairsFileError``.
    public init(options: TrainingOptions, dataPath: String, logger: Logger) throws {
        precondition(options.problem == nil, options.problem ?? "")
        let (training, validation) = try Self.readPairs(dataPath, options: options, logger: logger)
        let sourceVocabulary = Vocabulary(counting: training.map(\.source), minFrequency: options.minFrequency)
        let targetVocabulary = Vocabulary(counting: training.map(\.target), minFrequency: options.minFrequency)
        let config = ModelConfig(
            embedSize: options.embedSize, numHiddens: options.numHiddens, numLayers: options.numLayers, dropout: options.dropout,
            srcVocabSize: sourceVocabulary.count, tgtVocabSize: targetVocabulary.count, maxLen: options.maxLen)
        var rng = SeededGenerator(seed: derivedSeed(options.seed, purpose: 1, epoch: 0))
        let weights = Seq2SeqWeights(randomFor: config, using: &rng)
        self.init(
            options: options, config: config, sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary,
            weights: weights, optimizer: Adam(learningRate: Float(options.learningRate), for: weights), history: [],
            training: training, validation: validation)
    }

    /// Resumes the run saved in `directory` on the same data, with its saved options except
    /// `epochs` and `learningRate` when given.
    ///
    /// - Throws: ``ModelDirectoryError`` or ``CheckpointError`` for the checkpoint;
    ///   ``PairsFileError`` for the data.
    public init(resuming directory: String, dataPath: String, epochs: Int?, learningRate: Double?, logger: Logger) throws {
        let (model, savedOptimizer, state) = try Checkpoint.load(directory, logger: logger)
        var options = state.options
        options.epochs = epochs ?? options.epochs
        options.learningRate = learningRate ?? options.learningRate
        precondition(options.problem == nil, options.problem ?? "")
        var optimizer = savedOptimizer
        optimizer.learningRate = Float(options.learningRate)
        let (training, validation) = try Self.readPairs(dataPath, options: options, logger: logger)
        self.init(
            options: options, config: model.config, sourceVocabulary: model.sourceVocabulary,
            targetVocabulary: model.targetVocabulary, weights: model.weights, optimizer: optimizer, history: state.history,
            training: training, validation: validation)
        logger.info("resuming \(directory) after epoch \(history.count) of \(options.epochs)")
    }

    private init(
        options: TrainingOptions, config: ModelConfig, sourceVocabulary: Vocabulary, targetVocabulary: Vocabulary,
        weights: Seq2SeqWeights, optimizer: Adam, history: [EpochRecord], training: [SentencePair], validation: [SentencePair]
    ) {
        self.options = options
        self.config = config
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        self.weights = weights
        self.optimizer = optimizer
        self.history = history
        examples = training.map {
            Example($0, sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary, numSteps: options.numSteps)
        }
        validationPairs = validation
    }

    /// Reads the pairs and splits off the validation pairs, logging what was skipped.
    private static func readPairs(
        _ path: String, options: TrainingOptions, logger: Logger
    ) throws -> (training: [SentencePair], validation: [SentencePair]) {
        let corpus = try ParallelCorpus(contentsOf: path, maxPairs: options.maxPairs ?? .max)
        if corpus.skipped.total > 0 {
            logger.warning("\(path): skipped \(corpus.skipped.total) lines (\(corpus.skipped))")
        }
        let split = ParallelCorpus.split(
            corpus.pairs, validationFraction: options.validationFraction, seed: derivedSeed(options.seed, purpose: 2, epoch: 0))
        logger.info(
            "\(path): \(corpus.pairs.count) pairs, \(split.training.count) for training, \(split.validation.count) held out")
        return split
    }

    /// The current model, for decoding.
    public var model: GRUModel {
        GRUModel(config: config, weights: weights, sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary)
    }

    /// Trains the remaining epochs, saving a checkpoint to `directory` after each one.
    ///
    /// - Parameter progress: called after every mini-batch.
    public mutating func train(saveTo directory: String, logger: Logger, progress: (EpochProgress) -> Void = { _ in }) throws {
        if history.count >= options.epochs {
            logger.notice("\(history.count) epochs already trained, no more to do (--epochs \(options.epochs))")
        }
        while history.count < options.epochs {
            let epoch = history.count + 1
            var shuffle = SeededGenerator(seed: derivedSeed(options.seed, purpose: 3, epoch: epoch))
            var dropout = SeededGenerator(seed: derivedSeed(options.seed, purpose: 4, epoch: epoch))
            let batches = shuffledBatches(count: examples.count, batchSize: options.batchSize, using: &shuffle)
            let start = ContinuousClock.now
            var (lossSum, tokens) = (0.0, 0)
            for (i, batch) in batches.enumerated() {
                let pass = ForwardPass(weights: weights, batch: batch.map { examples[$0] }, dropout: Float(options.dropout), rng: &dropout)
                var grads = pass.gradients()
                clipGlobalNorm(&grads, maxNorm: Float(options.gradientClip))
                optimizer.update(&weights, with: grads)
                lossSum += pass.loss * Double(pass.tokenCount)
                tokens += pass.tokenCount
                let elapsed = seconds(since: start)
                progress(
                    EpochProgress(
                        epoch: epoch, epochs: options.epochs, batchesDone: i + 1, batches: batches.count,
                        loss: lossSum / Double(tokens), tokensPerSecond: Double(tokens) / elapsed, elapsed: elapsed))
            }
            let trainSeconds = seconds(since: start)
            var record = EpochRecord(
                epoch: epoch, trainLoss: lossSum / Double(tokens), validationLoss: nil, bleu: nil,
                tokensPerSecond: Double(tokens) / trainSeconds)
            if !validationPairs.isEmpty {
                record.validationLoss = validationLoss()
                record.bleu = validationBLEU(model, on: validationPairs, options: DecodingOptions(maxLength: config.maxLen)).score
            }
            history.append(record)
            try Checkpoint.save(
                config: config, weights: weights, optimizer: optimizer, options: options, history: history,
                sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary, to: directory)
            var line = "epoch \(epoch)/\(options.epochs): train loss \(String(format: "%.4f", record.trainLoss))"
            if let v = record.validationLoss, let b = record.bleu {
                line += ", validation loss \(String(format: "%.4f", v)), BLEU \(String(format: "%.2f", b))"
            }
            line += ", \(Int(record.tokensPerSecond.rounded())) tokens/s, \(String(format: "%.1f", seconds(since: start))) s"
            logger.info("\(line)")
        }
    }

    /// Mean cross-entropy per target token on the validation pairs, without dropout.
    func validationLoss() -> Double {
        let held = validationPairs.map {
            Example($0, sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary, numSteps: options.numSteps)
        }
        var unused = SeededGenerator(seed: 0)
        var (sum, tokens) = (0.0, 0)
        for start in stride(from: 0, to: held.count, by: options.batchSize) {
            let pass = ForwardPass(
                weights: weights, batch: Array(held[start..<min(start + options.batchSize, held.count)]), dropout: 0, rng: &unused)
            sum += pass.loss * Double(pass.tokenCount)
            tokens += pass.tokenCount
        }
        return sum / Double(tokens)
    }
}

/// A seed for one use (`purpose`) in one epoch, from the run's seed.
func derivedSeed(_ seed: UInt64, purpose: UInt64, epoch: Int) -> UInt64 {
    seed ^ (purpose &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(epoch) &* 0xD1B5_4A32_D192_ED03)
}

/// Seconds elapsed since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
