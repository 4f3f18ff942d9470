#if canImport(Glibc)
import Glibc
#endif

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
    /// Bound ROUTER for acknowledged delivery to DEALER consumers; without it, records of
    /// acknowledged submissions go to `output` like the others.
    public var deliver: String?
    /// Bound ROUTER for the records of requests, each sent to its requester's routing id (a
    /// requester that has gone is skipped); without it, they go to `output` like the others.
    public var replies: String?
    /// Silence after which a consumer on `deliver` is taken to be gone and the records it
    /// had not acknowledged are sent again (consumers say `ready` every half second).
    public var consumerTimeout: Duration = .seconds(3)
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
    /// CURVE on every socket: the bound ones accept only allowed keys, the acknowledgement
    /// socket connects to the tokenizer as a client of the server key; plain when nil.
    public var curve: CurveSecurity?

    public init(results: String, output: String, acks: String) {
        self.results = results
        self.output = output
        self.acks = acks
    }
}

/// The last stage: detokenizes results into output records, drops duplicates, restores
/// ingest order (unless unordered), sends one record per input and acknowledges to the
/// tokenizer what it holds and what it has delivered.
///
/// A record of an acknowledged submission goes to a consumer on the deliver endpoint and is
/// delivered only once that consumer acknowledges it; until then the tokenizer is told the
/// sink holds it (see ``AcknowledgedOutbox``).
public final class Sink {
    /// What stopped the sink handing over the next ready output.
    private enum Blocker {
        /// The plain output socket is full or has no consumer.
        case output
        /// No consumer on the deliver endpoint has room.
        case consumer
        /// A requester's queue on the replies endpoint is full.
        case requester
    }

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
    private var tracker: DeliveryTracker<SinkOutput>
    /// Records sent on the deliver endpoint and not yet acknowledged by their consumer.
    private var outbox: AcknowledgedOutbox
    /// Epochs that have ended (their tokenizer restarted), most recent last.
    private var retiredEpochs: [UInt64] = []
    /// Outputs of an ended epoch, sent before anything else, without acknowledgement.
    private var leftovers: [SinkOutput] = []
    private var acks: [Acknowledgement.Entry] = []
    /// Documents whose sentences are still coming in.
    private var documents = DocumentAssembly()

    public init(codec: any TextCodec, configuration: SinkConfiguration, logger: Logger) {
        self.codec = codec
        self.configuration = configuration
        self.logger = logger
        tracker = DeliveryTracker(ordered: !configuration.unordered)
        outbox = AcknowledgedOutbox(ordered: !configuration.unordered)
    }

    /// Runs until `stop` is requested; then stops reading results and waits, up to the
    /// drain timeout, until every output that is ready has been handed to a consumer.
    ///
    /// - Returns: true if every ready output was handed over.
    public func run(until stop: StopFlag) throws -> Bool {
        let context = try Context()
        let security = try StageSecurity(context: context, curve: configuration.curve, stage: "sink", logger: logger)
        defer { security.stop() }
        let results = try Socket.make(context, .pull, bind: configuration.results, security: security)
        let output = try Socket.make(
            context, .push, bind: configuration.output, highWaterMark: configuration.outputHighWaterMark, security: security)
        let deliver = try configuration.deliver.map { endpoint in
            try Socket.make(context, .router, bind: endpoint, security: security) {
                try $0.set(.routerMandatory, true)
                try $0.set(.sendHighWaterMark, 100_000)
            }
        }
        let replies = try configuration.replies.map { endpoint in
            try Socket.make(context, .router, bind: endpoint, security: security) {
                try $0.set(.routerMandatory, true)
                try $0.set(.sendHighWaterMark, 100_000)
            }
        }
        let ackSocket = try Socket.make(context, .push, connect: configuration.acks, highWaterMark: 1000, security: security) {
            try $0.set(.immediate, true)
        }
        let endpoints = (
            results: try results.lastEndpoint, output: try output.lastEndpoint, deliver: try deliver?.lastEndpoint,
            replies: try replies?.lastEndpoint
        )
        logger.info(
            "sink up",
            metadata: [
                "results": "\(endpoints.results)", "output": "\(endpoints.output)", "deliver": "\(endpoints.deliver ?? "none")",
                "replies": "\(endpoints.replies ?? "none")",
                "acks": "\(configuration.acks)", "ordered": "\(!configuration.unordered)", "curve": "\(configuration.curve != nil)",
            ])
        var lastAck = ContinuousClock.now
        var nextExpiry = ContinuousClock.now
        var drainDeadline: ContinuousClock.Instant?
        var blocked: Blocker?
        while true {
            if drainDeadline == nil && stop.isRequested {
                drainDeadline = .now + configuration.drainTimeout
                logger.info("draining", metadata: ["held": "\(tracker.heldCount + leftovers.count)", "unacknowledged": "\(outbox.count)"])
            }
            var poller = Poller()
            if drainDeadline == nil { poller.add(results, for: .readable) }
            if let deliver { poller.add(deliver, for: .readable) }
            if blocked == .output { poller.add(output, for: .writable) }
            _ = try poller.poll(timeout: acks.isEmpty ? 50 : 5)
            if drainDeadline == nil { try results.drain(limit: 1000) { handle($0) } }
            if let deliver { try deliver.drain(limit: 1000) { heard($0) } }
            if ContinuousClock.now >= nextExpiry {
                expireConsumers(gone: nil)
                documents.removeAll(below: tracker.floor)
                nextExpiry = .now + .milliseconds(100)
            }
            blocked = try emit(on: SinkSockets(output: output, deliver: deliver, replies: replies))
            let sinceAck = ContinuousClock.now - lastAck
            if acks.count >= 512 || (!acks.isEmpty && sinceAck >= .milliseconds(5)) || sinceAck >= configuration.heartbeatInterval {
                try sendAcks(on: ackSocket)
                lastAck = .now
            }
            let settled = !hasReadyOutput && outbox.isEmpty
            if let drainDeadline, settled || ContinuousClock.now >= drainDeadline {
                if !settled { logger.error("drain timeout: outputs not handed over", metadata: ["unacknowledged": "\(outbox.count)"]) }
                logger.info("sink stopping", metadata: ["held_back": "\(tracker.heldCount)"])
                try output.set(.linger, max(0, ContinuousClock.now.duration(to: drainDeadline).milliseconds))
                return settled
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

    private var hasReadyOutput: Bool { !leftovers.isEmpty || outbox.nextResend != nil || tracker.next() != nil }

    /// Takes a consumer's message from the deliver endpoint: `ready` (its window, and that it
    /// is alive) or `ack` (its records are delivered).
    private func heard(_ frames: [[UInt8]]) {
        let peer = frames[0]
        switch ConsumerMessage(frames: Array(frames.dropFirst())) {
        case .ready(let window):
            outbox.heard(from: peer, window: window, now: .now)
        case .ack(let ids):
            let sequences = ids.compactMap(DeliveredRecord.parse(id:)).filter { $0.epoch == epoch }.map(\.sequence)
            for sequence in outbox.acknowledge(sequences, from: peer) { acks.append(.init(sequence: sequence, state: .delivered)) }
        case nil:
            metrics.error("malformed_consumer_message")
            logger.warning("malformed consumer message dropped", metadata: ["frames": "\(frames.count - 1)"])
        }
    }

    /// Forgets consumers that have gone silent (and `gone`, if given); what they had not
    /// acknowledged is sent again.
    private func expireConsumers(gone peer: [UInt8]?) {
        let released = outbox.expire(now: .now, timeout: configuration.consumerTimeout, gone: peer)
        if released > 0 { logger.info("consumer gone: sending its unacknowledged records again", metadata: ["records": "\(released)"]) }
    }

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

    /// Holds a result for output and notes the acknowledgement it calls for; the result of
    /// one sentence of a document waits for the document's other sentences.
    private func admit(_ item: PipelineItem) {
        guard adoptEpoch(of: item) else { return }
        if outbox.contains(item.sequence) {
            // Sent to a consumer that has not acknowledged it: still held here.
            duplicates.increment()
            acks.append(.init(sequence: item.sequence, state: .held))
            return
        }
        let json: [UInt8]
        if let part = item.part {
            guard let sentences = documents.add(item, part: part) else { return }
            json = record(forSentences: sentences)
        } else {
            json = record(for: item)
        }
        let output = SinkOutput(epoch: item.epoch, sequence: item.sequence, delivery: item.delivery, replyTo: item.replyTo, json: json)
        switch tracker.admit(output, sequence: item.sequence, lowWater: item.lowWater) {
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
        let unacknowledged = outbox.removeAll().map { SinkOutput(epoch: current, sequence: $0.sequence, delivery: .acknowledged, json: $0.json) }
        leftovers += (unacknowledged + tracker.removeAll().map(\.value)).sorted { $0.sequence < $1.sequence }
        retiredEpochs = (retiredEpochs + [current]).suffix(16)
        tracker = DeliveryTracker(ordered: !configuration.unordered)
        documents.removeAll()
        epoch = item.epoch
        return true
    }

    /// The output frame for a result.
    private func record(for item: PipelineItem) -> [UInt8] {
        OutputRecord(clientID: item.clientID, source: item.source, outcome: outcome(of: item)).json
    }

    /// The output frame for a document from the results of its sentences, in order: the
    /// translations joined with the text that was between the sentences, or an error naming
    /// each sentence that failed.
    private func record(forSentences items: [PipelineItem]) -> [UInt8] {
        var source = items[0].part?.leading ?? ""
        var translation = source
        var failures: [String] = []
        for (index, item) in items.enumerated() {
            let trailing = item.part?.trailing ?? ""
            source += item.source + trailing
            switch outcome(of: item) {
            case .translation(let text): translation += text + trailing
            case .error(let message): failures.append("sentence \(index + 1) of \(items.count): \(message)")
            }
        }
        let outcome: OutputRecord.Outcome = failures.isEmpty ? .translation(translation) : .error(failures.joined(separator: "; "))
        return OutputRecord(clientID: items[0].clientID, source: source, outcome: outcome).json
    }

    /// The translation of a result, or why it has none.
    private func outcome(of item: PipelineItem) -> OutputRecord.Outcome {
        switch item.payload {
        case .tokens(let ids) where ids.allSatisfy({ (0..<codec.targetVocabularySize).contains($0) }):
            return .translation(codec.decode(ids))
        case .tokens:
            metrics.error("malformed_frame")
            return .error("malformed result frame: target ids outside the vocabulary")
        case .sentences:
            metrics.error("malformed_frame")
            return .error("malformed result frame: a whole document instead of one sentence")
        case .error(let message):
            return .error(message)
        }
    }

    /// Hands over ready outputs (leftovers of an ended epoch, records to send again, then
    /// new ones) until one cannot go; returns what blocked it, nil when all went.
    private func emit(on sockets: SinkSockets) throws -> Blocker? {
        // Every record of the epoch below this has been acknowledged by its consumer.
        let floor = min(outbox.lowest ?? tracker.floor, tracker.floor)
        while let first = leftovers.first {
            if let blocker = try hand(first, tracked: false, sockets: sockets, floor: 0) { return blocker }
            leftovers.removeFirst()
            metrics.outputs.increment()
        }
        while let (sequence, json) = outbox.nextResend {
            let resend = SinkOutput(epoch: epoch ?? 0, sequence: sequence, delivery: .acknowledged, json: json)
            if let blocker = try hand(resend, tracked: true, sockets: sockets, floor: floor) { return blocker }
        }
        while let (sequence, next) = tracker.next() {
            let viaOutbox = next.delivery == .acknowledged && sockets.deliver != nil
            if let blocker = try hand(next, tracked: viaOutbox, sockets: sockets, floor: floor) { return blocker }
            tracker.markDelivered(sequence)
            if !viaOutbox { acks.append(.init(sequence: sequence, state: .delivered)) }
            metrics.outputs.increment()
        }
        return nil
    }

    /// Hands `next` to the output socket, to its requester on the replies endpoint, or to a
    /// consumer with room on the deliver endpoint (noted in the outbox if `tracked`); nil once
    /// handed, else what blocked it.
    private func hand(_ next: SinkOutput, tracked: Bool, sockets: SinkSockets, floor: UInt64) throws -> Blocker? {
        if next.delivery == .reply, let replies = sockets.replies { return try reply(next, on: replies) }
        guard next.delivery == .acknowledged, let deliver = sockets.deliver else {
            return try sockets.output.send(next.json, dontWait: true) ? nil : .output
        }
        guard let peer = outbox.consumerWithRoom else { return .consumer }
        let record = DeliveredRecord(epoch: next.epoch, sequence: next.sequence, json: next.json, floor: floor)
        do {
            guard try deliver.send([peer] + record.frames, dontWait: true) else { return .consumer }
        } catch where error.code == EHOSTUNREACH {
            expireConsumers(gone: peer)
            return .consumer
        }
        if tracked { outbox.sent(next.sequence, json: next.json, to: peer) }
        return nil
    }

    /// Sends a request's record to its requester; one that has gone (its request given up,
    /// or the process ended) is skipped, and the record counts as handed over.
    private func reply(_ next: SinkOutput, on replies: Socket) throws -> Blocker? {
        let sent: Bool
        do {
            sent = try replies.send([next.replyTo, next.json], dontWait: true)
        } catch where error.code == EHOSTUNREACH {
            requesterGone(sequence: next.sequence)
            return nil
        }
        return sent ? nil : .requester
    }

    /// Counts and logs a record whose requester has gone.
    private func requesterGone(sequence: UInt64) {
        metrics.error("requester_gone")
        logger.debug("requester gone; record dropped", metadata: ["sequence": "\(sequence)"])
    }
}
