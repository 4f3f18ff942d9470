import Logging
import Metrics
import Seq2Seq
import ZeroMQ

/// Where a worker connects and how it batches.
public struct WorkerConfiguration: Sendable {
    /// The tokenizer's work endpoint (connected PULL).
    public var work: String
    /// The sink's results endpoint (connected PUSH).
    public var results: String
    /// Most segments decoded together.
    public var batchSize = 64
    /// Longest wait for more segments once one has arrived.
    public var batchWait: Duration = .milliseconds(2)
    public var decoding: DecodingOptions
    /// Longest wait, after a stop request, to hand the last results to the sink.
    public var drainTimeout: Duration = .seconds(30)
    /// CURVE on both sockets, as a client of the server key (the tokenizer's and the
    /// sink's); plain when nil.
    public var curve: CurveSecurity?

    public init(work: String, results: String, decoding: DecodingOptions) {
        self.work = work
        self.results = results
        self.decoding = decoding
    }
}

/// A decoder: takes what work is queued (up to the batch size, waiting briefly for more),
/// decodes it as one batch and sends the results to the sink. Stateless apart from the
/// model: any number may connect, leave or die; the tokenizer redelivers what a dead one
/// held.
public final class Worker {
    private let model: any TranslationModel
    private let configuration: WorkerConfiguration
    private let logger: Logger
    private let metrics = StageMetrics(stage: "worker")
    private let batchSizes = Recorder(label: "seq2seq_batch_size")
    private let decodeTime = Metrics.Timer(label: "seq2seq_decode_seconds")
    /// Work items answered so far.
    public private(set) var processed = 0

    public init(model: any TranslationModel, configuration: WorkerConfiguration, logger: Logger) {
        precondition((1...PipelineItem.maxItemsPerFrame).contains(configuration.batchSize))
        self.model = model
        self.configuration = configuration
        self.logger = logger
    }

    /// Works until `stop` is requested; then stops taking work, finishes the work in hand
    /// and exits. Work it had queued but not taken is redelivered by the tokenizer.
    public func run(until stop: StopFlag) throws {
        let context = try Context()
        let security = StageSecurity(client: configuration.curve)
        let work = try Socket.make(
            context, .pull, connect: configuration.work, highWaterMark: configuration.batchSize, security: security)
        let results = try Socket.make(
            context, .push, connect: configuration.results, linger: configuration.drainTimeout.milliseconds, security: security
        ) { try $0.set(.sendTimeout, 100) }
        logger.info("worker up", metadata: ["work": "\(configuration.work)", "results": "\(configuration.results)"])
        // Items received and not yet decoded: a message can hold more than a batch has room for.
        var queue: [PipelineItem] = []
        while !stop.isRequested {
            if queue.isEmpty {
                guard let first = try work.receive(timeout: 100) else { continue }
                take(first, into: &queue)
            }
            let deadline = ContinuousClock.now + configuration.batchWait
            while queue.count < configuration.batchSize {
                let left = ContinuousClock.now.duration(to: deadline)
                guard let next = try work.receive(timeout: max(0, left.milliseconds)) else { break }
                take(next, into: &queue)
            }
            let batch = queue.prefix(configuration.batchSize)
            guard !batch.isEmpty else { continue }
            try send(process(batch), items: batch.count, on: results, stop: stop)
            queue.removeFirst(batch.count)
        }
        // No new work from here on; what already arrived is finished rather than left to
        // the tokenizer's redelivery timer.
        try work.disconnect(configuration.work)
        try work.drain(limit: .max) { take($0, into: &queue) }
        for start in stride(from: 0, to: queue.count, by: configuration.batchSize) {
            let batch = queue[start..<min(start + configuration.batchSize, queue.count)]
            try send(process(batch), items: batch.count, on: results, stop: stop)
        }
        logger.info("worker stopped", metadata: ["processed": "\(processed)", "finished_after_stop": "\(queue.count)"])
    }

    /// Appends a work message's items to `queue`. A malformed item is counted and logged, and
    /// queued as an error item when its identity could be read, so that it is answered.
    private func take(_ message: [[UInt8]], into queue: inout [PipelineItem]) {
        for result in PipelineItem.decodeAll(message: message, as: .work) {
            metrics.inputs.increment()
            switch result {
            case .success(var item):
                if let problem = problem(with: item.payload) {
                    item.payload = .error("malformed work frame: \(problem)")
                    metrics.error("malformed_frame")
                }
                queue.append(item)
            case .failure(let error):
                metrics.error("malformed_frame")
                logger.warning("malformed work frame", metadata: ["problem": "\(error)", "answered": "\(error.salvage != nil)"])
                if let salvage = error.salvage { queue.append(salvage) }
            }
        }
    }

    /// Why a work item's payload cannot be decoded, if it cannot: the tokenizer sends source
    /// ids within the vocabulary, one sentence per item.
    private func problem(with payload: PipelineItem.Payload) -> String? {
        switch payload {
        case .tokens(let ids) where ids.isEmpty || ids.contains(where: { !(0..<model.sourceVocabularySize).contains($0) }):
            "source ids outside the vocabulary"
        case .sentences: "a whole document instead of one sentence"
        case .tokens, .error: nil
        }
    }

    /// Decodes a batch; returns the result frame holding every item of it.
    private func process(_ batch: ArraySlice<PipelineItem>) -> [UInt8] {
        processed += batch.count
        var items = Array(batch)
        let sources = items.compactMap { item -> [Int]? in
            if case .tokens(let ids) = item.payload { return ids }
            return nil
        }
        if !sources.isEmpty {
            batchSizes.record(sources.count)
            let start = ContinuousClock.now
            var decoded = model.decode(sources, options: configuration.decoding).map(\.ids).makeIterator()
            let (seconds, attoseconds) = (ContinuousClock.now - start).components
            decodeTime.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            for index in items.indices {
                if case .tokens = items[index].payload { items[index].payload = .tokens(decoded.next()!) }
            }
        }
        return PipelineItem.frame(items, as: .result)
    }

    /// Sends a result frame of `items` items to the sink, retrying while it is unreachable;
    /// gives up on a stop request after the drain timeout (the tokenizer then redelivers).
    private func send(_ frame: [UInt8], items: Int, on socket: Socket, stop: StopFlag) throws {
        var giveUp: ContinuousClock.Instant?
        while try !socket.send(frame) {
            if stop.isRequested {
                giveUp = giveUp ?? .now + configuration.drainTimeout
                if ContinuousClock.now >= giveUp! {
                    logger.warning("sink unreachable; results left for redelivery", metadata: ["items": "\(items)"])
                    return
                }
            }
        }
        metrics.outputs.increment(by: items)
    }
}
