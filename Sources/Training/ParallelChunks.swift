import Foundation

/// Runs `body` over `0..<count` cut into `chunks` contiguous ranges, side by side on as many
/// threads; one range when `count` is below `minimum` (not worth a thread).
///
/// The cut depends on `count` and `chunks` only, never on the machine, so a reduction that
/// combines per-chunk results in chunk order gives the same bits everywhere.
func forEachChunk(of count: Int, chunks: Int = 2, minimum: Int = 1 << 16, _ body: (Int, Range<Int>) -> Void) {
    let parts = count < minimum ? 1 : chunks
    let size = (count + parts - 1) / max(parts, 1)
    if parts == 1 {
        body(0, 0..<count)
        return
    }
    DispatchQueue.concurrentPerform(iterations: parts) { k in
        body(k, (k * size)..<min((k + 1) * size, count))
    }
}
