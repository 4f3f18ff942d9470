import Hummingbird
import Logging
import Pipeline

/// The handlers of LibreTranslate's API over the pipeline: `/translate`, `/detect`,
/// `/languages`, `/health` and `/frontend/settings`.
struct TranslationRoutes: Sendable {
    let configuration: APIConfiguration
    let translator: any Translating
    let rateLimiter: RateLimiter?
    let isStopping: @Sendable () -> Bool

    init(configuration: APIConfiguration, translator: any Translating, isStopping: @escaping @Sendable () -> Bool) {
        self.configuration = configuration
        self.translator = translator
        self.isStopping = isStopping
        rateLimiter = configuration.requestsPerMinute.map(RateLimiter.init(perMinute:))
    }

    /// Adds the routes to `router`.
    func register(on router: Router<APIRequestContext>) {
        router.post("translate") { request, context in try await translate(request, context: context) }
        router.post("detect") { request, context in try await detect(request, context: context) }
        router.get("languages") { _, _ in languages() }
        router.post("languages") { _, _ in languages() }
        router.get("health") { _, _ in health() }
        router.get("frontend/settings") { _, _ in settings() }
    }

    /// `POST /translate`: `{"translatedText": …}`, an array for an array `q`, with
    /// `detectedLanguage` for `source=auto`.
    func translate(_ request: Request, context: APIRequestContext) async throws -> Response {
        let parameters = try await admit(request, context: context)
        let translation = try TranslateRequest(parameters, languages: configuration.languages, maxCharacters: configuration.maxCharacters)
        let layouts = translation.texts.map { TextLayout($0, format: translation.format) }
        let batch = layouts.flatMap(\.texts)
        let translated = try await pipelineTranslations(of: batch)
        var offset = 0
        let outputs = layouts.map { layout in
            let count = layout.texts.count
            defer { offset += count }
            return layout.rendered(with: translated[offset..<offset + count])
        }
        let detector = SourceDetector(language: configuration.languages.source)
        let detected = translation.detectSource ? translation.texts.map(detector.guess) : nil
        let body = TranslationJSON.encode(outputs, isArray: translation.isArray, detected: detected)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// `POST /detect`: `[{"confidence": …, "language": …}]`.
    func detect(_ request: Request, context: APIRequestContext) async throws -> Response {
        let parameters = try await admit(request, context: context)
        let texts: [String]
        switch parameters.values["q"] {
        case .string(let text)? where !text.isEmpty: texts = [text]
        case .strings(let list)? where !list.isEmpty: texts = list
        default: throw APIError.missing("q")
        }
        return JSONBody.response([SourceDetector(language: configuration.languages.source).detect(texts.joined(separator: "\n"))])
    }

    /// `GET|POST /languages`: the source language, which translates into the target, and the
    /// target, which translates into nothing here.
    func languages() -> Response {
        let pair = configuration.languages
        return JSONBody.response([
            ["code": pair.source, "name": LanguagePair.name(of: pair.source), "targets": [pair.target]],
            ["code": pair.target, "name": LanguagePair.name(of: pair.target), "targets": [String]()],
        ])
    }

    /// `GET /health`: `{"status": "ok"}`, or 503 once the server is stopping.
    func health() -> Response {
        isStopping() ? APIError(.serviceUnavailable, "stopping").response() : JSONBody.response(["status": "ok"])
    }

    /// `GET /frontend/settings`: what LibreTranslate's web front end and browser plugins read.
    func settings() -> Response {
        let pair = configuration.languages
        return JSONBody.response([
            "charLimit": configuration.maxCharacters, "keyRequired": configuration.apiKeys != nil,
            "apiKeys": configuration.apiKeys != nil, "suggestions": false, "filesTranslation": false,
            "supportedFilesFormat": [String](),
            "language": [
                "source": ["code": pair.source, "name": LanguagePair.name(of: pair.source)],
                "target": ["code": pair.target, "name": LanguagePair.name(of: pair.target)],
            ],
        ])
    }

    /// Reads a request's parameters and lets it through the key check and the rate limit.
    private func admit(_ request: Request, context: APIRequestContext) async throws -> RequestParameters {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let parameters = try RequestParameters(
            query: request.uri.query, body: Array(buffer: body), contentType: request.headers[.contentType])
        let key = parameters.string("api_key")
        if let keys = configuration.apiKeys, let refusal = keys.check(key) { throw refusal }
        if let rateLimiter {
            let client = configuration.apiKeys != nil && key != nil ? "key:\(key!)" : "address:\(context.clientAddress ?? "?")"
            guard rateLimiter.allow(client) else {
                throw APIError(.tooManyRequests, "Slowdown: too many requests; the limit is \(configuration.requestsPerMinute!) per minute")
            }
        }
        return parameters
    }

    /// The translations of `texts` through the pipeline, in order.
    ///
    /// - Throws: 503 when the pipeline does not answer in time or is gone; 400 for a text the
    ///   pipeline refuses (its reason); 500 for a record the pipeline could not make.
    private func pipelineTranslations(of texts: [String]) async throws -> [String] {
        let records: [OutputRecord]
        do {
            records = try await translator.translate(texts, timeout: configuration.requestTimeout)
        } catch let error as RequesterError {
            throw APIError(.serviceUnavailable, "Translation unavailable: \(error)")
        }
        return try records.map { record throws(APIError) in
            if let translation = record.translation { return translation }
            let reason = record.error ?? "no translation"
            throw reason.hasPrefix("malformed") ? APIError(.internalServerError, reason) : APIError(.badRequest, "Invalid request: \(reason)")
        }
    }
}
