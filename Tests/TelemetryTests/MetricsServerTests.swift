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

final class HealthFlag: @unchecked Sendable {
    var value = true
}
