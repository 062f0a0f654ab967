import NoProofDomain
import Foundation

/// Draws ranks `0..<count` with Zipf-like probabilities (rank `k` proportional to
/// `1/(k+1)^exponent`), deterministically from a seed, in O(1) time and memory per draw.
///
/// Uses inversion of the continuous power-law density on `[1, count+1)`, which approximates the
/// discrete Zipf distribution closely enough for load generation.
package struct ZipfSampler: Sendable {
    /// Number of ranks.
    package let count: Int
    /// Zipf exponent `s` (> 0); 1 is the classic Zipf law.
    package let exponent: Double
    private var rng: SplitMix64
    private let upper: Double

    /// A sampler over `count` ranks (`count` ≥ 1).
    package init(count: Int, exponent: Double = 1.0, seed: UInt64) {
        precondition(count >= 1, "ZipfSampler needs at least one rank")
        precondition(exponent > 0, "Zipf exponent must be positive")
        self.count = count
        self.exponent = exponent
        self.rng = SplitMix64(seed: seed)
        self.upper = Double(count) + 1
    }

    /// The next rank, 0 being the most frequent.
    package mutating func next() -> Int {
        let u = rng.unit()
        let x: Double
        if abs(exponent - 1) < 1e-9 {
            x = pow(upper, u)
        } else {
            let a = 1 - exponent
            x = pow(1 + u * (pow(upper, a) - 1), 1 / a)
        }
        return min(max(Int(x) - 1, 0), count - 1)
    }
}
