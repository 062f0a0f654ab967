import Foundation
import GRDB
import Logging
package import NoProofSeals
package import NoProofAuditChain

/// The audit log's Merkle tree (AuditTree): roots, proofs and signed heads.
extension AuditLog {
    private static let treeLogger = Logger(label: "noproof.audit-tree")

    /// Stores the tree's new subtrees in the append's transaction. A failure here (a tampered
    /// `audit_tree` or a missing record) does not fail the append — the records are the evidence
    /// and are written — but the tree stops growing, heads fail to be signed and `noproof audit
    /// verify` names the damage.
    static func extendTree(_ db: Database, from oldSize: Int64, to newSize: Int64) {
        do {
            try AuditTree.extend(db, from: UInt64(max(0, oldSize)), to: UInt64(max(0, newSize)))
        } catch {
            treeLogger.error("the audit tree could not be extended", metadata: ["size": "\(newSize)", "error": "\(error)"])
        }
    }

    /// The tree over every record now: its size (the last sequence) and root, read together.
    package func currentTree() throws -> (size: UInt64, root: [UInt8]) {
        try database.read { db in
            let size = UInt64(max(0, try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM audit") ?? 0))
            return (size, try AuditTree.root(db, size: size))
        }
    }

    /// The root of the tree of the first `size` records.
    package func treeRoot(size: UInt64) throws -> [UInt8] {
        try database.read { db in
            let log = UInt64(max(0, try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM audit") ?? 0))
            guard size <= log else { throw AuditTreeError.sizeBeyondLog(requested: size, log: log) }
            return try AuditTree.root(db, size: size)
        }
    }

    /// The inclusion proof of record `sequence` in the tree of `treeSize` records (`AuditInclusionProof`).
    package func inclusionProof(sequence: Int64, treeSize: UInt64) throws -> AuditInclusionProof? {
        try database.read { db in
            guard sequence >= 1, UInt64(sequence) <= treeSize,
                let row = try Row.fetchOne(db, sql: "SELECT * FROM audit WHERE sequence = ?", arguments: [sequence])
            else { return nil }
            let log = UInt64(max(0, try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM audit") ?? 0))
            guard treeSize <= log else { throw AuditTreeError.sizeBeyondLog(requested: treeSize, log: log) }
            let record = Self.record(row)
            let chain: Data? = row["chain_hash"]
            let previous =
                sequence == 1
                ? AuditChain.genesis
                : (try Data.fetchOne(db, sql: "SELECT chain_hash FROM audit WHERE sequence = ?", arguments: [sequence - 1])).map { [UInt8]($0) } ?? []
            let path = try MerkleTree.inclusionPath(index: UInt64(sequence - 1), size: treeSize) { try AuditTree.subtree(db, $0, $1) }
            return AuditInclusionProof(
                record: record, previousChainHash: previous, chainHash: chain.map { [UInt8]($0) } ?? [],
                treeSize: treeSize, path: path)
        }
    }

    /// RFC 9162 consistency proof from the tree of `first` records to that of `second`.
    package func consistencyProof(first: UInt64, second: UInt64) throws -> [[UInt8]] {
        try database.read { db in
            let log = UInt64(max(0, try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM audit") ?? 0))
            guard second <= log else { throw AuditTreeError.sizeBeyondLog(requested: second, log: log) }
            return try MerkleTree.consistencyProof(first: min(first, second), second: second) { try AuditTree.subtree(db, $0, $1) }
        }
    }

    /// Keeps a signed head in the trail's file (`tree_heads`), durably.
    package func storeHead(_ head: SignedTreeHead) throws {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO tree_heads (tree_size, timestamp_ms, root, key_id, signature) VALUES (?, ?, ?, ?, ?)",
                arguments: [Int64(head.treeSize), head.timestampMillis, Data(head.root), head.keyID, Data(head.signature)])
        }
    }

    /// The heads kept in the trail's file, oldest first (at most `limit`, the newest ones).
    package func storedHeads(limit: Int = 100_000) throws -> [SignedTreeHead] {
        try database.read { db in
            guard try db.tableExists("tree_heads") else { return [] }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (SELECT * FROM tree_heads ORDER BY id DESC LIMIT ?) ORDER BY id
                    """, arguments: [limit]
            ).map { row in
                SignedTreeHead(
                    treeSize: UInt64(max(0, row["tree_size"] as Int64)), timestampMillis: row["timestamp_ms"],
                    root: [UInt8](row["root"] as Data), keyID: row["key_id"], signature: [UInt8](row["signature"] as Data))
            }
        }
    }

    /// Recomputes the tree from the stored chain hashes in one pass (a page of rows per read) and
    /// compares it with every head in `heads` (signed heads kept by witnesses) and with the stored
    /// 256-record subtrees. Reports the first head the trail no longer matches: records deleted
    /// (the trail is shorter than a witnessed head) or rewritten (another root at its size — the
    /// first rewritten record lies after the last head that still matches, and at or before this
    /// one), and the first stored subtree that differs from its records (which names the 256
    /// records one of which was rewritten, when a tamperer recomputed the chain but not the tree).
    package func verifyTree(against heads: [SignedTreeHead]) throws -> TreeVerification {
        let heads = heads.sorted { ($0.treeSize, $0.timestampMillis) < ($1.treeSize, $1.timestampMillis) }
        var result = TreeVerification()
        var frontier = MerkleFrontier()
        var block: [[UInt8]] = []
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
        let hasTree = try database.read { db in try db.tableExists("audit_tree") }
        pages: while true {
            let rows = try database.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT sequence, chain_hash FROM audit WHERE sequence > ? ORDER BY sequence LIMIT ?",
                    arguments: [after, AuditChain.pageSize])
            }
            if rows.isEmpty { break }
            for row in rows {
                let sequence: Int64 = row[0]
                guard sequence == Int64(frontier.size) + 1 else {
                    result.treeProblem = result.treeProblem ?? "record \(frontier.size + 1) is missing: the tree stops there"
                    break pages
                }
                guard case .blob(let data) = (row[1] as DatabaseValue).storage, data.count == 32 else {
                    result.treeProblem = result.treeProblem ?? "record \(sequence) has no chain hash: the tree stops there"
                    break pages
                }
                let leaf = AuditTree.leaf(chainHash: [UInt8](data))
                frontier.append(leaf: leaf)
                block.append(leaf)
                if hasTree, block.count == Int(AuditTree.blockSize) {
                    var blockTree = MerkleFrontier()
                    for leaf in block { blockTree.append(leaf: leaf) }
                    let index = (frontier.size - 1) / AuditTree.blockSize
                    let stored = try database.read { db in
                        try Data.fetchOne(
                            db, sql: "SELECT hash FROM audit_tree WHERE level = ? AND idx = ?",
                            arguments: [AuditTree.storedLevel, Int64(index)])
                    }
                    if result.firstSubtreeMismatch == nil, stored.map({ [UInt8]($0) }) != blockTree.root {
                        result.firstSubtreeMismatch = (index * AuditTree.blockSize + 1)...((index + 1) * AuditTree.blockSize)
                    }
                    block.removeAll(keepingCapacity: true)
                }
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
        return result
    }
}

/// The outcome of `AuditLog.verifyTree(against:)`.
package struct TreeVerification: Sendable {
    package enum Mismatch: Sendable, CustomStringConvertible {
        /// The trail's tree at `head.treeSize` has another root than `head`.
        case rewritten(head: SignedTreeHead, lastMatching: SignedTreeHead?)
        /// The trail ends (at `trailSize`) before `head`'s size: records were deleted.
        case missing(head: SignedTreeHead, trailSize: UInt64)

        package var description: String {
            switch self {
            case .rewritten(let head, let last):
                let from = (last?.treeSize ?? 0) + 1
                return "the trail's tree of \(head.treeSize) records has another root than the head signed at \(head.timestampText) "
                    + "(\(head.rootHex)): a record in \(from)–\(head.treeSize) was rewritten or deleted and the later records renumbered"
                    + (last.map { "; the trail still matches the head of \($0.treeSize) records signed at \($0.timestampText)" } ?? "")
            case .missing(let head, let size):
                return "the trail ends at record \(size) but a head of \(head.treeSize) records was signed at \(head.timestampText): "
                    + "records \(size + 1)–\(head.treeSize) are missing (deleted)"
            }
        }
    }

    package var treeSize: UInt64 = 0
    package var root: [UInt8] = MerkleTree.emptyRoot
    package var headsMatched = 0
    package var lastMatchingHead: SignedTreeHead?
    package var firstMismatch: Mismatch?
    /// Records whose stored 256-record subtree differs from the subtree their chain hashes give.
    package var firstSubtreeMismatch: ClosedRange<UInt64>?
    /// A record missing or without a hash (the chain check names it too).
    package var treeProblem: String?

    package var isIntact: Bool { firstMismatch == nil && firstSubtreeMismatch == nil && treeProblem == nil }

    package init() {}
}

extension AuditLog {
    /// Recomputes every supervision tally from the chained records (a page at a time) and lists
    /// the counters that differ from `supervision_tally` (`day unit metric: stored N, records give M`),
    /// at most `limit` of them: the tallies are a materialised view of the trail, so an edited
    /// counter (a unit's denials lowered, say) is found here.
    package func verifyTallies(limit: Int = 20) throws -> (checked: Int, differences: [String]) {
        var counts: [SupervisionTally.Key: Int64] = [:]
        var after: Int64 = 0
        while true {
            let page = try database.read { db in try AuditChain.fetchPage(db, after: after, limit: AuditChain.pageSize) }
            if page.isEmpty { break }
            for row in page {
                if case .record(let record) = row.content {
                    for key in SupervisionTally.keys(for: record) { counts[key, default: 0] += 1 }
                }
            }
            after = page[page.count - 1].sequence
        }
        var stored: [SupervisionTally.Key: Int64] = [:]
        try database.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT day, unit_code, metric, count FROM supervision_tally") {
                stored[SupervisionTally.Key(day: row[0], unitCode: row[1], metric: row[2])] = row[3]
            }
        }
        return SupervisionTally.differences(expected: counts, stored: stored, limit: limit)
    }
}
