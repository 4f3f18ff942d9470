import Foundation
import Logging
import Prometheus
import Testing

@testable import Telemetry

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The metrics endpoint over real HTTP on loopback.
@Suite struct MetricsServerTests {
    func get(_ port: UInt16, _ path: String) async throws -> (Int, String) {
        let url = URL(string: "http://127.0.0.1:\(port)\(path)")!
        let (data, response) = try await URLSession.shared.data(from: url)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    @Test func servesPrometheusTextAndHealth() async throws {
        let registry = PrometheusCollectorRegistry()
        let counter = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "seq2seq_inputs_total"), labels: [("stage", "test")])
        let healthy = HealthFlag()
        let server = try await MetricsServer.start(host: "127.0.0.1", port: 0, registry: registry, health: { healthy.value }, logger: Logger(label: "test"))
        defer { server.close() }
        #expect(server.port != 0)

        counter.increment(by: Int64(3))
        let (status, body) = try await get(server.port, "/metrics")
        #expect(status == 200)
        #expect(body.contains("# TYPE seq2seq_inputs_total counter"))
        #expect(body.contains("seq2seq_inputs_total{stage=\"test\"} 3"))

        #expect(try await get(server.port, "/healthz") == (200, "ok\n"))
        healthy.value = false
        #expect(try await get(server.port, "/healthz").0 == 503)
        #expect(try await get(server.port, "/nothing").0 == 404)
    }

    @Test func aPortInUseIsAnError() async throws {
        let registry = PrometheusCollectorRegistry()
        let first = try await MetricsServer.start(host: "127.0.0.1", port: 0, registry: registry, health: { true }, logger: Logger(label: "test"))
        defer { first.close() }
        await #expect(throws: (any Error).self) {
            try await MetricsServer.start(host: "127.0.0.1", port: first.port, registry: registry, health: { true }, logger: Logger(label: "test"))
        }
    }
}

extension MetricsServerTests {
    /// Closing the endpoint at a stage's stop is routine: FlyingFox's "server error" about
    /// the cancelled listener must not reach the log as an error.
    @Test func closingLogsNoError() async throws {
        let lines = LogLines()
        var logger = Logger(label: "test") { _ in lines }
        logger.logLevel = .trace
        let server = try await MetricsServer.start(host: "127.0.0.1", port: 0, registry: PrometheusCollectorRegistry(), health: { true }, logger: logger)
        server.close()
        for _ in 0..<200 where !lines.all.contains(where: { $0.message.contains("server error") }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        let shutdown = try #require(lines.all.first { $0.message.contains("server error") })
        #expect(shutdown.level == .debug)
        #expect(!lines.all.contains { $0.level >= .error })
    }
}

/// A log handler that keeps every line.
final class LogLines: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(level: Logger.Level, message: String)] = []
    var all: [(level: Logger.Level, message: String)] { lock.withLock { lines } }
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        lock.withLock { lines.append((event.level, "\(event.message)")) }
    }
}

final class HealthFlag: @unchecked Sendable {
    var value = true
}
