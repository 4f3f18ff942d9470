import ArgumentParser
import Foundation
import Seq2Seq
import Text

extension Root {
    /// Translates stdin to stdout, one line per line, streaming batch by batch.
    struct Translate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Translate lines from standard input, one output line per input line.",
            discussion: """
                Reads as many lines as are available, up to --batch-size, decodes them together \
                and prints their translations before reading on, so output streams. A line of \
                several sentences is translated sentence by sentence and put back together with \
                the text between them. An empty, over-long or undecodable line (or one with a \
                sentence over --max-input-tokens) gives an empty output line and a message on \
                standard error; later lines never shift.
                """)

        @OptionGroup var model: ModelOptions
        @OptionGroup var decoding: DecodingArguments
        @OptionGroup var compute: ComputeOptions
        @Option(help: "Most lines decoded together.")
        var batchSize: Int = 64
        @Flag(help: "Print the raw output tokens joined by spaces instead of detokenized text.")
        var tokens = false
        @Option(help: "Longest input line in bytes.")
        var maxLineBytes: Int = 65536
        @Option(help: "Most sentences in one line.")
        var maxSentences: Int = 1000
        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
            guard maxSentences >= 1 else { throw ValidationError("--max-sentences must be at least 1") }
        }

        func run() throws {
            let logger = logging.makeLogger(label: "seq2seq.translate")
            let (model, codec) = try model.load(computeType: try compute.resolved, logger: logger)
            let options = decoding.options
            let limits = DocumentLimits(maxTokensPerSentence: decoding.maxInputTokens, maxBytes: maxLineBytes, maxSentences: maxSentences)
            let splitter = SentenceSplitter()
            let reader = LineReader(fileDescriptor: STDIN_FILENO, maxLineBytes: maxLineBytes)
            var lineNumber = 0
            while let first = reader.next(wait: true) {
                var lines = [first]
                while lines.count < batchSize, let line = reader.next(wait: false) { lines.append(line) }
                // Each line: its sentences and their source ids, or why it cannot be translated.
                let documents: [Result<EncodedDocument, DocumentError>] = lines.map { line in
                    switch line {
                    case .tooLong(let bytes):
                        return .failure(.tooManyBytes(bytes: bytes, limit: maxLineBytes))
                    case .text(let bytes):
                        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.input(.invalidUTF8)) }
                        return Result { () throws(DocumentError) in try codec.encodeDocument(text, splitter: splitter, limits: limits) }
                    }
                }
                let render: ([Int]) -> String = { tokens ? codec.targetTokens($0).joined(separator: " ") : codec.decode($0) }
                var output = ""
                for result in model.translate(documents, options: options, render: render) {
                    lineNumber += 1
                    switch result {
                    case .success(let translation): output += translation
                    case .failure(let error): logger.warning("line \(lineNumber): \(lineError(error))")
                    }
                    output += "\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
            }
        }

        private func lineError(_ error: DocumentError) -> String {
            if case .tooManyBytes(let bytes, let limit) = error {
                return "line has \(bytes) bytes, more than --max-line-bytes \(limit); skipped"
            }
            return "\(error); skipped"
        }
    }
}
