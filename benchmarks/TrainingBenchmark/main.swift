// Training throughput of the Swift Transformer on the batches of benchmarks/training_batches.py:
//
//     TrainingBenchmark BATCHES.json [--threads 2] [--shards 2]
//
// Each batch is computed in --shards parts side by side, each on threads/shards BLAS threads
// (TransformerTrainingStep), as `seq2seq train` does. The reference recipe's step (../shared/reference/train_marian_torch.py): label smoothing 0.1,
// dropout 0.1, backward, clipping at global norm 1, Adam (β₂ 0.98, ε 1e-9). One warm-up step
// on the first batch, then every batch once, timed; prints target tokens/s.
import Foundation
import Seq2Seq
import Tensor
import Training

struct Batch: Decodable {
    let sources: [[Int]]
    let labels: [[Int]]
}

struct Input: Decodable {
    let config: MarianConfig
    let batches: [Batch]
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: TrainingBenchmark BATCHES.json [--threads N]\n".utf8))
    exit(2)
}
keepLargeAllocationsInHeap()
let threads = arguments.firstIndex(of: "--threads").map { Int(arguments[$0 + 1])! } ?? 2
let shards = arguments.firstIndex(of: "--shards").map { Int(arguments[$0 + 1])! } ?? 2
BLAS.threads = max(1, threads / shards)
let input = try JSONDecoder().decode(Input.self, from: Data(contentsOf: URL(fileURLWithPath: arguments[1])))
let config = input.config
var rng = SeededGenerator(seed: 0)
var parameters = TransformerParameters(randomFor: TransformerLayout(config: config), using: &rng)
var adam = Adam(learningRate: 1e-4, beta2: 0.98, epsilon: 1e-9, for: parameters)
var dropout = SeededGenerator(seed: 1)

func step(_ batch: Batch) -> Int {
    let examples = zip(batch.sources, batch.labels).map {
        Example(source: $0, decoderInput: [config.decoderStartTokenID] + $1.dropLast(), labels: $1)
    }
    let pass = TransformerTrainingStep(
        parameters: parameters, batch: examples, shards: shards, labelSmoothing: 0.1, dropout: 0.1, seed: dropout.next())
    var grads = pass.gradients
    clipGlobalNorm(&grads, maxNorm: 1)
    adam.update(&parameters, with: grads)
    return pass.tokenCount
}

_ = step(input.batches[0])
let start = ContinuousClock.now
var tokens = 0
for batch in input.batches { tokens += step(batch) }
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
print(
    "seq2seq (\(shards) shards × \(BLAS.threads) BLAS threads): \(String(format: "%.0f", Double(tokens) / seconds)) target tokens/s "
        + "(\(tokens) tokens, \(input.batches.count) steps, \(String(format: "%.1f", seconds)) s)")
