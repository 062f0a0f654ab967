import Foundation

/// Timing of one cell: ns per operation over several rounds.
struct Measure {
    var rounds: [Double]

    var median: Double { rounds.sorted()[rounds.count / 2] }
    var description: String {
        let sorted = rounds.sorted()
        return String(format: "%.0f (%.0f-%.0f)", median, sorted.first!, sorted.last!)
    }

    /// Runs `a` and `b` (each performs `n` operations and returns a checksum) in alternating rounds
    /// after one warm-up round each, so both see the same machine state.
    static func alternate(_ a: (Int) -> Int, _ b: (Int) -> Int, iterations: Int, rounds: Int) -> (Measure, Measure) {
        var sink = a(iterations / 10) &+ b(iterations / 10)
        var ta: [Double] = [], tb: [Double] = []
        for _ in 0..<rounds {
            let (na, ca) = time { a(iterations) }
            let (nb, cb) = time { b(iterations) }
            sink = sink &+ ca &+ cb
            ta.append(na / Double(iterations))
            tb.append(nb / Double(iterations))
        }
        if sink == 42 { print("") }  // keeps the checksums alive
        return (Measure(rounds: ta), Measure(rounds: tb))
    }

    private static func time(_ body: () -> Int) -> (Double, Int) {
        let start = DispatchTime.now().uptimeNanoseconds
        let checksum = body()
        let end = DispatchTime.now().uptimeNanoseconds
        return (Double(end - start), checksum)
    }
}
