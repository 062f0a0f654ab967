package import NIOCore
package import NoProofProtocol
import Synchronization

/// Exponential backoff for `Session/Authenticate`, per source address and per credential id:
/// after `freeFailures` failures in a row, each further attempt is refused with
/// RESOURCE_EXHAUSTED "retry after N ms" until a backoff passes that doubles with every
/// failure up to `maxBackoff`. A success resets both. Refused attempts check no secret and are
/// not counted. The clock is injected (tests move it).
package final class AuthenticationThrottle: Sendable {
    package struct Policy: Sendable {
        /// Failures in a row allowed before backing off.
        package var freeFailures: Int = 5
        /// The first backoff; each later failure doubles it.
        package var firstBackoff: TimeAmount = .milliseconds(250)
        package var maxBackoff: TimeAmount = .seconds(60)
        /// A key with no failure for this long starts over.
        package var forgetAfter: TimeAmount = .minutes(15)
        /// Most keys tracked (sources and credential ids); beyond, those not backing off are dropped.
        package var maxTracked: Int = 100_000

        package init() {}
    }

    private struct Entry {
        var failures: Int
        var lastFailure: NIODeadline
        var blockedUntil: NIODeadline
    }

    private enum Key: Hashable {
        case source(String)
        case credential(String)
    }

    package let policy: Policy
    private let now: @Sendable () -> NIODeadline
    private let entries = Mutex<[Key: Entry]>([:])

    package init(policy: Policy = Policy(), now: @escaping @Sendable () -> NIODeadline = { .now() }) {
        self.policy = policy
        self.now = now
    }

    /// RESOURCE_EXHAUSTED while `source` or `credentialID` is backing off, else nil.
    package func check(source: String, credentialID: String) -> RPCError? {
        let moment = now()
        return entries.withLock { entries -> RPCError? in
            for (key, what) in [(Key.credential(credentialID), "for this credential"), (Key.source(source), "from this address")] {
                guard let entry = entries[key], entry.blockedUntil > moment else { continue }
                let wait = (entry.blockedUntil - moment).nanoseconds
                let millis = (wait + 999_999) / 1_000_000
                return RPCError(
                    .resourceExhausted,
                    "too many failed authentications \(what) (\(entry.failures) in a row); retry after \(millis) ms (the wait doubles with each failure)")
            }
            return nil
        }
    }

    /// A wrong or unknown credential: counts against both keys.
    package func failed(source: String, credentialID: String) {
        let moment = now()
        entries.withLock { entries in
            if entries.count >= policy.maxTracked { entries = entries.filter { $0.value.blockedUntil > moment } }
            for key in [Key.credential(credentialID), Key.source(source)] {
                var entry = entries[key] ?? Entry(failures: 0, lastFailure: moment, blockedUntil: moment)
                if moment - entry.lastFailure >= policy.forgetAfter { entry.failures = 0 }
                entry.failures += 1
                entry.lastFailure = moment
                if entry.failures >= policy.freeFailures {
                    let doublings = min(entry.failures - policy.freeFailures, 30)
                    let backoff = min(policy.maxBackoff.nanoseconds, policy.firstBackoff.nanoseconds << doublings)
                    entry.blockedUntil = moment + .nanoseconds(backoff)
                }
                entries[key] = entry
            }
        }
    }

    /// Authenticated: both keys start over.
    package func succeeded(source: String, credentialID: String) {
        entries.withLock { entries in
            entries.removeValue(forKey: .credential(credentialID))
            entries.removeValue(forKey: .source(source))
        }
    }
}
