/// Progress of a migration's copy, reported after each batch: rows of `table` copied so far of `total`.
package struct MigrationProgress: Sendable {
    package var table: String
    package var copied: Int
    package var total: Int
}
