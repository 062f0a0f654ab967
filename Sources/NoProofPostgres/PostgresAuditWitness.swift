import NoProofAudit
package import NoProofSeals

/// The audit witness in PostgreSQL (issue 18): the table of signed tree heads (`audit_signed_head`)
/// in the trail's database and schema, which every instance appends its heads to. noproofd on
/// PostgreSQL adds it beside any `--audit-witness` files, so that a start checks the shared trail
/// against the newest head any instance signed — an instance's own `audit-head` note knows only
/// its own appends — and a trail cut short or rewritten in the database is refused.
package struct PostgresAuditWitness: AuditWitness {
    private let database: PostgresStoreDatabase

    /// The witness in `database`'s schema (the table is created by `PostgresAuditTrail.open`).
    package init(_ database: PostgresStoreDatabase) {
        self.database = database
    }

    package var name: String { "PostgreSQL \(database.url) (schema \(database.schema), table audit_signed_head)" }

    package func publish(_ head: SignedTreeHead) async throws {
        try await PostgresAuditTrail.insertHead(head, in: database)
    }

    package func heads() async throws -> (heads: [SignedTreeHead], unreadable: [String]) {
        (try await PostgresAuditTrail.heads(in: database, limit: 100_000), [])
    }
}
