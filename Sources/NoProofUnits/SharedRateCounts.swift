/// The fixed-window lookup counts of the other instances sharing one database (a cluster), for
/// `RateLimiter`: it adds them to its own counts when it decides, and tells the exchange what it
/// counted itself. Both calls are made under the limiter's lock on the event loop: an
/// implementation answers from memory (no I/O) and exchanges counts in the background, so what it
/// reports lags the other instances by its reporting interval.
package protocol SharedRateCounts: Sendable {
    /// The lookups the other instances counted in `key`'s window, as last heard (0 when none).
    func othersCount(_ key: RateLimiter.WindowKey) -> Int
    /// This instance admitted one more lookup in each window of `keys`.
    func counted(_ keys: [RateLimiter.WindowKey])
}
