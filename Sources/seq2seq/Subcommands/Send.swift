import ArgumentParser
import Foundation
import Pipeline

extension Root {
    /// `seq2seq send`: pushes standard input to a pipeline, one message per line.
    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send standard input to a pipeline's ingest endpoint, one line per message.",
            discussion: """
                Waits while the pipeline holds ingest back. A line longer than --max-line-bytes is \
                reported on standard error and not sent (it would exceed the tokenizer's frame limit).
                """)

        @Option(help: "The ingest endpoint to connect to.")
        var to: String = "tcp://127.0.0.1:5555"
        @Option(help: "Longest line sent, in bytes (keep it within the tokenizer's --max-message-bytes).")
        var maxLineBytes: Int = 65536
        @Option(help: "Seconds to keep trying to deliver queued lines after the input ends.")
        var linger: Double = 60
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            StopFlag.installSignalHandlers()
            let logger = logging.makeLogger(label: "seq2seq.send")
            let sender = try Sender(endpoint: to, linger: .milliseconds(Int(linger * 1000)))
            let reader = LineReader(fileDescriptor: STDIN_FILENO, maxLineBytes: maxLineBytes)
            var lineNumber = 0
            while let line = reader.next(wait: true) {
                lineNumber += 1
                switch line {
                case .tooLong(let bytes):
                    logger.warning("line \(lineNumber): \(bytes) bytes, more than --max-line-bytes \(maxLineBytes); not sent")
                case .text(let bytes):
                    guard try sender.send([bytes], until: .signals) else { throw ExitCode(130) }
                }
            }
        }
    }
}
