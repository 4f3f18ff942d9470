import ArgumentParser
import Pipeline

extension Root {
    /// `seq2seq sink`: the last pipeline stage.
    struct SinkStage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sink",
            abstract: "Pipeline stage 3: detokenize results and send one JSON record per input, in ingest order.",
            discussion: """
                Binds PULL on --results, PUSH on --output (records of plain ingest) and ROUTER on \
                --deliver (records of acknowledged submissions, each delivered once its consumer \
                acknowledges it) and, when given, ROUTER on --replies (records of the tokenizer's \
                --requests, each to its requester); acknowledges to the tokenizer on --acks. Drops duplicates; outputs in \
                ingest order unless --unordered. On SIGINT/SIGTERM stops taking results and exits once \
                every ready output is handed to (or acknowledged by) a consumer (1 if --drain-timeout \
                passes first).
                """)

        @OptionGroup var model: ModelOptions
        @Option(help: "Endpoint to bind for worker results (PULL).")
        var results: String
        @Option(help: "Endpoint to bind for clients (PUSH).")
        var output: String
        @Option(help: "Endpoint to bind for acknowledged delivery (ROUTER; DEALER consumers).")
        var deliver: String = "tcp://127.0.0.1:5554"
        @Option(help: "Endpoint to bind for the records of requests, each sent to its requester (ROUTER; off when not given).")
        var replies: String?
        @OptionGroup var ackEndpoint: AckEndpointOption
        @OptionGroup var order: OrderOptions
        @OptionGroup var curve: CurveOptions
        @OptionGroup var drain: DrainOptions
        @OptionGroup var metrics: MetricsOptions
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            let (logger, metricsEndpoint) = try metrics.startStage(label: "seq2seq.sink", logging: logging)
            defer { metricsEndpoint?.close() }
            var configuration = SinkConfiguration(results: results, output: output, acks: ackEndpoint.acks)
            configuration.deliver = deliver
            configuration.replies = replies
            configuration.unordered = order.unordered
            configuration.drainTimeout = drain.duration
            configuration.curve = try curve.security()
            if configuration.curve == nil, !LoopbackEndpoint.exposed([results, output, deliver, replies]).isEmpty {
                logger.warning("binding a non-loopback address without CURVE: anyone who reaches it can read output or send results; see --curve-secret")
            }
            let sink = Sink(codec: try model.loadCodec(), configuration: configuration, logger: logger)
            guard try sink.run(until: .signals) else { throw ExitCode.failure }
        }
    }
}
