import FlyingFox
import FlyingSocks
import Foundation
import Logging
import Prometheus
import Synchronization

/// An HTTP endpoint for operators: Prometheus text exposition at `GET /metrics` and a
/// health check at `GET /healthz` (200 `ok` while `health()` is true, else 503).
///
/// Runs on Swift concurrency's threads beside a stage's blocking loop; ``close()`` stops it.
public final class MetricsServer: Sendable {
    private let task: Task<Void, Never>
    private let log: LogAdapter

    /// The TCP port it listens on (useful when started on port 0).
    public let port: UInt16

    private init(task: Task<Void, Never>, port: UInt16, log: LogAdapter) {
        self.task = task
        self.port = port
        self.log = log
    }

    /// Starts serving `registry` on `host:port` and returns once the socket listens.
    ///
    /// - Throws: when the address cannot be bound (for example, the port is in use).
    public static func start(
        host: String = "0.0.0.0", port: UInt16, registry: PrometheusCollectorRegistry,
        health: @escaping @Sendable () -> Bool, logger: Logger
    ) async throws -> MetricsServer {
        let log = LogAdapter(logger: logger)
        let server = HTTPServer(address: try .inet(ip4: host, port: port), logger: log)
        await server.appendRoute("GET /metrics") { _ in
            HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: Data(registry.emitToBuffer()))
        }
        await server.appendRoute("GET /healthz") { _ in
            health()
                ? HTTPResponse(statusCode: .ok, body: Data("ok\n".utf8))
                : HTTPResponse(statusCode: .serviceUnavailable, body: Data("unhealthy\n".utf8))
        }
        let failure = Mutex<(any Error)?>(nil)
        let task = Task {
            do { try await server.run() } catch { failure.withLock { $0 = error } }
        }
        while !(await server.isListening) {
            if let error = failure.withLock({ $0 }) { throw error }
            try await Task.sleep(for: .milliseconds(5))
        }
        var bound = port
        if case .ip4(_, let p) = await server.listeningAddress { bound = p }
        logger.info("metrics endpoint listening", metadata: ["address": "\(host):\(bound)"])
        return MetricsServer(task: task, port: bound, log: log)
    }

    /// ``start(host:port:registry:health:logger:)`` for synchronous callers. Blocks the calling
    /// thread until the server listens, so never call it from a Swift concurrency task.
    public static func startBlocking(
        host: String = "0.0.0.0", port: UInt16, registry: PrometheusCollectorRegistry,
        health: @escaping @Sendable () -> Bool, logger: Logger
    ) throws -> MetricsServer {
        let result = Mutex<Result<MetricsServer, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let started = await Result {
                try await start(host: host, port: port, registry: registry, health: health, logger: logger)
            }
            result.withLock { $0 = started }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }

    /// Stops serving.
    public func close() {
        log.stopping.store(true, ordering: .relaxed)
        task.cancel()
    }
}

extension Result where Failure == any Error {
    /// The result of an async throwing body.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// FlyingFox's log lines through swift-log, one level down: its errors are mostly 404s, and
/// the "server error" it reports when ``MetricsServer/close()`` cancels it is no error.
private final class LogAdapter: FlyingSocks.Logging, Sendable {
    let logger: Logger
    let stopping = Atomic<Bool>(false)

    init(logger: Logger) { self.logger = logger }

    func logDebug(_ debug: @autoclosure () -> String) { logger.trace("\(debug())") }
    func logInfo(_ info: @autoclosure () -> String) { logger.debug("\(info())") }
    func logWarning(_ warning: @autoclosure () -> String) { logger.warning("\(warning())") }
    func logError(_ error: @autoclosure () -> String) { logger.debug("\(error())") }  // e.g. 404s
    func logCritical(_ critical: @autoclosure () -> String) {
        if stopping.load(ordering: .relaxed) {
            logger.debug("\(critical())")
        } else {
            logger.error("\(critical())")
        }
    }
}
