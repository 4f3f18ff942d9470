import Foundation
import Tensor

/// Marian's static sinusoidal positions (transformers' `MarianSinusoidalPositionalEmbedding`):
/// for position `p` and `i < d/2`, with `ω_i = 1 / 10000^(2i/d)`, column `i` holds `sin(p·ω_i)`
/// and column `d/2 + i` holds `cos(p·ω_i)`: sines in the first half, cosines in the second.
/// Computed in double precision and rounded, as transformers does.
public enum SinusoidalPositions {
    /// The table for positions `0..<count`, `count × d`.
    public static func table(count: Int, width d: Int) -> Matrix {
        var table = Matrix(rows: count, cols: d)
        let half = d / 2
        for p in 0..<count {
            for i in 0..<half {
                let angle = Double(p) / pow(10000, Double(2 * i) / Double(d))
                table[p, i] = Float(sin(angle))
                table[p, half + i] = Float(cos(angle))
            }
        }
        return table
    }
}
