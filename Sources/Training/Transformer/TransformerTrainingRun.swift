import Foundation
import Logging
import Seq2Seq
import Tensor
import Text

/// A Transformer training run: SentencePiece models and vocabulary, data, weights, optimizer
/// and history, trained mini-batch by mini-batch and saved as an OPUS-MT checkpoint after
/// every epoch and when the time budget runs out.
///
/// Everything random comes from `options.seed`: the initialisation (purpose 1), the
/// validation split (2), each epoch's batch order (3, by epoch), each step's dropout masks
/// (4, by step) and the SentencePiece models (5). So the same seed and data give the same
/// model, and a run stopped at any mini-batch and resumed gives the same model as an
/// uninterrupted one, bit for bit (same BLAS thread count).
public struct TransformerTrainingRun {
    public private(set) var options: TransformerTrainingOptions
    /// The model's `config.json`.
    public var config: MarianConfig { parameters.layout.config }
    public private(set) var parameters: TransformerParameters
    public private(set) var optimizer: Adam
    /// Where the run stands, and its history.
    private(set) var state: TransformerTrainingState
    /// The serialized `source.spm` and `target.spm`.
    let sourceModel: [UInt8]
    let targetModel: [UInt8]
    /// The shared `vocab.json`, pieces in id order.
    let vocabulary: [String]
    /// Training examples and their mini-batches (indices into `examples`), in length order.
    public let examples: [Example]
    let batches: [[Int]]
    /// Held-out examples (none without a validation fraction).
    let validationExamples: [Example]

    /// Finished epochs.
    public var history: [EpochRecord] { state.history }

    /// A new run on the pairs file at `dataPath`. SentencePiece models are learnt from the
    /// training split (English from the sources, French from the targets, `options.vocabSize`
    /// pieces each) unless given as files (`sourceSPM`, `targetSPM`).
    ///
    /// - Throws: ``PairsFileError``, ``SentencePieceError``.
    public init(options: TransformerTrainingOptions, dataPath: String, sourceSPM: String?, targetSPM: String?, logger: Logger) throws {
        precondition(options.problem == nil, options.problem ?? "")
        let (training, validation) = try Self.readPairs(dataPath, options: options, logger: logger)
        func learn(_ sentences: [String], _ side: String) throws -> [UInt8] {
            let start = ContinuousClock.now
            let model = try SentencePieceTrainer.train(
                sentences: sentences, options: SentencePieceTrainer.opusOptions(vocabularySize: options.vocabSize, threads: BLAS.threads),
                seed: UInt32(truncatingIfNeeded: derivedSeed(options.seed, purpose: 5, epoch: 0)))
            logger.info("learnt the \(side) SentencePiece model (\(options.vocabSize) pieces) in \(String(format: "%.1f", seconds(since: start))) s")
            return model
        }
        func file(_ path: String) throws -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SentencePieceError(file: path, problem: "cannot read")
            }
            return Array(data)
        }
        let sourceModel = try sourceSPM.map(file) ?? learn(training.map(\.source), "English")
        let targetModel = try targetSPM.map(file) ?? learn(training.map(\.target), "French")
        let vocabulary = MarianDirectoryWriter.sharedVocabulary(
            sourcePieces: try Self.pieces(of: sourceModel), targetPieces: try Self.pieces(of: targetModel))
        let config = MarianConfig(
            dModel: options.dModel, encoderLayers: options.encoderLayers, decoderLayers: options.decoderLayers, heads: options.heads,
            ffnDim: options.ffnDim, activation: options.activationFunction!, vocabSize: vocabulary.count)
        var rng = SeededGenerator(seed: derivedSeed(options.seed, purpose: 1, epoch: 0))
        let parameters = TransformerParameters(randomFor: TransformerLayout(config: config), using: &rng)
        let state = TransformerTrainingState(
            options: options, step: 0, batchInEpoch: 0, epochLossSum: 0, epochTokens: 0, epochSeconds: 0, trainingSeconds: 0,
            history: [], fingerprint: "")
        try self.init(
            options: options, parameters: parameters,
            optimizer: Adam(learningRate: 0, beta2: Float(options.beta2), epsilon: Float(options.epsilon), for: parameters),
            state: state, sourceModel: sourceModel, targetModel: targetModel, vocabulary: vocabulary, training: training,
            validation: validation)
    }

    /// Resumes the run saved in `directory` on the same data, with its saved options except
    /// `epochs` and `maxMinutes` when given.
    ///
    /// - Throws: ``ModelDirectoryError`` or ``CheckpointError`` for the checkpoint;
    ///   ``PairsFileError`` for the data.
    public init(resuming directory: String, dataPath: String, epochs: Int?, maxMinutes: Double?, logger: Logger) throws {
        let saved = try TransformerCheckpoint.load(directory)
        var options = saved.state.options
        if epochs != nil || maxMinutes != nil {
            options.epochs = epochs
            options.maxMinutes = maxMinutes
        }
        if let problem = options.problem { throw CheckpointError(description: problem) }
        var state = saved.state
        state.options = options
        let (training, validation) = try Self.readPairs(dataPath, options: options, logger: logger)
        try self.init(
            options: options, parameters: saved.parameters, optimizer: saved.optimizer, state: state, sourceModel: saved.sourceModel,
            targetModel: saved.targetModel, vocabulary: saved.vocabulary, training: training, validation: validation)
        let minutes = String(format: "%.1f", state.trainingSeconds / 60)
        logger.info(
            "resuming \(directory) at epoch \(state.history.count + 1), batch \(state.batchInEpoch + 1), step \(state.step + 1), after \(minutes) minutes of training")
    }

    private init(
        options: TransformerTrainingOptions, parameters: TransformerParameters, optimizer: Adam, state: TransformerTrainingState,
        sourceModel: [UInt8], targetModel: [UInt8], vocabulary: [String], training: [(source: String, target: String)],
        validation: [(source: String, target: String)]
    ) throws {
        self.options = options
        self.parameters = parameters
        self.optimizer = optimizer
        self.state = state
        self.sourceModel = sourceModel
        self.targetModel = targetModel
        self.vocabulary = vocabulary
        let codec = try Self.codec(sourceModel: sourceModel, targetModel: targetModel, vocabulary: vocabulary)
        let (start, limit) = (parameters.layout.config.decoderStartTokenID, options.maxTokensPerSentence)
        func examples(_ pairs: [(source: String, target: String)]) -> [Example] {
            pairs.compactMap { pair in
                let source = codec.sourcePieceIDs(pair.source).prefix(limit)
                let target = codec.targetPieceIDs(pair.target).prefix(limit)
                guard !source.isEmpty && !target.isEmpty else { return nil }
                let labels = Array(target) + [codec.targetEOSID]
                return Example(source: Array(source) + [codec.eosID], decoderInput: [start] + labels.dropLast(), labels: labels)
            }
        }
        self.examples = examples(training)
        validationExamples = examples(validation)
        batches = tokenBatches(
            sourceLengths: self.examples.map(\.source.count), targetLengths: self.examples.map(\.labels.count),
            batchTokens: options.batchTokens)
    }

    /// Reads the pairs and splits off the validation pairs, logging what was skipped.
    private static func readPairs(
        _ path: String, options: TransformerTrainingOptions, logger: Logger
    ) throws -> (training: [(source: String, target: String)], validation: [(source: String, target: String)]) {
        let corpus = try TextPairs(contentsOf: path, maxPairs: options.maxPairs ?? .max)
        if corpus.skipped.total > 0 { logger.warning("\(path): skipped \(corpus.skipped.total) lines (\(corpus.skipped))") }
        let split = corpus.split(validationFraction: options.validationFraction, seed: derivedSeed(options.seed, purpose: 2, epoch: 0))
        logger.info("\(path): \(corpus.pairs.count) pairs, \(split.training.count) for training, \(split.validation.count) held out")
        return split
    }

    /// The pieces of a serialized SentencePiece model, in id order.
    private static func pieces(of model: [UInt8]) throws -> [String] {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("model.spm")
            try Data(model).write(to: path)
            let loaded = try SentencePieceModel(contentsOf: path.path)
            return (0..<loaded.pieceCount).map(loaded.piece)
        }
    }

    /// The codec of the directory the run writes, built from its text files.
    private static func codec(sourceModel: [UInt8], targetModel: [UInt8], vocabulary: [String]) throws -> SentencePieceCodec {
        try withTemporaryDirectory { directory in
            let vocab = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
            try Data(sourceModel).write(to: directory.appendingPathComponent("source.spm"))
            try Data(targetModel).write(to: directory.appendingPathComponent("target.spm"))
            try JSONSerialization.data(withJSONObject: vocab).write(to: directory.appendingPathComponent("vocab.json"))
            return try SentencePieceCodec.load(directory: directory.path)
        }
    }

    /// The current model, for decoding.
    public func model() throws -> TransformerModel { try TransformerModel(config: config, tensors: parameters.tensors) }

    /// Trains until the run's epochs are done or its time budget is spent, saving a
    /// checkpoint to `directory` after every epoch and when the budget stops it.
    ///
    /// The mini-batches run in `options.shards` parts on as many threads, each part's matrix
    /// products on `BLAS.threads` threads: for speed, a process sets `BLAS.threads` to its
    /// cores divided by the shards (and calls ``keepLargeAllocationsInHeap()``) before
    /// training. Neither is done here: both are process-wide, and changing OpenBLAS's thread
    /// count while another thread multiplies matrices is not safe.
    ///
    /// - Parameter progress: called after every mini-batch.
    public mutating func train(saveTo directory: String, logger: Logger, progress: (EpochProgress) -> Void = { _ in }) throws {
        let budget = options.maxMinutes.map { $0 * 60 }
        let schedule = InverseSquareRootSchedule(peak: options.learningRate, warmupSteps: options.warmupSteps)
        let epochs = options.epochs ?? .max
        if state.history.count >= epochs {
            logger.notice("\(state.history.count) epochs already trained, no more to do (--epochs \(epochs))")
        }
        while state.history.count < epochs {
            if let budget, state.trainingSeconds >= budget {
                let epochLoss = state.epochTokens > 0 ? String(format: "%.4f", state.epochLossSum / Double(state.epochTokens)) : "-"
                logger.notice(
                    "time budget of \(String(format: "%g", budget / 60)) minutes spent; stopping at step \(optimizer.step), epoch \(state.history.count + 1) batch \(state.batchInEpoch)/\(batches.count) (train loss so far \(epochLoss))")
                try save(to: directory)
                return
            }
            let epoch = state.history.count + 1
            var shuffle = SeededGenerator(seed: derivedSeed(options.seed, purpose: 3, epoch: epoch))
            let order = shuffledIndices(count: batches.count, using: &shuffle)
            while state.batchInEpoch < order.count {
                if let budget, state.trainingSeconds >= budget { break }
                let start = ContinuousClock.now
                let step = optimizer.step + 1
                let pass = TransformerTrainingStep(
                    parameters: parameters, batch: batches[order[state.batchInEpoch]].map { examples[$0] }, shards: options.shards,
                    labelSmoothing: Float(options.labelSmoothing), dropout: Float(options.dropout),
                    seed: derivedSeed(options.seed, purpose: 4, epoch: step))
                var grads = pass.gradients
                clipGlobalNorm(&grads, maxNorm: Float(options.gradientClip))
                optimizer.learningRate = Float(schedule.learningRate(step: step))
                optimizer.update(&parameters, with: grads)
                let elapsed = seconds(since: start)
                state.batchInEpoch += 1
                state.epochLossSum += pass.negativeLogLikelihood * Double(pass.tokenCount)
                state.epochTokens += pass.tokenCount
                state.epochSeconds += elapsed
                state.trainingSeconds += elapsed
                progress(
                    EpochProgress(
                        epoch: epoch, epochs: options.epochs ?? epoch, batchesDone: state.batchInEpoch, batches: order.count,
                        loss: state.epochLossSum / Double(state.epochTokens),
                        tokensPerSecond: Double(state.epochTokens) / state.epochSeconds, elapsed: state.epochSeconds))
            }
            guard state.batchInEpoch == order.count else { continue }  // the budget ran out mid-epoch
            var record = EpochRecord(
                epoch: epoch, trainLoss: state.epochLossSum / Double(state.epochTokens), validationLoss: nil, bleu: nil,
                tokensPerSecond: Double(state.epochTokens) / state.epochSeconds)
            if !validationExamples.isEmpty { record.validationLoss = validationLoss() }
            state.history.append(record)
            (state.batchInEpoch, state.epochLossSum, state.epochTokens, state.epochSeconds) = (0, 0, 0, 0)
            try save(to: directory)
            var line = "epoch \(epoch): train loss \(String(format: "%.4f", record.trainLoss))"
            if let v = record.validationLoss { line += ", validation loss \(String(format: "%.4f", v))" }
            line += ", \(Int(record.tokensPerSecond.rounded())) tokens/s, step \(optimizer.step), "
                + "\(String(format: "%.1f", state.trainingSeconds / 60)) minutes of training"
            logger.info("\(line)")
        }
    }

    /// Saves the checkpoint.
    public func save(to directory: String) throws {
        try TransformerCheckpoint.save(
            .init(
                parameters: parameters, optimizer: optimizer, state: state, sourceModel: sourceModel, targetModel: targetModel,
                vocabulary: vocabulary), to: directory)
    }

    /// Mean plain cross-entropy per target token on the validation examples, without dropout.
    func validationLoss() -> Double {
        var unused = SeededGenerator(seed: 0)
        var (sum, tokens) = (0.0, 0)
        let held = tokenBatches(
            sourceLengths: validationExamples.map(\.source.count), targetLengths: validationExamples.map(\.labels.count),
            batchTokens: options.batchTokens)
        for batch in held {
            let pass = TransformerForwardPass(
                parameters: parameters, batch: batch.map { validationExamples[$0] }, labelSmoothing: 0, dropout: 0, rng: &unused)
            sum += pass.negativeLogLikelihood * Double(pass.tokenCount)
            tokens += pass.tokenCount
        }
        return sum / Double(tokens)
    }
}

/// Runs `body` with a new temporary directory, removed afterwards.
func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seq2seq-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}
