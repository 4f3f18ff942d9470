import Logging
import Metrics
import Text
import ZeroMQ

/// Where the tokenizer listens and how much it keeps in flight.
public struct TokenizerConfiguration: Sendable {
    /// Bound PULL for client messages.
    public var ingest: String
    /// Bound PUSH to the workers.
    public var work: String
    /// Bound PULL for the sink's acknowledgements.
    public var acks: String
    /// Longest input in source tokens; longer inputs get an error record.
    public var maxInputTokens = 200
    /// Largest ingest frame in bytes (`ZMQ_MAXMSGSIZE`); a client sending a larger frame is
    /// disconnected and that message is discarded unread.
    public var maxMessageBytes = 65536
    /// Most items issued and not yet delivered; past it ingest is not read.
    public var maxInFlight = 1000
    /// Most items out at workers (sent, not yet back at the sink): about two batches per
    /// worker keeps every worker busy and every queue short.
    public var maxDispatched = 256
    /// Most items in one work message. Whatever is pending goes out at once, so under light
    /// load messages hold one item; under load, packing saves the per-message cost in every
    /// stage, and a small bound still deals work out evenly among workers.
    public var maxItemsPerMessage = 16
    /// Time before an unacknowledged item is sent again (doubling per attempt, up to 8×).
    public var redeliveryTimeout: Duration = .seconds(10)
    /// Silence from the sink after which the items it held are sent again.
    public var sinkTimeout: Duration = .seconds(5)
    /// Longest wait, after a stop request, for the items in flight to be delivered.
    public var drainTimeout: Duration = .seconds(30)

    public init(ingest: String, work: String, acks: String) {
        self.ingest = ingest
        self.work = work
        self.acks = acks
    }
}

/// The first stage: reads client messages, gives each a sequence number, tokenizes it, and
/// keeps it in an ``InFlightTable`` until the sink acknowledges its delivery, sending it
/// to the workers again when its time runs out.
public final class Tokenizer {
    /// The model's text side: the tokenizer never loads weights.
    private let codec: any TextCodec
    private let configuration: TokenizerConfiguration
    private let logger: Logger
    /// Random per run, so that results of an earlier run are never taken for this one's.
    public let epoch = UInt64.random(in: 1...UInt64.max)
    private var table: InFlightTable
    private let metrics = StageMetrics(stage: "tokenizer")
    private let redeliveries = Counter(label: "seq2seq_redeliveries_total")
    private let inFlight = Gauge(label: "seq2seq_in_flight")
    /// Inputs accepted from ingest so far.
    public private(set) var accepted = 0

    public init(codec: any TextCodec, configuration: TokenizerConfiguration, logger: Logger) {
        self.codec = codec
        self.configuration = configuration
        self.logger = logger
        table = InFlightTable(
            capacity: configuration.maxInFlight, redeliveryTimeout: configuration.redeliveryTimeout,
            maxDispatched: configuration.maxDispatched)
    }

    /// Runs until `stop` is requested and then drains: stops reading ingest and waits until
    /// every accepted item is delivered or the drain timeout passes.
    ///
    /// - Returns: true if everything accepted was delivered.
    public func run(until stop: StopFlag) throws -> Bool {
        let context = try Context()
        let ingest = try Socket.make(context, .pull, bind: configuration.ingest, highWaterMark: 100) {
            try $0.set(.maxMessageSize, configuration.maxMessageBytes)
        }
        let work = try Socket.make(context, .push, bind: configuration.work, highWaterMark: 100)
        let acks = try Socket.make(context, .pull, bind: configuration.acks, highWaterMark: 10000)
        let endpoints = (ingest: try ingest.lastEndpoint, work: try work.lastEndpoint, acks: try acks.lastEndpoint)
        logger.info(
            "tokenizer up",
            metadata: [
                "ingest": "\(endpoints.ingest)", "work": "\(endpoints.work)", "acks": "\(endpoints.acks)",
                "max_in_flight": "\(configuration.maxInFlight)",
            ])
        var drainDeadline: ContinuousClock.Instant?
        var nextExpiry = ContinuousClock.now
        while true {
            let now = ContinuousClock.now
            if drainDeadline == nil && stop.isRequested {
                drainDeadline = now + configuration.drainTimeout
                try ingest.close()
                logger.info("draining", metadata: ["accepted": "\(accepted)", "in_flight": "\(table.count)"])
            }
            if let drainDeadline {
                if table.isEmpty {
                    logger.info("drained", metadata: ["accepted": "\(accepted)"])
                    return true
                }
                if now >= drainDeadline {
                    logger.error(
                        "drain timeout: items not delivered",
                        metadata: ["accepted": "\(accepted)", "undelivered": "\(table.count)"])
                    return false
                }
            }
            var poller = Poller()
            poller.add(acks, for: .readable)
            let reading = drainDeadline == nil && !table.isFull
            if reading { poller.add(ingest, for: .readable) }
            if table.nextPending() != nil { poller.add(work, for: .writable) }
            _ = try poller.poll(timeout: 50)

            try acks.drain(limit: 1000) { try handleAck($0) }
            if reading {
                while !table.isFull, let message = try ingest.receive(dontWait: true) { admit(message) }
                if table.isFull { logger.debug("in-flight table full: holding ingest back", metadata: ["in_flight": "\(table.count)"]) }
            }
            try sendPending(on: work)
            if ContinuousClock.now >= nextExpiry {
                let released = table.expire(now: .now, sinkTimeout: configuration.sinkTimeout)
                if released > 0 {
                    redeliveries.increment(by: released)
                    logger.debug("redelivering", metadata: ["items": "\(released)"])
                    try sendPending(on: work)
                }
                nextExpiry = .now + .milliseconds(100)
            }
            inFlight.record(table.count)
        }
    }

    private func admit(_ frames: [[UInt8]]) {
        metrics.inputs.increment()
        accepted += 1
        table.add { sequence in
            let admission = Admission(
                frames: frames, sequence: sequence, codec: codec, maxInputTokens: configuration.maxInputTokens)
            if let kind = admission.errorKind {
                metrics.error(kind)
                logger.debug("input rejected", metadata: ["sequence": "\(sequence)", "kind": "\(kind)"])
            }
            // The low water is filled in at each send.
            return PipelineItem(
                epoch: epoch, sequence: sequence, lowWater: 0, clientID: admission.clientID,
                source: admission.source, payload: admission.payload)
        }
    }

    /// Sends the pending items, up to ``TokenizerConfiguration/maxItemsPerMessage`` per
    /// message, while the work socket takes them.
    private func sendPending(on work: Socket) throws {
        while true {
            var items = table.pending(limit: configuration.maxItemsPerMessage)
            if items.isEmpty { return }
            let lowWater = table.lowWater
            for index in items.indices { items[index].lowWater = lowWater }
            guard try work.send(PipelineItem.frame(items, as: .work), dontWait: true) else { return }
            table.markSent(items.count, now: .now)
            metrics.outputs.increment(by: items.count)
        }
    }

    private func handleAck(_ frames: [[UInt8]]) throws {
        do {
            guard frames.count == 1 else { throw FrameError.invalid(field: "message", reason: "\(frames.count) frames") }
            let ack = try Acknowledgement.decode(frames[0])
            // Acks for another run (a previous tokenizer) still say the sink is alive.
            let relevant = ack.epoch == epoch ? ack : Acknowledgement(epoch: epoch, sinkInstance: ack.sinkInstance, entries: [])
            table.apply(relevant, now: .now)
        } catch {
            metrics.error("malformed_ack")
            logger.warning("malformed ack dropped", metadata: ["problem": "\(error)"])
        }
    }
}
