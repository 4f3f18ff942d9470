import Foundation
import Logging
import Metrics
import Text
import ZeroMQ

/// Where the tokenizer listens and how much it keeps in flight.
public struct TokenizerConfiguration: Sendable {
    /// Bound PULL for client messages.
    public var ingest: String
    /// Bound ROUTER for acknowledged submissions (`[client id, text]` from DEALER clients,
    /// answered with an acceptance or a rejection); none when nil.
    public var submit: String?
    /// Bound ROUTER for requests (`[client id, text]` or `[text]` from DEALER clients, whose
    /// records the sink sends back to the same routing id on its replies endpoint); none when nil.
    public var requests: String?
    /// Bound PUSH to the workers.
    public var work: String
    /// Bound PULL for the sink's acknowledgements.
    public var acks: String
    /// Most tokens per sentence, bytes and sentences per input; an input over them gets an
    /// error record.
    public var limits = DocumentLimits()
    /// Largest ingest frame in bytes (`ZMQ_MAXMSGSIZE`); a client sending a larger frame is
    /// disconnected and that message is discarded unread.
    public var maxMessageBytes = 1 << 20
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
    /// With a journal: the least time between two fsyncs. Inputs accepted meanwhile share
    /// the next one, so none waits longer than this and one fsync to be durable.
    public var fsyncInterval: Duration = .milliseconds(2)
    /// How long the id of a done acknowledged submission is remembered (and its journal
    /// segment kept): a resubmission within it is answered, not translated again.
    public var retention: Duration = .seconds(60)
    /// CURVE on every socket (all of them are bound: clients and the sink must hold an
    /// allowed key); plain when nil.
    public var curve: CurveSecurity?

    public init(ingest: String, work: String, acks: String) {
        self.ingest = ingest
        self.work = work
        self.acks = acks
    }
}

/// The first stage: reads client messages, gives each a sequence number, tokenizes it, and
/// keeps it in an ``InFlightTable`` until the sink acknowledges its delivery, sending it
/// to the workers again when its time runs out.
///
/// With a ``Journal``, every accepted input is journaled and made durable before it is
/// sent to a worker or its submission acknowledged; delivered inputs are marked done; on
/// start the journal's pending inputs are replayed under the journal's epoch, so the sink's
/// ordering and duplicate suppression carry on across the restart.
public final class Tokenizer {
    /// The model's text side: the tokenizer never loads weights.
    private let codec: any TextCodec
    private let configuration: TokenizerConfiguration
    private let journal: Journal?
    private let logger: Logger
    /// The journal's epoch, or random per run without one, so that results of an earlier
    /// run are never taken for this one's.
    public let epoch: UInt64
    private var table: InFlightTable
    /// The sequence number of the next accepted input.
    private var nextSequence: UInt64
    /// Inputs journaled but not yet durable: they join the table after the next sync.
    private var staged: [PipelineItem] = []
    /// Acceptances to send once what is staged is durable: (submitter's routing id, client id).
    private var awaitingSync: [(peer: [UInt8], clientID: [UInt8])] = []
    private var submissions: SubmissionIndex
    private var lastSync = ContinuousClock.now
    private let metrics = StageMetrics(stage: "tokenizer")
    private let redeliveries = Counter(label: "seq2seq_redeliveries_total")
    private let inFlight = Gauge(label: "seq2seq_in_flight")
    /// Inputs accepted from ingest and submit so far (replayed ones not counted).
    public private(set) var accepted = 0

    public init(codec: any TextCodec, configuration: TokenizerConfiguration, journal: Journal? = nil, logger: Logger) {
        self.codec = codec
        self.configuration = configuration
        self.journal = journal
        self.logger = logger
        epoch = journal?.epoch ?? UInt64.random(in: 1...UInt64.max)
        let recovery = journal?.takeRecovery() ?? Journal.Recovery()
        let replayed = recovery.pending
        nextSequence = journal?.nextSequence ?? 0
        table = InFlightTable(
            capacity: configuration.maxInFlight, redeliveryTimeout: configuration.redeliveryTimeout,
            maxDispatched: configuration.maxDispatched, firstSequence: replayed.first?.sequence ?? nextSequence)
        submissions = SubmissionIndex(retention: UInt64(configuration.retention.milliseconds))
        for item in replayed {
            table.add(item)
            if item.delivery == .acknowledged { submissions.accept(item.clientID, sequence: item.sequence) }
        }
        for (clientID, time) in recovery.done { submissions.markDone(clientID, at: time) }
        if !replayed.isEmpty { logger.info("replaying the journal", metadata: ["inputs": "\(replayed.count)"]) }
    }

    private var isFull: Bool { table.count + staged.count >= configuration.maxInFlight }

    /// Runs until `stop` is requested and then drains: stops reading ingest and waits until
    /// every accepted item is delivered or the drain timeout passes.
    ///
    /// - Returns: true if everything accepted was delivered.
    public func run(until stop: StopFlag) throws -> Bool {
        let context = try Context()
        let security = try StageSecurity(context: context, curve: configuration.curve, stage: "tokenizer", logger: logger)
        defer { security.stop() }
        let ingest = try Socket.make(context, .pull, bind: configuration.ingest, highWaterMark: 100, security: security) {
            try $0.set(.maxMessageSize, configuration.maxMessageBytes)
        }
        let submit = try configuration.submit.map { endpoint in
            try Socket.make(context, .router, bind: endpoint, highWaterMark: 100, security: security) {
                try $0.set(.maxMessageSize, configuration.maxMessageBytes)
                try $0.set(.routerMandatory, true)
            }
        }
        let requests = try configuration.requests.map { endpoint in
            try Socket.make(context, .router, bind: endpoint, highWaterMark: 100, security: security) {
                try $0.set(.maxMessageSize, configuration.maxMessageBytes)
            }
        }
        let work = try Socket.make(context, .push, bind: configuration.work, highWaterMark: 100, security: security)
        let acks = try Socket.make(context, .pull, bind: configuration.acks, highWaterMark: 10000, security: security)
        let endpoints = (
            ingest: try ingest.lastEndpoint, submit: try submit?.lastEndpoint ?? "none", requests: try requests?.lastEndpoint ?? "none",
            work: try work.lastEndpoint, acks: try acks.lastEndpoint
        )
        logger.info(
            "tokenizer up",
            metadata: [
                "ingest": "\(endpoints.ingest)", "submit": "\(endpoints.submit)", "requests": "\(endpoints.requests)",
                "work": "\(endpoints.work)",
                "acks": "\(endpoints.acks)",
                "max_in_flight": "\(configuration.maxInFlight)", "epoch": "\(epoch)", "journal": "\(journal != nil)", "curve": "\(configuration.curve != nil)",
            ])
        var drainDeadline: ContinuousClock.Instant?
        var nextExpiry = ContinuousClock.now
        while true {
            let now = ContinuousClock.now
            if drainDeadline == nil && stop.isRequested {
                drainDeadline = now + configuration.drainTimeout
                try syncJournal(answering: submit, force: true)
                try ingest.close()
                try requests?.close()
                logger.info("draining", metadata: ["accepted": "\(accepted)", "in_flight": "\(table.count)"])
            }
            if let drainDeadline, let drained = try drainOutcome(now: now, deadline: drainDeadline) { return drained }
            var poller = Poller()
            poller.add(acks, for: .readable)
            let reading = drainDeadline == nil && !isFull
            if reading {
                poller.add(ingest, for: .readable)
                if let submit { poller.add(submit, for: .readable) }
                if let requests { poller.add(requests, for: .readable) }
            }
            if table.nextPending() != nil { poller.add(work, for: .writable) }
            _ = try poller.poll(timeout: pollTimeout)

            try acks.drain(limit: 1000) { try handleAck($0) }
            if reading { try readInputs(ingest: ingest, submit: submit, requests: requests) }
            try syncJournal(answering: submit, force: false)
            try sendPending(on: work)
            if ContinuousClock.now >= nextExpiry {
                try expire(work: work)
                try removeFinished()
                nextExpiry = .now + .milliseconds(100)
            }
            inFlight.record(table.count)
        }
    }

    /// While draining: true once everything accepted is delivered, false once the deadline
    /// has passed, nil meanwhile. The journal's last done marks are made durable first.
    private func drainOutcome(now: ContinuousClock.Instant, deadline: ContinuousClock.Instant) throws -> Bool? {
        if table.isEmpty {
            try journal?.sync()
            logger.info("drained", metadata: ["accepted": "\(accepted)", "fsyncs": "\(journal?.syncs ?? 0)"])
            return true
        }
        guard now >= deadline else { return nil }
        try journal?.sync()
        logger.error(
            "drain timeout: items not delivered", metadata: ["accepted": "\(accepted)", "undelivered": "\(table.count)"])
        return false
    }

    /// Milliseconds to wait for sockets: short while journaled inputs wait for their fsync.
    private var pollTimeout: Int {
        guard let journal, journal.hasUnsynced else { return 50 }
        return min(50, max(0, ContinuousClock.now.duration(to: lastSync + configuration.fsyncInterval).milliseconds))
    }

    /// Reads what ingest, submit and requests hold, while the table has room.
    private func readInputs(ingest: Socket, submit: Socket?, requests: Socket?) throws {
        for _ in 0..<1000 {
            guard !isFull, let message = try ingest.receive(dontWait: true) else { break }
            admit(message)
        }
        if let requests {
            for _ in 0..<1000 {
                guard !isFull, let message = try requests.receive(dontWait: true) else { break }
                admit(Array(message.dropFirst()), replyTo: message[0])
            }
        }
        if let submit {
            for _ in 0..<1000 {
                guard !isFull, let message = try submit.receive(dontWait: true) else { break }
                try submitted(message, on: submit)
            }
        }
        if isFull { logger.debug("in-flight table full: holding ingest back", metadata: ["in_flight": "\(table.count)"]) }
    }

    /// Accepts an ingest message, or with `replyTo` (the requester's routing id) a request
    /// (every one is accepted: those that cannot be translated carry an error to the output).
    private func admit(_ frames: [[UInt8]], replyTo: [UInt8]? = nil) {
        metrics.inputs.increment()
        let admission = Admission(frames: frames, sequence: nextSequence, codec: codec, limits: configuration.limits)
        if let kind = admission.errorKind {
            metrics.error(kind)
            logger.debug("input rejected", metadata: ["sequence": "\(nextSequence)", "kind": "\(kind)"])
        }
        stage(admission, delivery: replyTo == nil ? .plain : .reply, replyTo: replyTo ?? [])
    }

    /// Takes a submission, `[routing id, client id, text]`: answers a known id again, rejects
    /// bad input at once, and accepts the rest (the acceptance goes out once it is durable).
    private func submitted(_ frames: [[UInt8]], on submit: Socket) throws {
        metrics.inputs.increment()
        let (peer, body) = (frames[0], Array(frames.dropFirst()))
        guard body.count == 2, !body[0].isEmpty else {
            metrics.error(body.count == 2 ? "empty_id" : "frame_count")
            let reason = body.count == 2 ? "client id is empty" : "submission has \(body.count) frames; expected 2 (client id, text)"
            return try reply(on: submit, to: peer, SubmitReply.rejected(clientID: body.count == 2 ? body[0] : [], reason: reason))
        }
        if let state = submissions[body[0]] { return try answerAgain(body[0], state: state, peer: peer, on: submit) }
        let admission = Admission(frames: body, sequence: nextSequence, codec: codec, limits: configuration.limits)
        if let kind = admission.errorKind, case .error(let reason) = admission.payload {
            metrics.error(kind)
            return try reply(on: submit, to: peer, SubmitReply.rejected(clientID: body[0], reason: reason))
        }
        submissions.accept(body[0], sequence: nextSequence)
        stage(admission, delivery: .acknowledged)
        awaitingSync.append((peer, body[0]))
    }

    /// Answers a resubmitted id: accepted, once its input is durable.
    private func answerAgain(_ clientID: [UInt8], state: SubmissionIndex.State, peer: [UInt8], on submit: Socket) throws {
        if case .pending(let sequence) = state, let first = staged.first, sequence >= first.sequence {
            awaitingSync.append((peer, clientID))
        } else {
            try reply(on: submit, to: peer, SubmitReply.accepted(clientIDs: [clientID]))
        }
    }

    /// Gives an admitted input the next sequence number and journals it (or, without a
    /// journal, puts it in the table at once).
    private func stage(_ admission: Admission, delivery: PipelineItem.Delivery, replyTo: [UInt8] = []) {
        accepted += 1
        // The low water is filled in at each send.
        let item = PipelineItem(
            epoch: epoch, sequence: nextSequence, lowWater: 0, delivery: delivery, replyTo: replyTo, clientID: admission.clientID,
            source: admission.source, payload: admission.payload)
        nextSequence += 1
        guard let journal else { return table.add(item) }
        journal.append(item)
        staged.append(item)
    }

    /// Makes what the journal was given durable, when the fsync interval has passed (or
    /// `force`), moves the staged inputs into the table and sends the acceptances due.
    private func syncJournal(answering submit: Socket?, force: Bool) throws {
        if let journal, journal.hasUnsynced, force || ContinuousClock.now >= lastSync + configuration.fsyncInterval {
            try journal.sync()
            lastSync = .now
            for item in staged { table.add(item) }
            staged.removeAll(keepingCapacity: true)
        }
        guard staged.isEmpty, let submit, !awaitingSync.isEmpty else { return }
        // One answer per submitter, naming its inputs in the order they came.
        var peers: [[UInt8]] = []
        var accepted: [ByteKey: [[UInt8]]] = [:]
        for (peer, clientID) in awaitingSync {
            if accepted[ByteKey(peer)] == nil { peers.append(peer) }
            accepted[ByteKey(peer), default: []].append(clientID)
        }
        for peer in peers { try reply(on: submit, to: peer, SubmitReply.accepted(clientIDs: accepted[ByteKey(peer)]!)) }
        awaitingSync.removeAll(keepingCapacity: true)
    }

    /// Sends a reply to submitter `peer`; one that is gone (or not reading) misses it and
    /// will submit again.
    private func reply(on submit: Socket, to peer: [UInt8], _ frames: [[UInt8]]) throws {
        do {
            _ = try submit.send([peer] + frames, dontWait: true)
        } catch where error.code == EHOSTUNREACH {
            logger.debug("submitter gone; reply dropped")
        }
    }

    /// Sends the pending inputs while the work socket takes them, up to
    /// ``TokenizerConfiguration/maxItemsPerMessage`` work items per message: an input of
    /// several sentences goes out as one item per sentence, over as many messages as that
    /// takes, so that its sentences spread over the workers.
    private func sendPending(on work: Socket) throws {
        let limit = configuration.maxItemsPerMessage
        while true {
            let inputs = table.pending(limit: limit)
            if inputs.isEmpty { return }
            let lowWater = table.lowWater
            // Work items not yet sent, each with the index of its input.
            var queued: [(input: Int, item: PipelineItem)] = []
            for (index, input) in inputs.enumerated() {
                queued += Self.workItems(for: input, lowWater: lowWater).map { (index, $0) }
                while queued.count >= limit || (index == inputs.count - 1 && !queued.isEmpty) {
                    let message = queued.prefix(limit).map(\.item)
                    guard try work.send(PipelineItem.frame(message, as: .work), dontWait: true) else {
                        // The inputs whose items all went out are sent; one cut short goes again whole.
                        return markSent(queued.first!.input)
                    }
                    metrics.outputs.increment(by: message.count)
                    queued.removeFirst(message.count)
                }
            }
            markSent(inputs.count)
        }
    }

    private func markSent(_ count: Int) {
        if count > 0 { table.markSent(count, now: .now) }
    }

    /// The work items of an input: the input itself, or one per sentence of a document.
    static func workItems(for input: PipelineItem, lowWater: UInt64) -> [PipelineItem] {
        var item = input
        item.lowWater = lowWater
        guard case .sentences(let lists) = input.payload else { return [item] }
        let text = Admission.splitter.split(input.source)
        precondition(text.sentences.count == lists.count, "a document splits the same way every time")
        return zip(text.sentences, lists).enumerated().map { index, pair in
            item.source = pair.0.text
            item.payload = .tokens(pair.1)
            item.part = SentencePart(index: index, count: lists.count, leading: index == 0 ? text.leading : "", trailing: pair.0.separator)
            return item
        }
    }

    /// Makes pending again what timed out at workers or at a silent sink, and sends it.
    private func expire(work: Socket) throws {
        let released = table.expire(now: .now, sinkTimeout: configuration.sinkTimeout)
        guard released > 0 else { return }
        redeliveries.increment(by: released)
        logger.debug("redelivering", metadata: ["items": "\(released)"])
        try sendPending(on: work)
    }

    /// Deletes finished journal segments and forgets done submissions past the retention time.
    private func removeFinished() throws {
        let now = Self.wallClockMilliseconds()
        submissions.expire(now: now)
        try journal?.removeFinished(now: now, retention: UInt64(configuration.retention.milliseconds))
    }

    private func handleAck(_ frames: [[UInt8]]) throws {
        do {
            guard frames.count == 1 else { throw FrameError.invalid(field: "message", reason: "\(frames.count) frames") }
            let ack = try Acknowledgement.decode(frames[0])
            // Acks for another run (a previous tokenizer) still say the sink is alive.
            let relevant = ack.epoch == epoch ? ack : Acknowledgement(epoch: epoch, sinkInstance: ack.sinkInstance, entries: [])
            done(table.apply(relevant, now: .now))
        } catch {
            metrics.error("malformed_ack")
            logger.warning("malformed ack dropped", metadata: ["problem": "\(error)"])
        }
    }

    /// Marks delivered items done in the journal and among the submissions.
    private func done(_ items: [PipelineItem]) {
        guard let journal, !items.isEmpty else { return }
        let now = Self.wallClockMilliseconds()
        journal.markDone(items.map(\.sequence), now: now)
        for item in items where item.delivery == .acknowledged { submissions.markDone(item.clientID, at: now) }
    }

    private static func wallClockMilliseconds() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1000)
    }
}
