import Foundation
import Logging
import Seq2Seq
import ZeroMQ

@testable import Pipeline

/// A tokenizer, a sink and workers running on threads of the test process, joined by ipc
/// sockets in a temporary directory, with a client on each end.
final class Harness {
    let directory: String
    let tokenizer: Tokenizer
    let sink: Sink
    let context: Context
    /// Client PUSH to ingest and PULL from output.
    let client: Socket
    let output: Socket
    private var running: [(flag: StopFlag, done: DispatchSemaphore)] = []
    /// The workers started, in order.
    private(set) var workers: [Worker] = []
    private let logger = Logger(label: "harness")

    func endpoint(_ name: String) -> String { "ipc://\(directory)/\(name)" }

    /// Stages joined in `directory`; with `stateDirectory`, the tokenizer journals there;
    /// without `consumer`, `output` is not connected until the test connects it.
    init(
        directory: String, workers: Int, unordered: Bool = false, redelivery: Duration = .seconds(10),
        stateDirectory: String? = nil, consumer: Bool = true
    ) throws {
        self.directory = directory
        var tokenizerConfiguration = TokenizerConfiguration(
            ingest: "ipc://\(directory)/ingest", work: "ipc://\(directory)/work", acks: "ipc://\(directory)/acks")
        tokenizerConfiguration.submit = "ipc://\(directory)/submit"
        tokenizerConfiguration.redeliveryTimeout = redelivery
        tokenizerConfiguration.maxInFlight = 200
        tokenizerConfiguration.drainTimeout = .seconds(1)
        tokenizer = Tokenizer(
            codec: Fixture.model.codec, configuration: tokenizerConfiguration,
            journal: try stateDirectory.map { try Journal(directory: $0, logger: Logger(label: "harness")) }, logger: logger)
        var sinkConfiguration = SinkConfiguration(
            results: "ipc://\(directory)/results", output: "ipc://\(directory)/output", acks: "ipc://\(directory)/acks")
        sinkConfiguration.deliver = "ipc://\(directory)/deliver"
        sinkConfiguration.consumerTimeout = .seconds(1)
        sinkConfiguration.unordered = unordered
        sinkConfiguration.drainTimeout = .seconds(1)
        sink = Sink(codec: Fixture.model.codec, configuration: sinkConfiguration, logger: logger)
        context = try Context()
        client = try Socket(context, type: .push)
        output = try Socket(context, type: .pull)
        for socket in [client, output] { try socket.set(.linger, 0) }
        try client.connect("ipc://\(directory)/ingest")
        if consumer { try output.connect("ipc://\(directory)/output") }
        start { [tokenizer] in _ = try tokenizer.run(until: $0) }
        start { [sink] in _ = try sink.run(until: $0) }
        for _ in 0..<workers { startWorker() }
    }

    /// Runs `body` on a new thread until its flag is raised; returns the flag.
    @discardableResult
    func start(_ body: @escaping (StopFlag) throws -> Void) -> StopFlag {
        let flag = StopFlag()
        let done = DispatchSemaphore(value: 0)
        Thread {
            do { try body(flag) } catch { Logger(label: "harness").error("stage failed: \(error)") }
            done.signal()
        }.start()
        running.append((flag, done))
        return flag
    }

    @discardableResult
    func startWorker() -> StopFlag {
        let configuration = WorkerConfiguration(
            work: endpoint("work"), results: endpoint("results"), decoding: DecodingOptions(maxLength: Fixture.model.config.maxLen))
        let worker = Worker(model: Fixture.model, configuration: configuration, logger: logger)
        workers.append(worker)
        return start { try worker.run(until: $0) }
    }

    /// A worker played by the test: `thief` takes work (PULL on the work endpoint), `liar`
    /// sends results (PUSH to the results endpoint).
    func impostorWorker() throws -> (thief: Socket, liar: Socket) {
        let thief = try Socket(context, type: .pull)
        try thief.set(.linger, 0)
        try thief.connect(endpoint("work"))
        let liar = try Socket(context, type: .push)
        try liar.set(.linger, 0)
        try liar.connect(endpoint("results"))
        return (thief, liar)
    }

    /// Receives `count` records, waiting at most a minute for each.
    func receive(_ count: Int) throws -> [OutputRecord] {
        try (0..<count).map { _ in
            guard let message = try output.receive(timeout: 60_000) else { throw HarnessError.noOutput }
            return try OutputRecord(json: message[0])
        }
    }

    /// Stops every stage (those started last first) and waits for their threads.
    func stop() {
        for stage in running.reversed() {
            stage.flag.request()
            stage.done.wait()
        }
        running = []
    }

    enum HarnessError: Error { case noOutput }
}
