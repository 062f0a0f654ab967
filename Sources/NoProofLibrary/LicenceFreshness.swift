package import NoProofDomain
package import NoProofLicenceStore
import Synchronization

/// Keeps a cache in front of a shared store (`LicenceChangeFeed`, PostgreSQL with several
/// noproofd instances) from answering with what another instance has changed: before an answer
/// comes from the cache, a check that *started after the caller asked* reads the holders changed
/// since the last check and drops them from the cache. A revocation committed anywhere before a
/// lookup began is therefore never served from the cache.
///
/// Checks are coalesced: callers arriving while a check runs wait for the next one, which then
/// serves all of them with one query, so under load the cost is one round trip per batch of
/// lookups, not per lookup. A check that fails fails its callers (`.unavailable`): a cache that
/// cannot be confirmed fresh is not used.
package final class LicenceFreshness: Sendable {
    private struct State {
        /// The newest change applied to the cache.
        var watermark: Int64
        /// Whether a check is running.
        var running = false
        /// Callers waiting for the next check to start.
        var waiting: [@Sendable (NoProofError?) -> Void] = []
        var checks: UInt64 = 0
    }

    private let state: Mutex<State>
    private let feed: any LicenceChangeFeed
    private let cache: LicenceCache

    package init(feed: any LicenceChangeFeed, cache: LicenceCache, watermark: Int64) {
        self.feed = feed
        self.cache = cache
        self.state = Mutex(State(watermark: watermark))
    }

    /// Starts from the store's newest change: call before the cache is first filled.
    package static func start(feed: any LicenceChangeFeed, cache: LicenceCache) async throws(NoProofError) -> LicenceFreshness {
        let now = try await feed.changes(after: Int64.max)
        return LicenceFreshness(feed: feed, cache: cache, watermark: now.latest)
    }

    /// The newest change applied to the cache.
    package var watermark: Int64 { state.withLock { $0.watermark } }

    /// How many checks have run (each serves every caller that was waiting when it started).
    package var checks: UInt64 { state.withLock { $0.checks } }

    /// Calls `body` once a check that started after this call has brought the cache up to date,
    /// with nil, or with the error that check met.
    package func whenFresh(_ body: @escaping @Sendable (NoProofError?) -> Void) {
        let start = state.withLock { state -> Bool in
            state.waiting.append(body)
            if state.running { return false }
            state.running = true
            return true
        }
        if start { runCheck() }
    }

    /// `whenFresh` for async callers.
    package func ensureFresh() async throws(NoProofError) {
        let error: NoProofError? = await withCheckedContinuation { continuation in
            whenFresh { continuation.resume(returning: $0) }
        }
        if let error { throw error }
    }

    private func runCheck() {
        let (batch, after) = state.withLock { state in
            let batch = state.waiting
            state.waiting = []
            state.checks += 1
            return (batch, state.watermark)
        }
        Task {
            var failure: NoProofError?
            do throws(NoProofError) {
                apply(try await feed.changes(after: after))
            } catch {
                failure = NoProofError(
                    .unavailable, "the licence cache cannot be confirmed up to date with the shared store: \(error.message)",
                    cause: error)
            }
            for body in batch { body(failure) }
            let again = state.withLock { state -> Bool in
                if state.waiting.isEmpty {
                    state.running = false
                    return false
                }
                return true
            }
            if again { runCheck() }
        }
    }

    private func apply(_ changes: LicenceChanges) {
        if changes.complete {
            for holder in changes.holders { cache.invalidate(holder: holder) }
        } else {
            cache.invalidateAll()
        }
        state.withLock { $0.watermark = max($0.watermark, changes.latest) }
    }
}
