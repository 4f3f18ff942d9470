/// Mini-batches of about `batchTokens` target tokens, similar lengths together: the examples
/// sorted by target length, then source length, then index (a stable, seed-free order), cut
/// whenever the next example would take the batch past `batchTokens` (a longer example gets
/// a batch of its own). As the PyTorch reference recipe batches.
///
/// - Returns: batches of example indices; every index exactly once.
public func tokenBatches(sourceLengths: [Int], targetLengths: [Int], batchTokens: Int) -> [[Int]] {
    precondition(sourceLengths.count == targetLengths.count && batchTokens >= 1)
    let order = targetLengths.indices.sorted {
        (targetLengths[$0], sourceLengths[$0], $0) < (targetLengths[$1], sourceLengths[$1], $1)
    }
    var batches: [[Int]] = []
    var current: [Int] = []
    var tokens = 0
    for i in order {
        if !current.isEmpty && tokens + targetLengths[i] > batchTokens {
            batches.append(current)
            (current, tokens) = ([], 0)
        }
        current.append(i)
        tokens += targetLengths[i]
    }
    if !current.isEmpty { batches.append(current) }
    return batches
}
