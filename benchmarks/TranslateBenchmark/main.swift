// Decoding throughput of any model directory (GRU or Transformer), one thread, timing only
// the decoding of text already encoded, as the rivals' benchmarks time theirs. Run through
// benchmarks/transformer.sh.
//
//   TranslateBenchmark --model DIR --input LINES.txt --batch B [--limit N] [--max-len N] [--beam K]
//                      [--compute-type float32|int8|bfloat16] [--out FILE]
//
// Prints one line: batch, sentences, target tokens (each sentence's tokens plus one for the
// end of sentence when it stopped by itself), seconds, tokens/s. `--out` writes the target
// pieces of each sentence, space-separated, one line per input.
import Foundation
import Logging
import Seq2Seq
import Tensor
import Text

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    guard flag.hasPrefix("--"), let value = arguments.next() else { fatalError("usage: --flag value ...; \(flag) has no value") }
    options[String(flag.dropFirst(2))] = value
}
guard let directory = options["model"], let input = options["input"], let batch = options["batch"].flatMap(Int.init) else {
    fatalError("--model, --input and --batch are required")
}
BLAS.threads = 1
let computeType = ComputeType(rawValue: options["compute-type"] ?? "float32") ?? { fatalError("--compute-type float32|int8|bfloat16") }()
if let reason = computeType.unsupportedReason { fatalError(reason) }
let (model, codec) = try ModelDirectory.load(directory, computeType: computeType, logger: Logger(label: "bench"))
let decoding = DecodingOptions(
    beamWidth: options["beam"].flatMap(Int.init) ?? 1, maxLength: options["max-len"].flatMap(Int.init))
let lines = try String(contentsOfFile: input, encoding: .utf8).split(separator: "\n")
    .prefix(options["limit"].flatMap(Int.init) ?? .max).map(String.init)
let sources = try lines.map { try codec.encode($0, maxTokens: .max) }

func decodeAll() -> [Hypothesis] {
    stride(from: 0, to: sources.count, by: batch).flatMap { start in
        model.decode(Array(sources[start..<min(start + batch, sources.count)]), options: decoding)
    }
}
_ = model.decode(Array(sources.prefix(batch)), options: decoding)  // warm-up
let start = DispatchTime.now().uptimeNanoseconds
let outputs = decodeAll()
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
let limits = sources.map { decoding.maxLength ?? model.defaultMaxLength(sourceLength: $0.count) }
let tokens = zip(outputs, limits).map { $0.ids.count + ($0.ids.count < $1 ? 1 : 0) }.reduce(0, +)
print(String(format: "batch %d: %@ on %@: %d sentences, %d target tokens in %.2f s: %.0f tokens/s", batch, computeType.rawValue, CPUFeatures.isa, sources.count, tokens, seconds, Double(tokens) / seconds))
if let out = options["out"] {
    try outputs.map { codec.targetTokens($0.ids).joined(separator: " ") + "\n" }.joined().write(toFile: out, atomically: true, encoding: .utf8)
}
