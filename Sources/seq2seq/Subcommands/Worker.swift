import ArgumentParser
import Metrics
import Pipeline
import Tensor

extension Root {
    /// `seq2seq worker`: a decoder of the pipeline; run as many as there are cores.
    struct WorkerStage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "worker",
            abstract: "Pipeline stage 2: decode batches of work from the tokenizer and send results to the sink.",
            discussion: """
                Connects PULL to --work and PUSH to --results, so any number of workers may join or \
                leave at any time, on any host. Takes what is queued, up to --batch-size, waiting at \
                most --batch-wait-ms for more, and decodes it as one batch. Set OPENBLAS_NUM_THREADS=1 \
                and run one worker per core.
                """)

        @OptionGroup var model: ModelOptions
        @Option(help: "The tokenizer's work endpoint to connect to.")
        var work: String
        @Option(help: "The sink's results endpoint to connect to.")
        var results: String
        @OptionGroup var batching: BatchingOptions
        @OptionGroup var decoding: DecodingArguments
        @OptionGroup var compute: ComputeOptions
        @OptionGroup var curve: CurveOptions
        @OptionGroup var drain: DrainOptions
        @OptionGroup var metrics: MetricsOptions
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            let (logger, metricsEndpoint) = try metrics.startStage(label: "seq2seq.worker", logging: logging)
            defer { metricsEndpoint?.close() }
            let (model, _) = try model.load(computeType: try compute.resolved, logger: logger)
            Gauge(label: "seq2seq_compute", dimensions: [("type", "\(try compute.resolved)"), ("isa", CPUFeatures.isa), ("kernels", CPUFeatures.vectorKernels)]).record(1)
            var configuration = WorkerConfiguration(work: work, results: results, decoding: decoding.options)
            configuration.batchSize = batching.batchSize
            configuration.batchWait = .milliseconds(batching.batchWaitMs)
            configuration.drainTimeout = drain.duration
            configuration.curve = try curve.security()
            try Worker(model: model, configuration: configuration, logger: logger).run(until: .signals)
        }
    }
}
