/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast pseudo-random generator whose output
/// depends only on the seed, identical on every platform and Swift version. Used wherever demo
/// or load data must be reproducible; never for security.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    /// Current state.
    package private(set) var state: UInt64

    /// A generator starting at `seed`.
    package init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// A value in `0..<bound` (multiply-shift; bias is below 2⁻³² for demo-sized bounds).
    package mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A value in `range`.
    package mutating func between(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A double in `[0, 1)` with 53 random bits.
    package mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// `true` with probability `percent`/100.
    package mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// A uniformly chosen element of a non-empty array.
    package mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// The SplitMix64 output function: a bijective 64-bit mixer.
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for item `index` of stream `stream` under `seed`; different inputs give
    /// independent-looking sequences, so items can be derived without generating their predecessors.
    package static func derived(seed: UInt64, stream: UInt64, index: Int) -> SplitMix64 {
        SplitMix64(seed: mix(seed ^ mix(stream &* 0xD6E8_FEB8_6659_FD93 &+ UInt64(truncatingIfNeeded: index))))
    }
}
