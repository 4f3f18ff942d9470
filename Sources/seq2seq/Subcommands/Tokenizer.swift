import ArgumentParser
import Pipeline

extension Root {
    /// `seq2seq tokenizer`: the first pipeline stage.
    struct TokenizerStage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tokenizer",
            abstract: "Pipeline stage 1: take client messages, tokenize them and hand them to workers until delivered.",
            discussion: """
                Splits each input into sentences and sends each sentence to the workers as its own item \
                (the sink puts the translations back together with the text between them). Binds PULL on --ingest (one frame of text, or [client id, text]), ROUTER on --submit \
                (acknowledged submission: [client id, text] answered with an acceptance or a rejection), \
                ROUTER on --requests when given (records go back to the requester on the sink's --replies) \
                and PUSH on --work; keeps every input until the sink acknowledges it on --acks and sends \
                it again after --redeliver-after-ms. With --state-dir every accepted input is journaled \
                and durable before it is acknowledged or sent on, and what was not delivered is replayed \
                on start. On SIGINT/SIGTERM stops reading input and exits 0 once all it accepted is \
                delivered (1 if --drain-timeout passes first).
                """)

        @OptionGroup var model: ModelOptions
        @Option(help: "Endpoint to bind for client messages (PULL).")
        var ingest: String
        @Option(help: "Endpoint to bind for acknowledged submissions (ROUTER; DEALER clients).")
        var submit: String = "tcp://127.0.0.1:5553"
        @Option(help: "Endpoint to bind for requests whose records go back to the requester on the sink's --replies (ROUTER; DEALER clients; off when not given).")
        var requests: String?
        @Option(help: "Endpoint to bind for workers (PUSH).")
        var work: String
        @OptionGroup var ackEndpoint: AckEndpointOption
        @Option(help: "Longest sentence accepted, in source tokens; an input with a longer one gets an error record.")
        var maxInputTokens: Int = 200
        @OptionGroup var delivery: DeliveryOptions
        @OptionGroup var journal: JournalOptions
        @OptionGroup var curve: CurveOptions
        @OptionGroup var drain: DrainOptions
        @OptionGroup var metrics: MetricsOptions
        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            guard maxInputTokens >= 1 else { throw ValidationError("--max-input-tokens must be at least 1") }
        }

        func run() throws {
            let (logger, metricsEndpoint) = try metrics.startStage(label: "seq2seq.tokenizer", logging: logging)
            defer { metricsEndpoint?.close() }
            var configuration = delivery.configuration(
                ingest: ingest, submit: submit, work: work, acks: ackEndpoint.acks, maxInputTokens: maxInputTokens, drain: drain,
                journal: journal)
            configuration.curve = try curve.security()
            if configuration.curve == nil, !LoopbackEndpoint.exposed([ingest, submit, work, ackEndpoint.acks, requests]).isEmpty {
                logger.warning("binding a non-loopback address without CURVE: anyone who reaches it can send input or take work; see --curve-secret")
            }
            configuration.requests = requests
            let tokenizer = Tokenizer(
                codec: try model.loadCodec(), configuration: configuration, journal: try journal.open(logger: logger), logger: logger)
            guard try tokenizer.run(until: .signals) else { throw ExitCode.failure }
        }
    }
}
