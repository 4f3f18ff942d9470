import Hummingbird

/// The request context of the API: Hummingbird's core storage and the client's address,
/// which the rate limit counts requests by when they carry no API key.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address (or socket path), when known.
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let address = source.channel.remoteAddress
        clientAddress = address?.ipAddress ?? address?.pathname
    }

    /// Bodies up to 1 MiB are read; past `--max-chars` a request is refused with 400 anyway.
    public var maxUploadSize: Int { 1 << 20 }
}
