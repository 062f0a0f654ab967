package import NoProofDomain

/// What `LicenceStore.importBatch` did with each row of a batch.
package struct ImportOutcome: Equatable, Sendable {
    /// A row of the batch that was refused.
    package struct Rejection: Equatable, Sendable {
        /// Index of the row in the batch passed to `importBatch`.
        package var index: Int
        /// Why it was refused.
        package var error: ValidationError

        /// Creates a rejection.
        package init(index: Int, error: ValidationError) {
            self.index = index
            self.error = error
        }
    }

    /// Rows whose identifier was new.
    package var inserted = 0
    /// Rows that differed from the stored current version and were recorded as a new version.
    package var updated = 0
    /// Rows identical to the stored current version (nothing written).
    package var unchanged = 0
    /// Rows refused (as far as they are listed: a server lists at most the first 1,000 of a call).
    package var rejected: [Rejection] = []
    /// Rows refused beyond those in `rejected`, which the server counted without listing them.
    package var rejectionsOmitted = 0

    /// An empty outcome.
    package init() {}

    /// Creates an outcome with the given counts.
    package init(inserted: Int, updated: Int, unchanged: Int, rejected: [Rejection] = [], rejectionsOmitted: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
        self.rejectionsOmitted = rejectionsOmitted
    }

    /// Total rows accounted for.
    package var total: Int { inserted + updated + unchanged + rejected.count + rejectionsOmitted }

    /// Adds `other`'s counts; its rejection indices are shifted by `indexOffset`.
    package mutating func merge(_ other: ImportOutcome, indexOffset: Int = 0) {
        inserted += other.inserted
        updated += other.updated
        unchanged += other.unchanged
        rejectionsOmitted += other.rejectionsOmitted
        rejected += other.rejected.map { Rejection(index: $0.index + indexOffset, error: $0.error) }
    }
}
