import ArgumentParser
import Foundation
import Logging
import Pipeline

extension Root {
    /// `seq2seq send`: pushes standard input to a pipeline, one message per line.
    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send standard input to a pipeline, one line per message.",
            discussion: """
                Without --acked, pushes each line to the ingest endpoint (default \
                tcp://127.0.0.1:5555), waiting while the pipeline holds ingest back. With --acked, \
                submits each line as [id, text] to the submit endpoint (default \
                tcp://127.0.0.1:5553), ids --id-prefix followed by the line number (from 1), sends again \
                what has no acceptance after --resend-after-ms, and exits 0 only once every line was \
                accepted. A line longer than --max-line-bytes is reported on standard error and not \
                sent (it would exceed the tokenizer's frame limit).
                """)

        @Option(help: "The endpoint to connect to (default: ingest, or submit with --acked).")
        var to: String?
        @Flag(help: "Acknowledged submission: every line is accepted (durable with the tokenizer's --state-dir) or the exit status says not.")
        var acked = false
        @Option(help: "With --acked: prefix of the line ids (default: random per run).")
        var idPrefix: String = String(UInt32.random(in: 0...UInt32.max), radix: 16) + "-"
        @Option(help: "With --acked: milliseconds before an unanswered line is sent again (doubling per attempt, up to 8×).")
        var resendAfterMs: Int = 2000
        @Option(help: "With --acked: most lines sent and not yet answered.")
        var window: Int = 1000
        @Option(help: "Longest line sent, in bytes (keep it within the tokenizer's --max-message-bytes).")
        var maxLineBytes: Int = 65536
        @Option(help: "Seconds to keep trying to deliver queued lines after the input ends (without --acked).")
        var linger: Double = 60
        @OptionGroup var curve: CurveOptions
        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            guard resendAfterMs >= 1 else { throw ValidationError("--resend-after-ms must be at least 1") }
            guard window >= 1 else { throw ValidationError("--window must be at least 1") }
        }

        func run() throws {
            StopFlag.installSignalHandlers()
            let logger = logging.makeLogger(label: "seq2seq.send")
            if acked { return try submitAll(logger: logger) }
            let sender = try Sender(
                endpoint: to ?? "tcp://127.0.0.1:5555", linger: .milliseconds(Int(linger * 1000)), curve: try curve.security())
            try forEachLine(logger: logger) { _, bytes in try sender.send([bytes], until: .signals) }
        }

        /// `--acked`: submits every line and waits for every answer.
        private func submitAll(logger: Logger) throws {
            let submitter = try Submitter(
                endpoint: to ?? "tcp://127.0.0.1:5553", resendAfter: .milliseconds(resendAfterMs), window: window,
                curve: try curve.security())
            let lines = try forEachLine(logger: logger) { number, bytes in
                try submitter.submit(Array((idPrefix + String(number)).utf8), bytes, until: .signals)
            }
            guard try submitter.finish(until: .signals) else { throw ExitCode(130) }
            for rejection in submitter.rejections {
                logger.warning("line \(String(decoding: rejection.clientID.dropFirst(idPrefix.utf8.count), as: UTF8.self)) rejected: \(rejection.reason)")
            }
            guard submitter.accepted == lines else {
                logger.error("\(lines - submitter.accepted) of \(lines) lines not accepted")
                throw ExitCode.failure
            }
        }

        /// Hands every line of standard input within --max-line-bytes, with its number from 1,
        /// to `send`; returns how many lines there were.
        @discardableResult
        private func forEachLine(logger: Logger, _ send: (Int, [UInt8]) throws -> Bool) throws -> Int {
            let reader = LineReader(fileDescriptor: STDIN_FILENO, maxLineBytes: maxLineBytes)
            var number = 0
            while let line = reader.next(wait: true) {
                number += 1
                switch line {
                case .tooLong(let bytes):
                    logger.warning("line \(number): \(bytes) bytes, more than --max-line-bytes \(maxLineBytes); not sent")
                case .text(let bytes):
                    guard try send(number, bytes) else { throw ExitCode(130) }
                }
            }
            return number
        }
    }
}
