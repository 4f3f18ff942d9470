import ArgumentParser
import Dispatch
import Pipeline
import Synchronization
import TranslationAPI

extension Root {
    /// `seq2seq http`: LibreTranslate's HTTP API in front of a running pipeline.
    struct HTTP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "http",
            abstract: "Serve LibreTranslate's HTTP API (/translate, /detect, /languages, /health) through a running pipeline.",
            discussion: """
                A client of the pipeline like any other: each request's texts go to the tokenizer's \
                --requests endpoint and their records come back from the sink's --replies endpoint, \
                beside ZeroMQ clients. Reads only the model directory's languages (tokenizer_config.json, \
                or --source-language/--target-language), never its weights. `seq2seq up --http HOST:PORT` \
                runs it with the pipeline. The API is described in docs/openapi.yaml. On SIGINT/SIGTERM \
                stops taking connections, finishes the requests in progress and exits 0.
                """)

        @OptionGroup var model: ModelOptions
        @Option(help: "Address to serve HTTP on, HOST:PORT.")
        var listen: ListenAddress = ListenAddress(argument: "127.0.0.1:5000")!
        @Option(help: "The tokenizer's requests endpoint to connect to (DEALER).")
        var requests: String = "tcp://127.0.0.1:5551"
        @Option(help: "The sink's replies endpoint to connect to (DEALER).")
        var replies: String = "tcp://127.0.0.1:5552"
        @OptionGroup var api: HTTPOptions
        @OptionGroup var curve: CurveOptions
        @OptionGroup var metrics: MetricsOptions
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            let (logger, metricsEndpoint) = try metrics.startStage(label: "seq2seq.http", logging: logging)
            defer { metricsEndpoint?.close() }
            let configuration = try api.configuration(modelDirectory: try model.directory())
            let requester = try Requester(requests: requests, replies: replies, curve: try curve.security(), logger: logger)
            defer { requester.close() }
            let server = TranslationServer(
                host: listen.host, port: listen.port, configuration: configuration, translator: requester, logger: logger)
            let outcome = Mutex<Result<Void, any Error>?>(nil)
            let done = DispatchSemaphore(value: 0)
            Task {
                let result: Result<Void, any Error>
                do { result = .success(try await server.run(until: .signals)) } catch { result = .failure(error) }
                outcome.withLock { $0 = result }
                done.signal()
            }
            done.wait()
            do { try outcome.withLock { $0! }.get() } catch {
                logger.error("http api failed", metadata: ["problem": "\(error)"])
                throw ExitCode.failure
            }
        }
    }
}
