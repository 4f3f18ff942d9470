import Hummingbird

/// The request context of the API: Hummingbird's core storage and the client's address,
/// which the rate limit counts requests by when they carry no API key.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    private let lookUpAddress: @Sendable () -> String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        lookUpAddress = { [channel = source.channel] in
            let address = channel.remoteAddress
            return address?.ipAddress ?? address?.pathname
        }
    }

    /// The client's IP address (or socket path), when known; looked up when asked for (only
    /// the rate limit needs it).
    public var clientAddress: String? { lookUpAddress() }

    /// Bodies up to 1 MiB are read; past `--max-chars` a request is refused with 400 anyway.
    public var maxUploadSize: Int { 1 << 20 }
}
