package import Logging
package import NIOCore
import Synchronization

/// Logs a recurring warning (connections shed, accept failing) at most once per interval,
/// with how many occurrences the quiet period swallowed: a flood must not become a log flood.
package final class RateLimitedLog: Sendable {
    private let interval: Int64
    private let nextAllowed = Atomic<Int64>(0)
    private let suppressed = Atomic<Int>(0)

    package init(interval: TimeAmount = .seconds(10)) {
        self.interval = interval.nanoseconds
    }

    package func warning(_ logger: Logger, _ message: @autoclosure () -> Logger.Message, metadata: @autoclosure () -> Logger.Metadata = [:]) {
        let now = Int64(NIODeadline.now().uptimeNanoseconds)
        let next = nextAllowed.load(ordering: .relaxed)
        guard now >= next, nextAllowed.compareExchange(expected: next, desired: now + interval, ordering: .relaxed).exchanged else {
            suppressed.add(1, ordering: .relaxed)
            return
        }
        var metadata = metadata()
        let swallowed = suppressed.exchange(0, ordering: .relaxed)
        if swallowed > 0 { metadata["not_logged_since_last"] = "\(swallowed)" }
        logger.warning(message(), metadata: metadata)
    }
}
