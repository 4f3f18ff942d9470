import ArgumentParser
import Foundation
import Logging
import Pipeline

extension Root {
    /// `seq2seq receive`: prints a pipeline's output.
    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the outputs of a pipeline: one translation (or JSON record) per line.",
            discussion: """
                Without --acked, pulls from the output endpoint (default tcp://127.0.0.1:5556). With \
                --acked, takes records from the deliver endpoint (default tcp://127.0.0.1:5554) and \
                acknowledges them once printed; a record sent again is never printed twice (see \
                --linger). Without \
                --json, an error record prints an empty line and a message on standard error, so \
                lines never shift. Runs until --count outputs have arrived, or until SIGINT/SIGTERM.
                """)

        @Option(help: "The endpoint to connect to (default: output, or deliver with --acked).")
        var from: String?
        @Flag(help: "Acknowledged delivery: acknowledge each record once printed.")
        var acked = false
        @Option(help: "Stop after this many outputs.")
        var count: Int?
        @Flag(help: "Print each output's JSON record instead of its translation.")
        var json = false
        @Option(help: "With --acked and --count: seconds to stay after the last record, acknowledging again records that come again after a sink or tokenizer restart (so that no later consumer gets them).")
        var linger: Double = 0
        @OptionGroup var curve: CurveOptions
        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            guard linger >= 0 else { throw ValidationError("--linger must not be negative") }
        }

        func run() throws {
            StopFlag.installSignalHandlers()
            let logger = logging.makeLogger(label: "seq2seq.receive")
            if acked {
                let receiver = try AcknowledgedReceiver(
                    endpoint: from ?? "tcp://127.0.0.1:5554", limit: count, curve: try curve.security())
                try printAll(
                    first: { try receiver.next(until: .signals) }, more: { try receiver.next(timeout: 0) },
                    printed: { try receiver.acknowledge() }, logger: logger)
                try receiver.acknowledgeRepeats(for: .milliseconds(Int(linger * 1000)))
            } else {
                let receiver = try Receiver(endpoint: from ?? "tcp://127.0.0.1:5556", curve: try curve.security())
                try printAll(first: { try receiver.next(until: .signals) }, more: { try receiver.next() }, printed: {}, logger: logger)
            }
        }

        /// Prints outputs until --count: each batch is one that `first` waits for and those
        /// `more` has at once (at most 256, so that acknowledgements keep pace), in one write,
        /// after which `printed` runs.
        private func printAll(
            first: () throws -> [UInt8]?, more: () throws -> [UInt8]?, printed: () throws -> Void, logger: Logger
        ) throws {
            var received = 0
            var text = ""
            while count.map({ received < $0 }) ?? true, let start = try first() {
                var frame: [UInt8]? = start
                var batch = 0
                while let current = frame {
                    received += 1
                    batch += 1
                    text += line(for: current, logger: logger) + "\n"
                    frame = (count.map({ received < $0 }) ?? true) && batch < 256 ? try more() : nil
                }
                FileHandle.standardOutput.write(Data(text.utf8))
                text = ""
                try printed()
            }
        }

        private func line(for frame: [UInt8], logger: Logger) -> String {
            if json { return String(decoding: frame, as: UTF8.self) }
            guard let record = try? OutputRecord(json: frame) else {
                logger.warning("output \(String(decoding: frame, as: UTF8.self)) is not a record")
                return ""
            }
            if let error = record.error { logger.warning("\(record.id ?? record.idBase64 ?? "?"): \(error)") }
            return record.translation ?? ""
        }
    }
}
