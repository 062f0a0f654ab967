package import NoProofAuditChain

/// What `noproofd migrate` copied and verified: rows per table on both sides, and the audit
/// evidence on both sides (the chain's head, the Merkle tree's size and root, the signed heads
/// checked, the denial log's entries).
package struct MigrationReport: Sendable {
    /// One table: the rows in the data folder and in PostgreSQL after the copy.
    package struct Table: Sendable, Equatable {
        package var name: String
        package var sourceRows: Int
        package var targetRows: Int
    }

    /// One side's audit evidence.
    package struct Evidence: Sendable, Equatable {
        /// The chain's last record and its hash.
        package var head: AuditHead
        package var recordsChecked: Int
        /// The Merkle tree over every record.
        package var treeSize: UInt64
        package var treeRoot: [UInt8]
        /// Signed tree heads kept beside the trail, verified with the audit key and matched by the tree.
        package var signedHeadsChecked: Int
        package var signedHeadsMatched: Int
        /// Entries of the denial log whose chain verified.
        package var denialsChecked: Int
    }

    package var tables: [Table] = []
    package var source: Evidence?
    package var target: Evidence?
    package var seconds: Double = 0

    package var rowsCopied: Int { tables.reduce(0) { $0 + $1.targetRows } }
}
