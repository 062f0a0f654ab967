import NIOCore
package import NoProofAudit
package import NoProofAuditChain
package import NoProofSeals
import PostgresNIO

/// `verifyChain` over `audit_record`, as `AuditLog.verifyChain` over audit.sqlite.
extension PostgresAuditTrail {
    /// Rows read per page.
    static let verificationPageSize = 4096

    /// Recomputes the supervision tallies from the records and compares them with
    /// `supervision_tally`, as `AuditLog.verifyTallies` does for audit.sqlite. The counters and the
    /// last sequence are read in one snapshot (a live trail adds records and their counts in one
    /// transaction), then the records up to that sequence — which no later write changes — are
    /// counted a page per query.
    package func verifyTallies(limit: Int = 20) async throws -> (checked: Int, differences: [String]) {
        let logger = self.logger
        let (through, stored) = try await database.withConnection { connection in
            _ = try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            do {
                var through: Int64 = 0
                for try await last in try await connection.query("SELECT COALESCE(MAX(sequence), 0)::BIGINT FROM audit_record", logger: logger)
                    .decode(Int64.self)
                {
                    through = last
                }
                var stored: [SupervisionTally.Key: Int64] = [:]
                for try await (day, unit, metric, count) in try await connection.query(
                    "SELECT day, unit_code, metric, count FROM supervision_tally", logger: logger
                ).decode((Int32, String, String, Int64).self) {
                    stored[SupervisionTally.Key(day: Int(day), unitCode: unit, metric: metric)] = count
                }
                _ = try await connection.query("COMMIT", logger: logger)
                return (through, stored)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
        var expected: [SupervisionTally.Key: Int64] = [:]
        var after: Int64 = 0
        while after < through {
            let page = try await records(after: after, limit: Int(min(Int64(Self.verificationPageSize), through - after)))
            if page.isEmpty { break }
            for record in page where record.sequence <= through {
                for key in SupervisionTally.keys(for: record) { expected[key, default: 0] += 1 }
            }
            after = page[page.count - 1].sequence
        }
        return SupervisionTally.differences(expected: expected, stored: stored, limit: limit)
    }

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

/// `verifyTree(against:)` over `audit_record`, as `AuditLog.verifyTree` over audit.sqlite.
extension PostgresAuditTrail {
    /// Recomputes the tree from the stored chain hashes (a page of rows per query) and compares it
    /// with every head in `heads` (the heads kept in `audit_signed_head` and any witness's): the first
    /// head the trail no longer matches — records deleted (the trail is shorter) or rewritten
    /// (another root at its size) — and, at the end, whether the stored subtrees (`audit_tree`) give
    /// the same root as the records (a tamperer who recomputed the chain but not the tree).
    package func verifyTree(against heads: [SignedTreeHead]) async throws -> TreeVerification {
        let heads = heads.sorted { ($0.treeSize, $0.timestampMillis) < ($1.treeSize, $1.timestampMillis) }
        let logger = self.logger
        var result = TreeVerification()
        var frontier = MerkleFrontier()
        var next = heads.startIndex
        var after: Int64 = 0
        func checkHeads() {
            while next < heads.endIndex, heads[next].treeSize <= frontier.size {
                let head = heads[next]
                next += 1
                if head.treeSize < frontier.size { continue }  // passed already (duplicates)
                if frontier.root == head.root {
                    result.lastMatchingHead = head
                    result.headsMatched += 1
                } else if result.firstMismatch == nil {
                    result.firstMismatch = .rewritten(head: head, lastMatching: result.lastMatchingHead)
                }
            }
        }
        checkHeads()  // heads of size 0
        pages: while true {
            let from = after
            let page = try await database.withConnection { connection in
                var rows: [(Int64, [UInt8])] = []
                for try await (sequence, hash) in try await connection.query(
                    """
                    SELECT sequence, chain_hash FROM audit_record WHERE sequence > \(from)
                    ORDER BY sequence LIMIT \(Self.verificationPageSize)
                    """, logger: logger
                ).decode((Int64, ByteBuffer).self) {
                    rows.append((sequence, [UInt8](hash.readableBytesView)))
                }
                return rows
            }
            if page.isEmpty { break }
            for (sequence, hash) in page {
                guard sequence == Int64(frontier.size) + 1 else {
                    result.treeProblem = result.treeProblem ?? "record \(frontier.size + 1) is missing: the tree stops there"
                    break pages
                }
                guard hash.count == 32 else {
                    result.treeProblem = result.treeProblem ?? "record \(sequence) has no chain hash: the tree stops there"
                    break pages
                }
                frontier.append(leaf: AuditTree.leaf(chainHash: hash))
                checkHeads()
                after = sequence
            }
        }
        result.treeSize = frontier.size
        result.root = frontier.root
        if result.firstMismatch == nil, next < heads.endIndex {
            let head = heads[heads.index(before: heads.endIndex)]
            result.firstMismatch = .missing(head: head, trailSize: frontier.size)
        }
        if result.treeProblem == nil, frontier.size > 0, let stored = try? await treeRoot(size: frontier.size), stored != frontier.root {
            result.treeProblem =
                "the stored subtrees (audit_tree) give another root for \(frontier.size) records than the records' chain hashes: "
                + "a record was rewritten after it was written"
        }
        return result
    }
}
