import ArgumentParser
import Logging
import Metrics
import Pipeline
import Prometheus
import Telemetry

/// `--metrics-port`: serve Prometheus metrics and a health check over HTTP.
struct MetricsOptions: ParsableArguments {
    @Option(help: "Serve Prometheus metrics at /metrics and a health check at /healthz on this TCP port (off when not given).")
    var metricsPort: Int?

    @Option(help: "Address the metrics endpoint binds to.")
    var metricsHost: String = "0.0.0.0"

    func validate() throws {
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be between 0 and 65535, not \(metricsPort)")
        }
    }

    /// Makes swift-metrics record into a Prometheus registry and serves it, when asked to.
    ///
    /// - Parameter health: whether the process is healthy, asked on each `/healthz`.
    /// - Returns: the running endpoint, or `nil` without `--metrics-port`.
    func start(health: @escaping @Sendable () -> Bool, logger: Logger) throws -> MetricsServer? {
        guard let metricsPort else { return nil }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets["seq2seq_batch_size"] = [1, 2, 4, 8, 16, 32, 64, 128, 256]
        factory.durationHistogramBuckets["seq2seq_decode_seconds"] = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        ]
        factory.durationHistogramBuckets["seq2seq_http_request_seconds"] = [
            .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
            .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
        do {
            return try MetricsServer.startBlocking(
                host: metricsHost, port: UInt16(metricsPort), registry: registry, health: health, logger: logger)
        } catch {
            throw ValidationError("cannot serve metrics on \(metricsHost):\(metricsPort): \(error)")
        }
    }

    /// What every pipeline stage does first: SIGINT/SIGTERM request a stop, logging is set
    /// up, and metrics are served (healthy until a stop is requested). It must come before
    /// any stage object exists: metrics created earlier would not be recorded.
    func startStage(label: String, logging: LoggingOptions) throws -> (logger: Logger, endpoint: MetricsServer?) {
        StopFlag.installSignalHandlers()
        let logger = logging.makeLogger(label: label)
        return (logger, try start(health: { !StopFlag.signals.isRequested }, logger: logger))
    }
}
