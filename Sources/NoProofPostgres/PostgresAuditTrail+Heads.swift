import NIOCore
import NoProofAudit
import NoProofDomain
package import NoProofSeals
import PostgresNIO

/// The signed tree heads in PostgreSQL (`audit_signed_head`, migration `audit-2`) and the other
/// reads noproofd's start needs (`SignedAuditTrail`). Every instance on the database signs with the
/// same audit key (seals/ copied to each), so their heads form one sequence of growing trees; two
/// instances signing the same tree in the same millisecond write one row.
extension PostgresAuditTrail {
    static let signedHeadTable = """
        CREATE TABLE audit_signed_head (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tree_size BIGINT NOT NULL CHECK (tree_size >= 0),
            timestamp_ms BIGINT NOT NULL,
            root BYTEA NOT NULL,
            key_id TEXT COLLATE "C" NOT NULL,
            signature BYTEA NOT NULL,
            UNIQUE (key_id, tree_size, timestamp_ms)
        )
        """

    /// Keeps `head` (durable once the statement commits); a head already kept is not kept twice.
    static func insertHead(_ head: SignedTreeHead, in database: PostgresStoreDatabase) async throws(NoProofError) {
        let logger = database.logger
        try await database.withConnection { connection in
            try await connection.query(
                """
                INSERT INTO audit_signed_head (tree_size, timestamp_ms, root, key_id, signature)
                VALUES (\(Int64(head.treeSize)), \(head.timestampMillis), \(ByteBuffer(bytes: head.root)), \(head.keyID),
                        \(ByteBuffer(bytes: head.signature)))
                ON CONFLICT (key_id, tree_size, timestamp_ms) DO NOTHING
                """, logger: logger)
        }
    }

    /// The newest `limit` heads kept, oldest first.
    static func heads(in database: PostgresStoreDatabase, limit: Int) async throws(NoProofError) -> [SignedTreeHead] {
        let logger = database.logger
        return try await database.withConnection { connection in
            var heads: [SignedTreeHead] = []
            let rows = try await connection.query(
                """
                SELECT tree_size, timestamp_ms, root, key_id, signature FROM
                    (SELECT * FROM audit_signed_head ORDER BY id DESC LIMIT \(max(0, limit))) newest
                ORDER BY id
                """, logger: logger)
            for try await (size, millis, root, keyID, signature) in rows.decode((Int64, Int64, ByteBuffer, String, ByteBuffer).self) {
                heads.append(
                    SignedTreeHead(
                        treeSize: UInt64(max(0, size)), timestampMillis: millis, root: [UInt8](root.readableBytesView), keyID: keyID,
                        signature: [UInt8](signature.readableBytesView)))
            }
            return heads
        }
    }

    package func storeHead(_ head: SignedTreeHead) async throws {
        try await Self.insertHead(head, in: database)
    }

    package func storedHeads(limit: Int) async throws -> [SignedTreeHead] {
        try await Self.heads(in: database, limit: limit)
    }

    package func chainHash(at sequence: Int64) async throws -> [UInt8]? {
        let logger = self.logger
        return try await database.withConnection { connection in
            let rows = try await connection.query("SELECT chain_hash FROM audit_record WHERE sequence = \(sequence)", logger: logger)
            for try await hash in rows.decode(ByteBuffer.self) { return [UInt8](hash.readableBytesView) }
            return nil
        }
    }
}
