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
                Without --json, an error record prints an empty line and a message on standard error, \
                so lines never shift. Runs until --count outputs have arrived, or until SIGINT/SIGTERM.
                """)

        @Option(help: "The output endpoint to connect to.")
        var from: String = "tcp://127.0.0.1:5556"
        @Option(help: "Stop after this many outputs.")
        var count: Int?
        @Flag(help: "Print each output's JSON record instead of its translation.")
        var json = false
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            StopFlag.installSignalHandlers()
            let logger = logging.makeLogger(label: "seq2seq.receive")
            let receiver = try Receiver(endpoint: from)
            var received = 0
            var text = ""
            while count.map({ received < $0 }) ?? true, let first = try receiver.next(until: .signals) {
                var frame: [UInt8]? = first
                // Print what has arrived together in one write.
                while let current = frame {
                    received += 1
                    text += line(for: current, logger: logger) + "\n"
                    frame = count.map({ received < $0 }) ?? true ? try receiver.next() : nil
                }
                FileHandle.standardOutput.write(Data(text.utf8))
                text = ""
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
