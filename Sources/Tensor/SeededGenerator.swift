import Foundation

/// A small, fast, seedable random number generator (xoshiro256**, seeded by SplitMix64):
/// the same seed gives the same sequence on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform value in `[low, high)`.
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * Float(next() >> 40) / Float(1 << 24)
    }

    /// A standard normal value (Box–Muller).
    public mutating func normal() -> Float {
        let u1 = max(Double(next() >> 11) / Double(1 << 53), .leastNonzeroMagnitude)
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
    }
}

extension Matrix {
    /// A matrix of values drawn uniformly from `[low, high)`.
    public static func uniform(rows: Int, cols: Int, _ low: Float, _ high: Float, using rng: inout SeededGenerator) -> Matrix {
        Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in rng.uniform(low, high) })
    }

    /// A matrix of standard normal values.
    public static func normal(rows: Int, cols: Int, using rng: inout SeededGenerator) -> Matrix {
        Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in rng.normal() })
    }

    /// Xavier (Glorot) uniform initialisation of an `out × in` weight: `U(−a, a)` with
    /// `a = √(6 / (in + out))`, as `torch.nn.init.xavier_uniform_`.
    public static func xavierUniform(rows: Int, cols: Int, using rng: inout SeededGenerator) -> Matrix {
        let a = (6 / Float(rows + cols)).squareRoot()
        return uniform(rows: rows, cols: cols, -a, a, using: &rng)
    }
}
