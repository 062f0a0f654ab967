package import NoProofSeals

/// Somewhere outside the data folder that keeps the audit log's signed heads (docs/AUDIT.md,
/// "Witnesses"): the next start, and `noproofd audit-verify`, check the trail against what a
/// witness kept, so deleting or rewriting records is found even by someone who can rewrite
/// every file in the data folder.
package protocol AuditWitness: Sendable {
    /// Where the witness is, for messages (a path, a URL).
    var name: String { get }
    /// Hands the witness a new head; returns once it is durable there. (Async, so that a witness
    /// over the network — the table of signed heads in PostgreSQL — blocks no thread.)
    func publish(_ head: SignedTreeHead) async throws
    /// The heads the witness holds, oldest first, and what could not be read.
    func heads() async throws -> (heads: [SignedTreeHead], unreadable: [String])
}

extension AuditWitness {
    /// The newest head the witness holds.
    package func latest() async throws -> SignedTreeHead? {
        try await heads().heads.max { ($0.treeSize, $0.timestampMillis) < ($1.treeSize, $1.timestampMillis) }
    }
}
