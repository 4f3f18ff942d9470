import ArgumentParser
import Foundation
import Seq2Seq
import Text
import Training

extension Root {
    /// Scores a model's translations of a pairs file.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Translate the sources of source<TAB>target pairs and print sacreBLEU and chrF.",
            discussion: """
                Translates each source as `translate` does and prints, as sacrebleu prints them, its \
                corpus BLEU (13a tokenizer, case-sensitive, exp smoothing) and chrF2 of the translations \
                against the targets as written: `sacrebleu REFS -m bleu chrf < HYPS` on the files that \
                --hypotheses and --references write gives the same scores. --d2l scores instead as the \
                d2l book does: BLEU on d2l-preprocessed tokens (lower-cased, punctuation split) and the \
                mean of d2l's per-sentence BLEU (k = 2); the files then hold those tokens.
                """)

        @OptionGroup var model: ModelOptions
        @Option(help: ArgumentHelp("Pairs to translate and score, one `source<TAB>target` per line.", valueName: "pairs.tsv"))
        var data: String?
        @OptionGroup var decoding: DecodingArguments
        @OptionGroup var compute: ComputeOptions
        @Flag(help: "Score on d2l-preprocessed tokens, with d2l's per-sentence BLEU, instead of sacreBLEU and chrF.")
        var d2l = false
        @Flag(help: "Print the d2l book's four examples with their translations and d2l BLEU.")
        var examples = false
        @Option(help: ArgumentHelp("Write the translations, one per line, to this file.", valueName: "file"))
        var hypotheses: String?
        @Option(help: ArgumentHelp("Write the references, one per line, to this file.", valueName: "file"))
        var references: String?
        @Option(help: "Pairs translated together.")
        var batchSize: Int = 64
        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            guard data != nil || examples else { throw ValidationError("give --data PAIRS.tsv, --examples, or both") }
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
            if data == nil && (hypotheses != nil || references != nil) {
                throw ValidationError("--hypotheses and --references need --data")
            }
        }

        func run() throws {
            let logger = logging.makeLogger(label: "seq2seq.eval")
            let (model, codec) = try model.load(computeType: try compute.resolved, logger: logger)
            let limits = DocumentLimits(maxTokensPerSentence: decoding.maxInputTokens)
            if let data {
                let corpus = try TextPairs(contentsOf: data)
                if corpus.skipped.total > 0 { logger.warning("\(data): skipped \(corpus.skipped.total) lines (\(corpus.skipped))") }
                let result = evaluate(model, codec: codec, on: corpus.pairs, options: decoding.options, limits: limits, batchSize: batchSize)
                for failure in result.failures.prefix(10) { logger.warning("pair \(failure.index + 1): \(failure.error); scored as empty") }
                if result.failures.count > 10 { logger.warning("\(result.failures.count) pairs could not be translated in all") }
                var written = (hypotheses: result.hypotheses, references: result.references)
                if d2l {
                    let scores = D2LScores(hypotheses: result.hypotheses, references: result.references)
                    print(scores.bleu.verboseDescription + " (on d2l tokens)")
                    print("d2l BLEU (k=2) mean = \(String(format: "%.4f", scores.mean)) over \(corpus.pairs.count) pairs")
                    written = (scores.hypotheses, scores.references)
                } else {
                    print(result.bleu.verboseDescription)
                    print(result.chrF)
                }
                try hypotheses.map { try write(written.hypotheses, to: $0) }
                try references.map { try write(written.references, to: $0) }
            }
            if examples {
                let pairs = d2lExamples.map { (source: $0.english, target: $0.french) }
                let result = evaluate(model, codec: codec, on: pairs, options: decoding.options, limits: limits)
                for (example, translation) in zip(d2lExamples, D2LScores(hypotheses: result.hypotheses, references: result.references).hypotheses) {
                    let score = d2lBLEU(prediction: translation, label: example.french, k: 2)
                    print("\(example.english) => \(translation), bleu \(String(format: "%.3f", score))")
                }
            }
        }

        private func write(_ lines: [String], to path: String) throws {
            try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
        }
    }
}
