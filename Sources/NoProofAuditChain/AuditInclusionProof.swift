/// What anyone needs to check that one record is in the audit trail's Merkle tree of `treeSize`
/// records (docs/AUDIT.md, "The tree"): the record, its predecessor's chain hash (to recompute its
/// chain hash from its fields), its stored chain hash and the RFC 9162 audit path. Plain values:
/// every `AuditTrail` backend gives the same proof for the same trail.
package struct AuditInclusionProof: Sendable, Hashable {
    package var record: AuditRecord
    package var previousChainHash: [UInt8]
    package var chainHash: [UInt8]
    package var treeSize: UInt64
    package var path: [[UInt8]]

    package init(record: AuditRecord, previousChainHash: [UInt8], chainHash: [UInt8], treeSize: UInt64, path: [[UInt8]]) {
        self.record = record
        self.previousChainHash = previousChainHash
        self.chainHash = chainHash
        self.treeSize = treeSize
        self.path = path
    }
}
