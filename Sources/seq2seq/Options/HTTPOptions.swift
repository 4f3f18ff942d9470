import ArgumentParser
import Foundation
import TranslationAPI

/// The HTTP API's languages and limits: shared by `http` and `up`.
struct HTTPOptions: ParsableArguments {
    @Option(help: "Source language code for a model directory that names none (a GRU directory); an OPUS-MT directory's tokenizer_config.json names its own.")
    var sourceLanguage: String = "en"

    @Option(help: "Target language code for a model directory that names none.")
    var targetLanguage: String = "fr"

    @Option(help: "Most characters of text in one request (all of q together); more is refused with 400.")
    var maxChars: Int = 5000

    @Option(help: "Seconds a request waits for the pipeline before it is answered 503.")
    var requestTimeout: Double = 30

    @Option(help: "File of API keys, one per line: when given, /translate and /detect need one of them as api_key.")
    var apiKeys: String?

    @Option(help: "Requests allowed per minute per API key (with --api-keys) or per client address (off when not given).")
    var requestsPerMinute: Int?

    @Option(help: "Comma-separated origins whose browsers may call the API (CORS), or * for any (off when not given).")
    var corsOrigins: String?

    func validate() throws {
        guard maxChars >= 1 else { throw ValidationError("--max-chars must be at least 1") }
        guard requestTimeout > 0 else { throw ValidationError("--request-timeout must be positive") }
        if let requestsPerMinute, requestsPerMinute < 1 { throw ValidationError("--requests-per-minute must be at least 1") }
        if let apiKeys { _ = try keys(apiKeys) }
    }

    /// The API's configuration for the model in `modelDirectory` (its languages read, never
    /// its weights).
    func configuration(modelDirectory: String) throws -> APIConfiguration {
        let fallback = LanguagePair(source: sourceLanguage, target: targetLanguage)
        var configuration: APIConfiguration
        do {
            configuration = APIConfiguration(languages: try LanguagePair.of(modelDirectory: modelDirectory, fallback: fallback))
        } catch {
            throw ValidationError("cannot read the languages of \(modelDirectory): \(error.localizedDescription)")
        }
        configuration.maxCharacters = maxChars
        configuration.requestTimeout = .milliseconds(Int(requestTimeout * 1000))
        configuration.apiKeys = try apiKeys.map(keys)
        configuration.requestsPerMinute = requestsPerMinute
        configuration.corsOrigins = (corsOrigins ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return configuration
    }

    private func keys(_ path: String) throws -> APIKeys {
        do { return try APIKeys(file: path) } catch {
            throw ValidationError("--api-keys \(path): cannot read a key (\(error.localizedDescription))")
        }
    }

    var arguments: [String] {
        ["--source-language", sourceLanguage, "--target-language", targetLanguage, "--max-chars", "\(maxChars)",
            "--request-timeout", "\(requestTimeout)"]
            + (apiKeys.map { ["--api-keys", $0] } ?? []) + (requestsPerMinute.map { ["--requests-per-minute", "\($0)"] } ?? [])
            + (corsOrigins.map { ["--cors-origins", $0] } ?? [])
    }
}

/// A `HOST:PORT` address to listen on (`[::1]:5000` for IPv6).
struct ListenAddress: ExpressibleByArgument, CustomStringConvertible {
    var host: String
    var port: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        (self.host, self.port) = (host, port)
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
