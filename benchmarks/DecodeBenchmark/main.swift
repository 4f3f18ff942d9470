// Decoding throughput of the Swift model, with the FLOPs it achieves next to the machine's
// single-core sgemm rate. Run through benchmarks/decode.sh.
import Foundation
import Logging
import Seq2Seq
import Tensor
import Text

struct Arguments {
    var model: String?
    var random: [Int]?  // E, H, L, source vocabulary, target vocabulary
    var save: String?
    var input = ""
    var batches = [1, 16, 64]
    var limit = 512
    var maxLen: Int?
    var computeType = ComputeType.float32

    init() {
        var it = CommandLine.arguments.dropFirst().makeIterator()
        while let flag = it.next() {
            guard let value = it.next() else { fatalError("\(flag) needs a value") }
            switch flag {
            case "--model": model = value
            case "--random": random = value.split(separator: ",").map { Int($0)! }
            case "--save": save = value
            case "--input": input = value
            case "--batches": batches = value.split(separator: ",").map { Int($0)! }
            case "--limit": limit = Int(value)!
            case "--max-len": maxLen = Int(value)!
            case "--compute-type":
                computeType = ComputeType(rawValue: value)!
                if let reason = computeType.unsupportedReason { print(reason); exit(1) }
            default: fatalError("unknown flag \(flag)")
            }
        }
    }
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Single-core sgemm rate at a square size and at the model's output-projection shape.
func sgemmRate(m: Int, n: Int, k: Int) -> Double {
    let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
    var c = [Float](repeating: 0, count: m * n)
    let repeats = max(1, Int(2e10 / Double(2 * m * n * k)))
    var best = Double.infinity
    for _ in 0..<3 {
        best = min(best, seconds {
            for _ in 0..<repeats {
                c.withUnsafeMutableBufferPointer { BLAS.gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: $0.baseAddress!, ldc: n) }
            }
        })
    }
    return 2 * Double(m * n * k) * Double(repeats) / best / 1e9
}

let args = Arguments()
BLAS.threads = 1
let logger = Logger(label: "bench")
let model: GRUModel
if let spec = args.random {
    let config = ModelConfig(
        embedSize: spec[0], numHiddens: spec[1], numLayers: spec[2], srcVocabSize: spec[3], tgtVocabSize: spec[4],
        maxLen: args.maxLen ?? 20)
    var rng = SeededGenerator(seed: 3)
    func vocabulary(_ n: Int) -> Vocabulary { try! Vocabulary(tokens: Vocabulary.reservedTokens + (4..<n).map { "w\($0)" }) }
    model = GRUModel(
        config: config, weights: Seq2SeqWeights(randomFor: config, using: &rng), sourceVocabulary: vocabulary(spec[3]),
        targetVocabulary: vocabulary(spec[4]), computeType: args.computeType)
    if let save = args.save {
        try GRUDirectory.save(
            config: config, weights: model.weights, sourceVocabulary: model.sourceVocabulary,
            targetVocabulary: model.targetVocabulary, to: save)
    }
} else {
    model = try GRUDirectory.load(args.model!, computeType: args.computeType, logger: logger)
}
let c = model.config
let (e, h, l, v) = (Double(c.embedSize), Double(c.numHiddens), Double(c.numLayers), Double(c.tgtVocabSize))
let maxLen = args.maxLen ?? c.maxLen
let lines = try String(contentsOfFile: args.input, encoding: .utf8).split(separator: "\n").prefix(args.limit).map(String.init)
// Sources use the model's vocabulary; for a random model with synthetic tokens, map words to ids by hash.
let sources: [[Int]] = lines.map { line in
    let tokens = tokenize(preprocess(line))
    if args.random == nil { return model.sourceIDs(tokens) }
    return tokens.map { 4 + Int(UInt(bitPattern: $0.hashValue) % UInt(c.srcVocabSize - 4)) } + [model.sourceVocabulary.eos]
}
/// FLOPs of the encoder per source token, of the context projection per sentence, and of the decoder per step.
let encoderPerToken = 2 * (e * 3 * h + h * 3 * h + (l - 1) * 2 * h * 3 * h)
let contextPerSentence = 2 * h * 3 * h
let decoderPerStep = 2 * (e * 3 * h + h * 3 * h + (l - 1) * 2 * h * 3 * h + h * v)

let square = sgemmRate(m: 1024, n: 1024, k: 1024)
let projection = sgemmRate(m: 64, n: c.tgtVocabSize, k: c.numHiddens)
print(String(format: "model: E=%d H=%d L=%d vocab %d/%d, max_len %d, %d sentences, 1 thread, %@ on %@",
             c.embedSize, c.numHiddens, c.numLayers, c.srcVocabSize, c.tgtVocabSize, maxLen, sources.count,
             args.computeType.rawValue, CPUFeatures.isa))
print(String(format: "sgemm roof (1 core): %.1f GFLOP/s at 1024^3, %.1f GFLOP/s at 64x%dx%d", square, projection, c.tgtVocabSize, c.numHiddens))
print("batch  sentences/s  target_tokens/s  GFLOP/s  %roof")
for batch in args.batches {
    var outputs: [[Int]] = []
    _ = model.decode(Array(sources.prefix(batch)), options: DecodingOptions(maxLength: maxLen))  // warm-up
    let time = seconds {
        outputs = stride(from: 0, to: sources.count, by: batch).flatMap { start in
            model.decode(Array(sources[start..<min(start + batch, sources.count)]), options: DecodingOptions(maxLength: maxLen)).map(\.ids)
        }
    }
    // Tokens as the PyTorch reference counts them: generated tokens, plus <eos> when it stopped early.
    let steps = outputs.map { $0.count + ($0.count < maxLen ? 1 : 0) }.reduce(0, +)
    let sourceTokens = sources.map(\.count).reduce(0, +)
    let flops = Double(steps) * decoderPerStep + Double(sourceTokens) * encoderPerToken + Double(sources.count) * contextPerSentence
    let gflops = flops / time / 1e9
    print(String(format: "%5d  %11.1f  %15.1f  %7.1f  %5.1f", batch, Double(sources.count) / time, Double(steps) / time, gflops, 100 * gflops / square))
}
