import FlyingFox
import FlyingSocks
import Foundation
import Logging
import Prometheus

/// An HTTP endpoint for operators: Prometheus text exposition at `GET /metrics` and a
/// health check at `GET /healthz` (200 `ok` while `health()` is true, else 503).
///
/// Runs on Swift concurrency's threads beside a stage's blocking loop; ``close()`` stops it.
public final class MetricsServer: Sendable {
    private let server: HTTPServer
    private let task: Task<Void, any Error>

    /// The TCP port it listens on (useful when started on port 0).
    public let port: UInt16

    /// Starts serving `registry` on `host:port` and returns once the socket listens.
    ///
    /// - Throws: when the address cannot be bound (for example, the port is in use).
    public init(
        host: String = "0.0.0.0", port: UInt16, registry: PrometheusCollectorRegistry,
        health: @escaping @Sendable () -> Bool, logger: Logger
    ) throws {
        let server = HTTPServer(address: try .inet(ip4: host, port: port), logger: LogAdapter(logger: logger))
        let ready = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        let task = Task {
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
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await server.run() }
                    group.addTask {
                        try await server.waitUntilListening(timeout: 10)
                        ready.signal()
                    }
                    try await group.waitForAll()
                }
            } catch {
                failure.error = error
                ready.signal()
                throw error
            }
        }
        ready.wait()
        if let error = failure.error { throw error }
        self.server = server
        self.task = task
        self.port = Self.port(of: try Self.listeningAddress(server)) ?? port
        logger.info("metrics endpoint listening", metadata: ["address": "\(host):\(self.port)"])
    }

    /// Stops serving.
    public func close() {
        task.cancel()
    }

    private static func listeningAddress(_ server: HTTPServer) throws -> Socket.Address? {
        let box = FailureBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.address = await server.listeningAddress
            done.signal()
        }
        done.wait()
        return box.address
    }

    private static func port(of address: Socket.Address?) -> UInt16? {
        switch address {
        case .ip4(_, let port), .ip6(_, let port): return port
        default: return nil
        }
    }
}

/// State handed back from the server's task.
private final class FailureBox: @unchecked Sendable {
    var error: (any Error)?
    var address: Socket.Address?
}

/// FlyingFox's log lines through swift-log (its info and debug chatter at debug level).
private struct LogAdapter: FlyingSocks.Logging {
    let logger: Logger
    func logDebug(_ debug: @autoclosure () -> String) { logger.trace("\(debug())") }
    func logInfo(_ info: @autoclosure () -> String) { logger.debug("\(info())") }
    func logWarning(_ warning: @autoclosure () -> String) { logger.warning("\(warning())") }
    func logError(_ error: @autoclosure () -> String) { logger.error("\(error())") }
    func logCritical(_ critical: @autoclosure () -> String) { logger.critical("\(critical())") }
}
