import ArgumentParser
import Foundation
import Pipeline

extension Root {
    /// `seq2seq up`: the whole pipeline in one command.
    struct Up: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the tokenizer, N workers and the sink as child processes; restart any that dies.",
            discussion: """
                Clients send to --ingest and read from --output (see `send` and `receive`), or, with \
                acknowledgements, submit to --submit and receive from --deliver (`send --acked`, \
                `receive --acked`; with --state-dir nothing acknowledged is lost). The stages \
                talk over ipc endpoints in a private temporary directory unless --work, --results and \
                --acks are given (e.g. tcp endpoints, so that workers on other hosts can join). On \
                SIGINT/SIGTERM stops taking input, drains everything in flight and exits 0. \
                With --http HOST:PORT also serves LibreTranslate's HTTP API (see `http`), a client of \
                the --requests and --replies endpoints, which ZeroMQ clients may use too.
                """)

        @OptionGroup var model: ModelOptions
        @Option(help: "Number of worker processes.")
        var workers: Int = 2
        @Option(help: "Endpoint clients send to.")
        var ingest: String = "tcp://127.0.0.1:5555"
        @Option(help: "Endpoint clients submit to with acknowledgement (see `send --acked`).")
        var submit: String = "tcp://127.0.0.1:5553"
        @Option(help: "Endpoint clients receive from.")
        var output: String = "tcp://127.0.0.1:5556"
        @Option(help: "Endpoint clients receive from with acknowledgement (see `receive --acked`).")
        var deliver: String = "tcp://127.0.0.1:5554"
        @Option(help: "Endpoint clients send requests to, answered on --replies (DEALER; see docs/PROTOCOL.md).")
        var requests: String = "tcp://127.0.0.1:5551"
        @Option(help: "Endpoint clients receive the records of their requests from (DEALER, same routing id).")
        var replies: String = "tcp://127.0.0.1:5552"
        @Option(help: "Also serve LibreTranslate's HTTP API on HOST:PORT (e.g. 127.0.0.1:5000).")
        var http: ListenAddress?
        @OptionGroup var api: HTTPOptions
        @Option(help: "Tokenizer → workers endpoint (default: ipc in a temporary directory).")
        var work: String?
        @Option(help: "Workers → sink endpoint (default: ipc in a temporary directory).")
        var results: String?
        @Option(help: "Sink → tokenizer acknowledgement endpoint (default: ipc in a temporary directory).")
        var acks: String?
        @OptionGroup var batching: BatchingOptions
        @OptionGroup var decoding: DecodingArguments
        @OptionGroup var compute: ComputeOptions
        @OptionGroup var delivery: DeliveryOptions
        @OptionGroup var journal: JournalOptions
        @OptionGroup var order: OrderOptions
        @OptionGroup var curve: CurveOptions
        @OptionGroup var drain: DrainOptions
        @Option(help: "Metrics ports from this one up: the tokenizer's, the sink's (+1), then each worker's (+1 + i), then the HTTP API's (+2 + workers).")
        var metricsPort: Int?
        @Option(help: "Address the stages' metrics endpoints bind to.")
        var metricsHost: String = "0.0.0.0"
        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
            if let metricsPort, metricsPort < 1 || metricsPort + 2 + workers > 65535 {
                throw ValidationError("--metrics-port must leave room for \(workers + 3) ports below 65536")
            }
            if curve.curveServer != nil {
                throw ValidationError("up takes no --curve-server: its stages share its key pair, each the others' server")
            }
        }

        func run() throws {
            StopFlag.installSignalHandlers()
            let logger = logging.makeLogger(label: "seq2seq.up")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seq2seq-up-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            func local(_ name: String) -> String { "ipc://\(directory.path)/\(name)" }
            let (work, results, acks) = (work ?? local("work"), results ?? local("results"), acks ?? local("acks"))

            var common = ["--log-level", logging.logLevel.rawValue, "--log-format", logging.logFormat.rawValue]
            let modelDirectory = try model.directory()
            common += ["--model", modelDirectory]
            // A model that cannot load is reported here, once, before any stage starts.
            _ = try model.load(computeType: try compute.resolved, logger: logger)
            // So are key files that cannot be used.
            let secured = try curve.security() != nil
            let exposed = LoopbackEndpoint.exposed([ingest, submit, output, deliver, work, results, acks, requests, replies])
            if !secured, !exposed.isEmpty {
                logger.warning(
                    "binding non-loopback addresses without CURVE: anyone who reaches them can send input, read output or take work; see --curve-secret",
                    metadata: ["endpoints": "\(exposed.joined(separator: " "))"])
            }
            common += curve.stageArguments
            let decodingArguments = decoding.arguments + (try compute.arguments)
            // With --metrics-port P: the tokenizer serves on P, the sink on P + 1, worker i on P + 1 + i.
            func metrics(_ offset: Int) -> [String] {
                metricsPort.map { ["--metrics-port", "\($0 + offset)", "--metrics-host", metricsHost] } ?? []
            }
            let worker = ["worker", "--work", work, "--results", results] + batching.arguments + decodingArguments + drain.arguments + common
            var configuration = SupervisorConfiguration(
                executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path,
                tokenizer: ["tokenizer", "--ingest", ingest, "--submit", submit, "--requests", requests, "--work", work, "--acks", acks, "--max-input-tokens", "\(decoding.maxInputTokens)"]
                    + delivery.arguments + journal.arguments + drain.arguments + common + metrics(0),
                sink: ["sink", "--results", results, "--output", output, "--deliver", deliver, "--replies", replies, "--acks", acks] + order.arguments + drain.arguments + common
                    + metrics(1),
                workers: (1...workers).map { worker + metrics(1 + $0) }, drainTimeout: drain.duration)
            if let http {
                // Checked here, so that a bad key file or model directory stops `up` before any stage starts.
                _ = try api.configuration(modelDirectory: modelDirectory)
                configuration.frontEnds = [
                    ["http", "--listen", "\(http)", "--requests", requests, "--replies", replies] + api.arguments + common
                        + metrics(2 + workers)
                ]
            }
            logger.info(
                "up",
                metadata: [
                    "ingest": "\(ingest)", "submit": "\(submit)", "output": "\(output)", "deliver": "\(deliver)", "workers": "\(workers)",
                    "requests": "\(requests)", "replies": "\(replies)", "http": "\(http?.description ?? "none")",
                    "state_dir": "\(journal.stateDir ?? "none")", "curve": "\(secured)",
                ])
            guard try Supervisor(configuration: configuration, logger: logger).run(until: .signals) else { throw ExitCode.failure }
        }
    }
}
