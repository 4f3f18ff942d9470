import ArgumentParser
import Foundation
import Seq2Seq
import Text
import Training

extension Root {
    /// Scores a model's translations of a pairs file.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Translate the sources of source<TAB>target pairs and print BLEU.",
            discussion: """
                Prints corpus BLEU-4 as sacrebleu does (13a tokenizer, exp smoothing, its \
                `str(score)` line, starting `BLEU = 23.45`) and the mean of d2l's per-sentence \
                BLEU (k = 2). Hypotheses and references are compared as d2l-preprocessed tokens \
                (lower-cased, punctuation split) joined by spaces; --hypotheses and --references \
                write them, one per line, so that `sacrebleu REFS < HYPS` gives the same score.
                """)

        @OptionGroup var model: ModelOptions
        @Option(help: ArgumentHelp("Pairs to translate and score, one `source<TAB>target` per line.", valueName: "pairs.tsv"))
        var data: String?
        @OptionGroup var decoding: DecodingArguments
        @Flag(help: "Print the d2l book's four examples with their translations and d2l BLEU.")
        var examples = false
        @Option(help: ArgumentHelp("Write the translations, tokens joined by spaces, to this file.", valueName: "file"))
        var hypotheses: String?
        @Option(help: ArgumentHelp("Write the references, tokens joined by spaces, to this file.", valueName: "file"))
        var references: String?
        @Option(help: "Sentences decoded together.")
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
            let model = try model.loadGRU(logger: logger)
            let options = decoding.options
            if let data {
                let corpus = try ParallelCorpus(contentsOf: data)
                let pairs = corpus.pairs.filter { $0.source.count <= decoding.maxInputTokens }
                let tooLong = corpus.pairs.count - pairs.count
                if corpus.skipped.total + tooLong > 0 {
                    logger.warning(
                        "\(data): skipped \(corpus.skipped.total) lines (\(corpus.skipped)) and \(tooLong) sources over --max-input-tokens")
                }
                guard !pairs.isEmpty else { throw ValidationError("\(data): no pair within --max-input-tokens") }
                let result = evaluate(model, on: pairs, options: options, batchSize: batchSize)
                print(result.bleu.verboseDescription)
                print("d2l BLEU (k=2) mean = \(String(format: "%.4f", result.d2lMean)) over \(pairs.count) pairs")
                try hypotheses.map { try write(result.hypotheses, to: $0) }
                try references.map { try write(result.references, to: $0) }
            }
            if examples {
                let pairs = d2lExamples.map { SentencePair(source: tokenize($0.english), target: tokenize($0.french)) }
                let result = evaluate(model, on: pairs, options: options)
                for (example, translation) in zip(d2lExamples, result.hypotheses) {
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
