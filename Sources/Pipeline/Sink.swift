import Logging
import Metrics
import Text
import ZeroMQ

/// Where the sink listens and how it orders output.
public struct SinkConfiguration: Sendable {
    /// Bound PULL for the workers' results.
    public var results: String
    /// Bound PUSH for clients.
    public var output: String
    /// The tokenizer's acknowledgement endpoint (connected PUSH).
    public var acks: String
    /// Output each result as soon as it arrives instead of in ingest order.
    public var unordered = false
    /// Most outputs queued for a slow consumer before the sink holds back.
    public var outputHighWaterMark = 1000
    /// How often the sink tells the tokenizer it is alive when it has nothing to
    /// acknowledge.
    public var heartbeatInterval: Duration = .milliseconds(500)
    /// Longest wait, after a stop request, to hand the ready outputs to a consumer.
    public var drainTimeout: Duration = .seconds(30)

    public init(results: String, output: String, acks: String) {
        self.results = results
        self.output = output
        self.acks = acks
    }
}

/// The last stage: detokenizes results into output records, drops duplicates, restores
/// ingest order (unless unordered), sends one record per input and acknowledges to the
/// tokenizer what it holds and what it has delivered.
public final class Sink {
    /// The model's text side: the sink never loads weights.
    private let codec: any TextCodec
    private let configuration: SinkConfiguration
    private let logger: Logger
    /// Random per run: a new number tells the tokenizer that what an earlier sink held is gone.
    public let instance = UInt64.random(in: 1...UInt64.max)
    private let metrics = StageMetrics(stage: "sink")
    private let duplicates = Counter(label: "seq2seq_duplicates_total")
    /// The tokenizer epoch being delivered, and its bookkeeping.
    private var epoch: UInt64?
    private var tracker: DeliveryTracker<[UInt8]>
    /// Epochs that have ended (their tokenizer restarted), most recent last.
    private var retiredEpochs: [UInt64] = []
    /// Outputs of an ended epoch, sent before anything else, without acknowledgement.
    private var leftovers: [[UInt8]] = []
    private var acks: [Acknowledgement.Entry] = []

    public init(codec: any TextCodec, configuration: SinkConfiguration, logger: Logger) {
        self.codec = codec
        self.configuration = configuration
        self.logger = logger
        tracker = DeliveryTracker(ordered: !configuration.unordered)
    }

    /// Runs until `stop` is requested; then stops reading results and waits, up to the
    /// drain timeout, until every output that is ready has been handed to a consumer.
    ///
    /// - Returns: true if every ready output was handed over.
    public func run(until stop: StopFlag) throws -> Bool {
        let context = try Context()
        let results = try Socket.make(context, .pull, bind: configuration.results)
        let output = try Socket.make(
            context, .push, bind: configuration.output, highWaterMark: configuration.outputHighWaterMark)
        let ackSocket = try Socket.make(context, .push, connect: configuration.acks, highWaterMark: 1000) {
            try $0.set(.immediate, true)
        }
        let (resultsEndpoint, outputEndpoint) = (try results.lastEndpoint, try output.lastEndpoint)
        logger.info(
            "sink up",
            metadata: [
                "results": "\(resultsEndpoint)", "output": "\(outputEndpoint)",
                "acks": "\(configuration.acks)", "ordered": "\(!configuration.unordered)",
            ])
        var lastAck = ContinuousClock.now
        var drainDeadline: ContinuousClock.Instant?
        while true {
            if drainDeadline == nil && stop.isRequested {
                drainDeadline = .now + configuration.drainTimeout
                logger.info("draining", metadata: ["held": "\(tracker.heldCount + leftovers.count)"])
            }
            var poller = Poller()
            if drainDeadline == nil { poller.add(results, for: .readable) }
            if hasReadyOutput { poller.add(output, for: .writable) }
            _ = try poller.poll(timeout: acks.isEmpty ? 50 : 5)
            if drainDeadline == nil { try results.drain(limit: 1000) { handle($0) } }
            try emit(on: output)
            let sinceAck = ContinuousClock.now - lastAck
            if acks.count >= 512 || (!acks.isEmpty && sinceAck >= .milliseconds(5)) || sinceAck >= configuration.heartbeatInterval {
                try sendAcks(on: ackSocket)
                lastAck = .now
            }
            if let drainDeadline, !hasReadyOutput || ContinuousClock.now >= drainDeadline {
                let flushed = !hasReadyOutput
                if !flushed { logger.error("drain timeout: outputs not handed over") }
                logger.info("sink stopping", metadata: ["held_back": "\(tracker.heldCount)"])
                try output.set(.linger, max(0, ContinuousClock.now.duration(to: drainDeadline).milliseconds))
                return flushed
            }
        }
    }

    /// Sends the pending acknowledgements in one message (an empty one is a heartbeat). If
    /// the tokenizer is not taking them, they are kept for the next try, up to a bound past
    /// which the oldest are dropped: redelivery makes them good.
    private func sendAcks(on socket: Socket) throws {
        let ack = Acknowledgement(epoch: epoch ?? 0, sinkInstance: instance, entries: acks)
        if try socket.send(ack.encoded(), dontWait: true) {
            acks.removeAll(keepingCapacity: true)
        } else if acks.count > 100_000 {
            logger.warning("tokenizer not taking acknowledgements; dropping the oldest", metadata: ["pending": "\(acks.count)"])
            acks.removeFirst(acks.count - 100_000)
        }
    }

    private var hasReadyOutput: Bool { !leftovers.isEmpty || tracker.next() != nil }

    /// Takes in one result message.
    func handle(_ frames: [[UInt8]]) {
        for result in PipelineItem.decodeAll(message: frames, as: .result) {
            metrics.inputs.increment()
            switch result {
            case .success(let item):
                admit(item)
            case .failure(let error):
                metrics.error("malformed_frame")
                logger.warning("malformed result frame", metadata: ["problem": "\(error)", "answered": "\(error.salvage != nil)"])
                if let salvage = error.salvage { admit(salvage) }
            }
        }
    }

    /// Holds a result for output and notes the acknowledgement it calls for.
    private func admit(_ item: PipelineItem) {
        guard adoptEpoch(of: item) else { return }
        switch tracker.admit(record(for: item), sequence: item.sequence, lowWater: item.lowWater) {
        case .held:
            acks.append(.init(sequence: item.sequence, state: .held))
        case .alreadyHeld:
            duplicates.increment()
            acks.append(.init(sequence: item.sequence, state: .held))
        case .alreadyDelivered:
            duplicates.increment()
            acks.append(.init(sequence: item.sequence, state: .delivered))
        }
    }

    /// Switches to the item's epoch if it is new (the tokenizer restarted: what the old one
    /// had in flight here goes out as it is, in sequence order with gaps); false for an item
    /// of an epoch that has ended, which is dropped.
    private func adoptEpoch(of item: PipelineItem) -> Bool {
        guard let current = epoch else {
            epoch = item.epoch
            return true
        }
        if item.epoch == current { return true }
        if retiredEpochs.contains(item.epoch) {
            metrics.error("stale_epoch")
            return false
        }
        logger.warning("new tokenizer epoch: the previous tokenizer restarted", metadata: ["held": "\(tracker.heldCount)"])
        leftovers += tracker.removeAll().map(\.value)
        retiredEpochs = (retiredEpochs + [current]).suffix(16)
        tracker = DeliveryTracker(ordered: !configuration.unordered)
        epoch = item.epoch
        return true
    }

    /// The output frame for a result.
    private func record(for item: PipelineItem) -> [UInt8] {
        let outcome: OutputRecord.Outcome
        switch item.payload {
        case .tokens(let ids) where ids.allSatisfy({ (0..<codec.targetVocabularySize).contains($0) }):
            outcome = .translation(codec.decode(ids))
        case .tokens:
            metrics.error("malformed_frame")
            outcome = .error("malformed result frame: target ids outside the vocabulary")
        case .error(let message):
            outcome = .error(message)
        }
        return OutputRecord(clientID: item.clientID, source: item.source, outcome: outcome).json
    }

    /// Sends ready outputs while the output socket takes them.
    private func emit(on output: Socket) throws {
        while let frame = leftovers.first {
            guard try output.send(frame, dontWait: true) else { return }
            leftovers.removeFirst()
            metrics.outputs.increment()
        }
        while let (sequence, frame) = tracker.next() {
            guard try output.send(frame, dontWait: true) else { return }
            tracker.markDelivered(sequence)
            acks.append(.init(sequence: sequence, state: .delivered))
            metrics.outputs.increment()
        }
    }
}
