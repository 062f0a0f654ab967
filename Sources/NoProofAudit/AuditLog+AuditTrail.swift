package import NoProofAuditChain

/// The SQLite audit trail is the embedded `AuditTrail`. Its synchronous methods witness the
/// protocol's async reads: they read `audit.sqlite` on the caller's thread, as the services did
/// before the seam (a backend over the network implements them as real async calls).
extension AuditLog: SignedAuditTrail {
    package func verifyChain(anchor: AuditHead?) throws -> ChainVerification {
        try verifyChain(anchor: anchor, pageSize: AuditChain.pageSize)
    }
}
