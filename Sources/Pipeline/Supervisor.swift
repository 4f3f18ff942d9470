import Foundation
import Logging

/// What `seq2seq up` runs: the command lines of each stage.
public struct SupervisorConfiguration: Sendable {
    /// The `seq2seq` executable.
    public var executable: String
    /// Arguments of the tokenizer, the sink and each worker to keep running (subcommand first).
    public var tokenizer: [String]
    public var sink: [String]
    public var workers: [[String]]
    /// Arguments of front ends (the HTTP API): clients of the pipeline, stopped first.
    public var frontEnds: [[String]] = []
    /// How long the tokenizer, then the sink and workers, get to drain before being killed.
    public var drainTimeout: Duration
    /// Pause before restarting a stage that died.
    public var restartDelay: Duration = .milliseconds(200)

    public init(executable: String, tokenizer: [String], sink: [String], workers: [[String]], drainTimeout: Duration) {
        precondition(!workers.isEmpty, "up needs at least one worker")
        self.executable = executable
        self.tokenizer = tokenizer
        self.sink = sink
        self.workers = workers
        self.drainTimeout = drainTimeout
    }
}

/// Runs the stages as child processes, restarts any that dies, and on a stop request
/// drains them in order: the front ends first (they stop taking requests and finish those
/// in progress), then the tokenizer (it stops taking input and waits until all it accepted
/// is delivered), then the sink and the workers.
public final class Supervisor {
    /// One supervised process slot.
    private final class Child {
        let name: String
        let arguments: [String]
        var process: Process?
        var diedAt: ContinuousClock.Instant?

        init(name: String, arguments: [String]) {
            self.name = name
            self.arguments = arguments
        }
    }

    private let configuration: SupervisorConfiguration
    private let logger: Logger
    private let tokenizer: Child
    private let sink: Child
    private let workers: [Child]
    private let frontEnds: [Child]

    public init(configuration: SupervisorConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        tokenizer = Child(name: "tokenizer", arguments: configuration.tokenizer)
        sink = Child(name: "sink", arguments: configuration.sink)
        workers = configuration.workers.enumerated().map { Child(name: "worker \($0.offset + 1)", arguments: $0.element) }
        frontEnds = configuration.frontEnds.map { Child(name: $0.first ?? "front end", arguments: $0) }
    }

    /// Supervises until `stop` is requested, then drains.
    ///
    /// - Returns: true if the tokenizer and the sink drained cleanly (exit status 0).
    public func run(until stop: StopFlag) throws -> Bool {
        for child in [tokenizer, sink] + workers + frontEnds { try launch(child) }
        while !stop.isRequested {
            try keepAlive([tokenizer, sink] + workers + frontEnds)
            Thread.sleep(forTimeInterval: 0.05)
        }
        if !frontEnds.isEmpty {
            logger.info("stopping: finishing the front ends' requests")
            _ = try stopAll(frontEnds, keepingAlive: [tokenizer, sink] + workers)
        }
        logger.info("stopping: draining the tokenizer")
        let tokenizerClean = try stopAll([tokenizer], keepingAlive: [sink] + workers)
        logger.info("stopping the sink and the workers")
        let sinkClean = try stopAll([sink] + workers, keepingAlive: [])
        return tokenizerClean[0] && sinkClean[0]
    }

    /// Restarts, after the restart delay, every child that is not running.
    private func keepAlive(_ children: [Child]) throws {
        for child in children {
            guard let process = child.process, !process.isRunning else { continue }
            guard let diedAt = child.diedAt else {
                child.diedAt = .now
                logger.warning("\(child.name) died (\(Self.describe(process))); restarting")
                continue
            }
            if ContinuousClock.now - diedAt >= configuration.restartDelay { try launch(child) }
        }
    }

    /// Sends SIGTERM to `children` and waits for them, killing those still running after the
    /// drain timeout and a grace second; meanwhile keeps the others alive.
    ///
    /// - Returns: per child, whether it exited with status 0.
    private func stopAll(_ children: [Child], keepingAlive others: [Child]) throws -> [Bool] {
        for child in children where child.process?.isRunning == true { kill(child.process!.processIdentifier, SIGTERM) }
        let deadline = ContinuousClock.now + configuration.drainTimeout + .seconds(1)
        while children.contains(where: { $0.process?.isRunning == true }) && ContinuousClock.now < deadline {
            try keepAlive(others)
            Thread.sleep(forTimeInterval: 0.05)
        }
        return children.map { child in
            guard let process = child.process else { return false }
            if process.isRunning {
                logger.error("\(child.name) did not stop in time; killing it")
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return false
            }
            let clean = process.terminationReason == .exit && process.terminationStatus == 0
            if !clean { logger.error("\(child.name) stopped uncleanly (\(Self.describe(process)))") }
            return clean
        }
    }

    private func launch(_ child: Child) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: configuration.executable)
        process.arguments = child.arguments
        var environment = ProcessInfo.processInfo.environment
        environment[StopFlag.parentVariable] = String(getpid())
        // One thread per worker for OpenBLAS and for oneDNN's OpenMP: a worker per core is the unit of scale.
        for variable in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"] where environment[variable] == nil { environment[variable] = "1" }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        try process.run()
        child.process = process
        child.diedAt = nil
        logger.info("started \(child.name)", metadata: ["pid": "\(process.processIdentifier)"])
    }

    private static func describe(_ process: Process) -> String {
        process.terminationReason == .exit
            ? "exit status \(process.terminationStatus)" : "signal \(process.terminationStatus)"
    }
}
