import Hummingbird
import Logging
import Pipeline
import ServiceLifecycle

/// LibreTranslate's HTTP API on Hummingbird, translating through a ``Translating`` (the
/// pipeline's ``Requester``).
public struct TranslationServer: Sendable {
    public let host: String
    public let port: Int
    public let configuration: APIConfiguration
    public let translator: any Translating
    public let logger: Logger

    public init(host: String, port: Int, configuration: APIConfiguration, translator: any Translating, logger: Logger) {
        self.host = host
        self.port = port
        self.configuration = configuration
        self.translator = translator
        self.logger = logger
    }

    /// Serves until `stop` is requested (SIGINT/SIGTERM, or the `up` supervisor gone); then
    /// stops taking connections, lets the requests in progress finish and returns.
    public func run(until stop: StopFlag) async throws {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        if !configuration.corsOrigins.isEmpty { router.add(middleware: OriginPolicyMiddleware(origins: configuration.corsOrigins)) }
        router.add(middleware: ErrorMiddleware())
        TranslationRoutes(configuration: configuration, translator: translator, isStopping: { stop.isRequested }).register(on: router)
        let (host, logger) = (host, logger)
        let application = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "seq2seq"),
            onServerRunning: { channel in
                logger.info(
                    "http api listening",
                    metadata: ["address": "\(host):\(channel.localAddress?.port ?? 0)"])
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: application),
                    .init(service: StopWatcher(stop: stop), successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                logger: logger))
        try await group.run()
        logger.info("http api stopped")
    }
}

/// Returns once `stop` is requested, which shuts the service group down gracefully.
private struct StopWatcher: Service {
    let stop: StopFlag

    func run() async throws {
        while !stop.isRequested && !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
