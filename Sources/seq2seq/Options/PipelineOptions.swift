import ArgumentParser
import Logging
import Pipeline
import Text

/// `--drain-timeout`: shared by every pipeline stage and `up`.
struct DrainOptions: ParsableArguments {
    @Option(help: "Seconds to finish in-flight work and flush output after SIGINT/SIGTERM.")
    var drainTimeout: Double = 30

    func validate() throws {
        guard drainTimeout >= 0 else { throw ValidationError("--drain-timeout must not be negative") }
    }

    var duration: Duration { .milliseconds(Int(drainTimeout * 1000)) }
    var arguments: [String] { ["--drain-timeout", "\(drainTimeout)"] }
}

/// How the tokenizer admits and redelivers: shared by `tokenizer` and `up`.
struct DeliveryOptions: ParsableArguments {
    @Option(help: "Most inputs accepted and not yet delivered; past it ingest is not read (backpressure).")
    var maxInFlight: Int = 1000

    @Option(help: "Most inputs out at workers at once (about 2 × workers × batch size keeps queues short and workers busy).")
    var maxDispatched: Int = 256

    @Option(help: "Most inputs in one message to a worker: fewer messages cost less CPU; small ones share work evenly among workers.")
    var maxItemsPerMessage: Int = 16

    @Option(help: "Milliseconds before an unacknowledged input is sent to a worker again (doubling per attempt, up to 8×).")
    var redeliverAfterMs: Int = 10000

    @Option(help: "Largest input in UTF-8 bytes; a larger one gets an error record.")
    var maxInputBytes: Int = 65536

    @Option(help: "Most sentences in one input; an input with more gets an error record.")
    var maxSentences: Int = 1000

    @Option(help: "Largest ingest frame in bytes (ZMQ_MAXMSGSIZE); a client sending a larger one is disconnected and that message gets no record.")
    var maxMessageBytes: Int = 1 << 20

    func validate() throws {
        guard maxInFlight >= 1 else { throw ValidationError("--max-in-flight must be at least 1") }
        guard maxDispatched >= 1 else { throw ValidationError("--max-dispatched must be at least 1") }
        guard (1...PipelineItem.maxItemsPerFrame).contains(maxItemsPerMessage) else {
            throw ValidationError("--max-items-per-message must be between 1 and \(PipelineItem.maxItemsPerFrame)")
        }
        guard redeliverAfterMs >= 1 else { throw ValidationError("--redeliver-after-ms must be at least 1") }
        guard maxMessageBytes >= 1 else { throw ValidationError("--max-message-bytes must be at least 1") }
        guard maxInputBytes >= 1 else { throw ValidationError("--max-input-bytes must be at least 1") }
        guard maxSentences >= 1 else { throw ValidationError("--max-sentences must be at least 1") }
    }

    /// A tokenizer configuration with these settings.
    func configuration(
        ingest: String, submit: String, work: String, acks: String, maxInputTokens: Int, drain: DrainOptions, journal: JournalOptions
    ) -> TokenizerConfiguration {
        var configuration = TokenizerConfiguration(ingest: ingest, work: work, acks: acks)
        configuration.submit = submit
        configuration.fsyncInterval = .milliseconds(journal.fsyncIntervalMs)
        configuration.retention = .milliseconds(Int(journal.retainDoneSeconds * 1000))
        configuration.limits = DocumentLimits(maxTokensPerSentence: maxInputTokens, maxBytes: maxInputBytes, maxSentences: maxSentences)
        configuration.maxInFlight = maxInFlight
        configuration.maxDispatched = maxDispatched
        configuration.maxItemsPerMessage = maxItemsPerMessage
        configuration.redeliveryTimeout = .milliseconds(redeliverAfterMs)
        configuration.maxMessageBytes = maxMessageBytes
        configuration.drainTimeout = drain.duration
        return configuration
    }

    var arguments: [String] {
        ["--max-in-flight", "\(maxInFlight)", "--max-dispatched", "\(maxDispatched)",
            "--max-items-per-message", "\(maxItemsPerMessage)", "--redeliver-after-ms", "\(redeliverAfterMs)", "--max-message-bytes", "\(maxMessageBytes)",
            "--max-input-bytes", "\(maxInputBytes)", "--max-sentences", "\(maxSentences)"]
    }
}

/// The tokenizer's journal: shared by `tokenizer` and `up`.
struct JournalOptions: ParsableArguments {
    @Option(help: "Directory of the tokenizer's journal: accepted inputs survive a crash and are replayed on start (off when not given).")
    var stateDir: String?

    @Option(help: "With --state-dir: least milliseconds between journal fsyncs; inputs accepted meanwhile share the next one.")
    var fsyncIntervalMs: Int = 2

    @Option(help: "Seconds a done acknowledged submission's id is remembered (and its journal kept): a resubmission within it is answered, not translated again.")
    var retainDoneSeconds: Double = 60

    @Option(help: "With --state-dir: bytes past which a journal segment file is closed and a new one begun.")
    var journalSegmentBytes: Int = 4 << 20

    func validate() throws {
        guard fsyncIntervalMs >= 0 else { throw ValidationError("--fsync-interval-ms must not be negative") }
        guard retainDoneSeconds >= 0 else { throw ValidationError("--retain-done-seconds must not be negative") }
        guard journalSegmentBytes >= 1 else { throw ValidationError("--journal-segment-bytes must be at least 1") }
    }

    /// The journal in --state-dir, opened and recovered; nil without it.
    func open(logger: Logger) throws -> Journal? {
        try stateDir.map { try Journal(directory: $0, segmentBytes: journalSegmentBytes, logger: logger) }
    }

    var arguments: [String] {
        (stateDir.map { ["--state-dir", $0] } ?? [])
            + ["--fsync-interval-ms", "\(fsyncIntervalMs)", "--retain-done-seconds", "\(retainDoneSeconds)",
                "--journal-segment-bytes", "\(journalSegmentBytes)"]
    }
}

/// How a worker batches: shared by `worker` and `up`.
struct BatchingOptions: ParsableArguments {
    @Option(help: "Most segments decoded together.")
    var batchSize: Int = 64

    @Option(help: "Milliseconds to wait for more segments once one has arrived.")
    var batchWaitMs: Int = 2

    func validate() throws {
        guard (1...PipelineItem.maxItemsPerFrame).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and \(PipelineItem.maxItemsPerFrame)")
        }
        guard batchWaitMs >= 0 else { throw ValidationError("--batch-wait-ms must not be negative") }
    }

    var arguments: [String] { ["--batch-size", "\(batchSize)", "--batch-wait-ms", "\(batchWaitMs)"] }
}

/// `--unordered`: shared by `sink` and `up`.
struct OrderOptions: ParsableArguments {
    @Flag(help: "Output each result as soon as it is ready instead of in ingest order.")
    var unordered = false

    var arguments: [String] { unordered ? ["--unordered"] : [] }
}

/// The acknowledgement endpoint: shared by `tokenizer` and `sink`.
struct AckEndpointOption: ParsableArguments {
    @Option(help: "Endpoint of the sink → tokenizer acknowledgement channel (the tokenizer binds it).")
    var acks: String = "tcp://127.0.0.1:5557"
}
