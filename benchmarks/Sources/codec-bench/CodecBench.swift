// Encode and decode cost of NoProof's codec layer (NoProofCodec: Swift values <-> protobuf-c) next
// to swift-protobuf on the same messages with the same content (issue 7).
//
//   swift run -c release --package-path benchmarks codec-bench [--iterations N] [--rounds R] [--json FILE]
//
// For each message and direction the two codecs run in alternating rounds of N operations; the
// figure is the median ns per operation over R rounds (the spread is printed too). Each decode reads
// every field the server reads, and every result feeds a checksum so no work is optimised away.
// Both codecs' encodings are decoded by the other first, so the benchmark also checks they agree.
import Foundation
import LicencesGRPC
import NoProofCodec
import NoProofMessages
import SwiftProtobuf

@main
struct CodecBench {
    static func main() throws {
        var iterations = 200_000
        var rounds = 7
        var jsonPath: String?
        var profileCell: String?
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--iterations": iterations = Int(arguments.next() ?? "") ?? iterations
            case "--rounds": rounds = Int(arguments.next() ?? "") ?? rounds
            case "--json": jsonPath = arguments.next()
            case "--profile": profileCell = arguments.next()
            case "-h", "--help":
                print("usage: codec-bench [--iterations N (200000)] [--rounds R (7)] [--json FILE] [--profile CELL]")
                print("  --profile CELL   run only NoProofCodec on one cell (e.g. LookupRequest/encode), or only swift-protobuf")
                print("                   (LookupRequest/encode/swift-protobuf), for perf record / perf stat")
                return
            default:
                FileHandle.standardError.write(Data("codec-bench: unknown argument \(argument); try --help\n".utf8))
                exit(64)
            }
        }
        let cases = try Sample.cases()
        if let profileCell {
            try profile(cases, cell: profileCell, iterations: iterations * rounds)
            return
        }
        print("codec-bench: \(iterations) operations x \(rounds) rounds per cell, median ns/op (min-max)")
        print(String(repeating: "-", count: 100))
        print(pad("message", 26) + pad("bytes", 7) + pad("direction", 10) + pad("NoProofCodec", 22) + pad("swift-protobuf", 22) + "ratio")
        var results: [[String: Any]] = []
        for sample in cases {
            for direction in ["encode", "decode"] {
                let ours = direction == "encode" ? sample.oursEncode : sample.oursDecode
                let theirs = direction == "encode" ? sample.theirsEncode : sample.theirsDecode
                let (a, b) = Measure.alternate(ours, theirs, iterations: iterations, rounds: rounds)
                let ratio = a.median / b.median
                print(pad(sample.name, 26) + pad("\(sample.size)", 7) + pad(direction, 10)
                      + pad(a.description, 22) + pad(b.description, 22) + String(format: "%.2fx", ratio))
                results.append([
                    "message": sample.name, "bytes": sample.size, "direction": direction,
                    "noproof_ns": a.median, "swift_protobuf_ns": b.median, "ratio": ratio,
                ])
            }
        }
        print(String(repeating: "-", count: 100))
        print("ratio = NoProofCodec time / swift-protobuf time (issue 7 target: at most 0.50x)")
        if let jsonPath {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: jsonPath))
        }
    }

    /// Runs NoProofCodec alone on one cell ("LookupRequest/encode"; the message name's first word),
    /// or swift-protobuf alone ("LookupRequest/encode/swift-protobuf"), so that a profiler (or
    /// `perf stat`, whose instruction counts stay meaningful on a busy machine) sees only one side.
    static func profile(_ cases: [Sample], cell: String, iterations: Int) throws {
        let parts = cell.split(separator: "/").map(String.init)
        guard parts.count == 2 || (parts.count == 3 && parts[2] == "swift-protobuf"),
              let sample = cases.first(where: { $0.name.hasPrefix(parts[0]) }),
              parts[1] == "encode" || parts[1] == "decode" else {
            throw Sample.Mismatch(description: "no cell \(cell): try LookupRequest/encode, ProofBody/decode/swift-protobuf, ...")
        }
        let theirs = parts.count == 3
        let body = parts[1] == "encode" ? (theirs ? sample.theirsEncode : sample.oursEncode)
            : (theirs ? sample.theirsDecode : sample.oursDecode)
        let start = DispatchTime.now().uptimeNanoseconds
        let checksum = body(iterations)
        let ns = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations)
        print(String(format: "%@: %.0f ns/op over %d operations (checksum %d)", cell, ns, iterations, checksum))
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
