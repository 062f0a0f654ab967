package import NoProofUnits

/// The outcome of `UnitStore.loadLists`: per unit, the draft version written; and every problem
/// (from parsing and from loading), so a file can be corrected and loaded again.
package struct BulkLoadReport: Hashable, Sendable {
    /// One unit's result.
    package struct Loaded: Hashable, Sendable {
        /// The unit.
        package var unitCode: String
        /// The draft version now holding the file's content.
        package var version: Int
        /// Number of items written.
        package var itemCount: Int

        /// Creates a unit's result.
        package init(unitCode: String, version: Int, itemCount: Int) {
            self.unitCode = unitCode
            self.version = version
            self.itemCount = itemCount
        }
    }

    /// Units whose lists were written as drafts.
    package var loaded: [Loaded]
    /// Problems; units named here were not changed.
    package var problems: [BulkLoadProblem]

    /// Creates a report.
    package init(loaded: [Loaded] = [], problems: [BulkLoadProblem] = []) {
        self.loaded = loaded
        self.problems = problems
    }

    /// Whether every unit in the file was loaded.
    package var isClean: Bool { problems.isEmpty }
}
