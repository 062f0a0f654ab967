package import NoProofDomain

/// A licence store several noproofd instances share (PostgreSQL): every write also records which
/// holders it changed under one store-wide change sequence, so an instance can bring its cache up
/// to date before it answers from it (`LicenceFreshness` in NoProofLibrary). The sequence is
/// assigned in commit order: once a reader sees change N, every change before N is visible too.
package protocol LicenceChangeFeed: Sendable {
    /// The newest change and the holders changed after `sequence` (up to that newest one).
    func changes(after sequence: Int64) async throws(NoProofError) -> LicenceChanges
}

/// What `LicenceChangeFeed.changes(after:)` found.
package struct LicenceChanges: Sendable, Equatable {
    /// The newest change sequence (0 before the first write).
    package var latest: Int64
    /// Holder keys changed after the asked-for sequence, each once.
    package var holders: [String]
    /// False when changes after the asked-for sequence were already trimmed from the store: the
    /// holders listed are not all that changed, and a cache must drop everything.
    package var complete: Bool

    package init(latest: Int64, holders: [String], complete: Bool = true) {
        self.latest = latest
        self.holders = holders
        self.complete = complete
    }
}
