import ArgumentParser
import Logging

/// `--log-level` and `--log-format`; logs go to standard error.
struct LoggingOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "Least severe level logged: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Log line format: text, or json for log collectors.")
    var logFormat: Format = .text

    /// Sets up the process's logging (once) and returns a logger for `label`.
    func makeLogger(label: String) -> Logger {
        let level = logLevel
        let format = logFormat
        LoggingBootstrap.once {
            LoggingSystem.bootstrap { label in
                var handler: any LogHandler
                switch format {
                case .text: handler = StreamLogHandler.standardError(label: label)
                case .json: handler = JSONLogHandler(label: label)
                }
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: label)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Bootstraps the logging system at most once per process.
enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false

    static func once(_ body: () -> Void) {
        guard !done else { return }
        done = true
        body()
    }
}
