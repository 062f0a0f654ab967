import NIOCore
import NoProofAudit
import NoProofAuditChain
import PostgresNIO

/// `verifyChain` over `audit_record`, as `AuditLog.verifyChain` over audit.sqlite.
extension PostgresAuditTrail {
    /// Rows read per page.
    static let verificationPageSize = 4096

    /// Recomputes the whole chain a page of rows per query (a live trail keeps taking writes between
    /// pages) and reports the first break: a record whose stored hash does not follow from the
    /// previous hash and its fields, a gap in the sequences (deleted rows), a hash that is not 32
    /// bytes, or deleted trailing rows (the head row is past the last record). With `anchor`, the
    /// record at its sequence must carry its hash.
    package func verifyChain(anchor: AuditHead?) async throws -> ChainVerification {
        let logger = self.logger
        var result = ChainVerification(recordsChecked: 0, head: AuditHead(sequence: 0, hash: AuditChainHash.genesis), firstBreak: nil)
        var previous = AuditChainHash.genesis
        var expected: Int64 = 1
        var anchorSeen = false
        pages: while true {
            let after = result.head.sequence
            let page = try await database.withConnection { connection in
                var rows: [(AuditRecord, [UInt8])] = []
                for try await row in try await connection.query(
                    """
                    SELECT \(unescaped: Self.columns) FROM audit_record WHERE sequence > \(after)
                    ORDER BY sequence LIMIT \(Self.verificationPageSize)
                    """, logger: logger)
                {
                    let hash = try Array(row).last!.decode(ByteBuffer.self)
                    rows.append((try Self.record(row), [UInt8](hash.readableBytesView)))
                }
                return rows
            }
            if page.isEmpty { break }
            for (record, stored) in page {
                if record.sequence != expected {
                    result.firstBreak = ChainBreak(sequence: expected, reason: .sequenceGap(resumesAt: record.sequence))
                    break pages
                }
                guard stored.count == 32 else {
                    result.firstBreak = ChainBreak(sequence: record.sequence, reason: .missingHash)
                    break pages
                }
                guard AuditChainHash.hash(previous: previous, record: record) == stored else {
                    result.firstBreak = ChainBreak(sequence: record.sequence, reason: .hashMismatch)
                    break pages
                }
                if let anchor, anchor.sequence == record.sequence {
                    anchorSeen = true
                    guard anchor.hash == stored else {
                        result.firstBreak = ChainBreak(sequence: record.sequence, reason: .anchorMismatch)
                        break pages
                    }
                }
                previous = stored
                expected = record.sequence + 1
                result.recordsChecked += 1
                result.head = AuditHead(sequence: record.sequence, hash: stored)
            }
        }
        if result.firstBreak == nil {
            let handedOut = try await database.withConnection { connection in
                for try await sequence in try await connection.query("SELECT sequence FROM audit_head WHERE id = 1", logger: logger)
                    .decode(Int64.self)
                {
                    return sequence
                }
                return 0
            }
            if handedOut > result.head.sequence {
                result.firstBreak = ChainBreak(sequence: result.head.sequence + 1, reason: .trailingRowsDeleted(through: handedOut))
            } else if let anchor, anchor.sequence > 0, !anchorSeen {
                result.firstBreak = ChainBreak(sequence: anchor.sequence, reason: .anchorMissing)
            }
        }
        return result
    }
}
