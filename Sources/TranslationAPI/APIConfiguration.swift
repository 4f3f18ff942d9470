/// What the HTTP API serves and the limits it keeps.
public struct APIConfiguration: Sendable {
    /// The model's languages.
    public var languages: LanguagePair
    /// Most characters (Unicode scalars) of text in one request, all of `q` together.
    public var maxCharacters = 5000
    /// Longest a request waits for the pipeline before it is answered 503.
    public var requestTimeout: Duration = .seconds(30)
    /// When set, every `/translate` and `/detect` request needs one of these keys.
    public var apiKeys: APIKeys?
    /// Requests allowed per minute per API key, or per client address without one; nil: no limit.
    public var requestsPerMinute: Int?
    /// Origins whose browsers may call the API (`*` for any); none: no CORS headers.
    public var corsOrigins: [String] = []

    public init(languages: LanguagePair) {
        self.languages = languages
    }
}
