package import Foundation
import Synchronization

/// A clock for tests: it stands still until a test sets or advances it. Pass `{ clock.now }`
/// wherever the code under test takes a `now` closure.
package final class TestClock: Sendable {
    private let value: Mutex<Date>

    /// A clock reading `start`.
    package init(_ start: Date) {
        value = Mutex(start)
    }

    /// What the clock reads.
    package var now: Date { value.withLock { $0 } }

    /// Moves the clock by `seconds` (backwards when negative).
    package func advance(by seconds: TimeInterval) {
        value.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date`.
    package func set(_ date: Date) {
        value.withLock { $0 = date }
    }
}
