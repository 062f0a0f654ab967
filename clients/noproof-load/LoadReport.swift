import Foundation
import Histogram

/// The result of a run, printed as a table or JSON.
struct LoadReport: Encodable {
    var workload: String
    var connections: Int
    var inFlight: Int
    /// --rate: the target calls/s (nil: as fast as the server answers).
    var targetRate: Double?
    var seconds: Double
    var calls: UInt64
    var callsPerSecond: Double
    var latencyMicros: [String: UInt64]
    /// Latency of the calls not shed (OK, NOT_FOUND...), and how many were shed.
    var servedCalls: UInt64
    var servedPerSecond: Double
    var servedLatencyMicros: [String: UInt64]
    var shed: UInt64
    var statuses: [String: UInt64]
    var unexpected: UInt64
    var serverCpuSeconds: Double?
    var serverCpuPercent: Double?
    var clientCpuPercent: Double

    init(
        options: LoadOptions, seconds: Double, histogram: Histogram<UInt64>, served: Histogram<UInt64>, statuses: [String: UInt64],
        unexpected: UInt64,
        serverCpu: Double?, clientCpu: Double
    ) {
        workload = options.workload
        connections = options.connections
        inFlight = options.inFlight
        targetRate = options.rate
        self.seconds = seconds
        calls = histogram.totalCount
        callsPerSecond = Double(histogram.totalCount) / seconds
        latencyMicros = [
            "p50": histogram.valueAtPercentile(50), "p90": histogram.valueAtPercentile(90),
            "p99": histogram.valueAtPercentile(99), "p99.9": histogram.valueAtPercentile(99.9), "max": histogram.max,
        ]
        servedCalls = served.totalCount
        servedPerSecond = Double(served.totalCount) / seconds
        servedLatencyMicros = [
            "p50": served.valueAtPercentile(50), "p99": served.valueAtPercentile(99), "max": served.max,
        ]
        shed = histogram.totalCount - served.totalCount
        self.statuses = statuses
        self.unexpected = unexpected
        serverCpuSeconds = serverCpu
        serverCpuPercent = serverCpu.map { $0 / seconds * 100 }
        clientCpuPercent = clientCpu / seconds * 100
    }

    func printTable() {
        let pace = targetRate.map { String(format: ", paced at %.0f calls/s (latency from each call's due time)", $0) } ?? ""
        print("workload      \(workload): \(connections) connections x \(inFlight) in flight\(pace), \(String(format: "%.1f", seconds)) s measured")
        print("throughput    \(Int(callsPerSecond)) calls/s (\(calls) calls)")
        let l = latencyMicros
        print("latency (µs)  p50 \(l["p50"]!)  p90 \(l["p90"]!)  p99 \(l["p99"]!)  p99.9 \(l["p99.9"]!)  max \(l["max"]!)")
        if shed > 0 {
            let s = servedLatencyMicros
            print(
                "shed          \(shed) calls (\(String(format: "%.1f", Double(shed) / Double(max(1, calls)) * 100))%); served \(Int(servedPerSecond)) calls/s, latency (µs) p50 \(s["p50"]!)  p99 \(s["p99"]!)  max \(s["max"]!)"
            )
        }
        print("statuses      " + statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        if let serverCpuPercent {
            print("CPU           server \(Int(serverCpuPercent))% of a core, load generator \(Int(clientCpuPercent))%")
        }
        if unexpected > 0 { print("UNEXPECTED    \(unexpected) calls failed unexpectedly") }
    }
}
