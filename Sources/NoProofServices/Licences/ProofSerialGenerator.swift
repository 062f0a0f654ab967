import Foundation
import Synchronization

/// Proof serial numbers, unique across restarts: "P" + the start time of this process in
/// milliseconds (base 36) + "-" + a counter.
final class ProofSerialGenerator: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init(startedAt: Date = Date()) {
        prefix = "P" + String(UInt64(startedAt.timeIntervalSince1970 * 1000), radix: 36, uppercase: true) + "-"
    }

    func next() -> String {
        prefix + String(counter.wrappingAdd(1, ordering: .relaxed).newValue)
    }
}
