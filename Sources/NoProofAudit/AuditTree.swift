import Crypto
import Foundation
import GRDB
import NoProofSeals
import NoProofAuditChain

/// The audit log as an append-only Merkle tree (RFC 9162), in `audit.sqlite` beside the records
/// (docs/AUDIT.md, "The tree"). Leaf `i` is record `i + 1`'s chain hash:
///
///     leaf(i) = SHA-256(0x00 ‖ chain_hash of record i + 1)
///
/// and the chain hash commits to the record's fields and its predecessor, so the tree's root at a
/// size commits to every record up to it. The tree's nodes are not stored per leaf: `audit_tree`
/// holds the perfect subtrees of 256 leaves and up (level 8 and above), each written in the
/// transaction that completes it, so a commit of records adds about one row per 128 records; the
/// hashes below level 8 are recomputed from the chain hashes (at most 255 per subtree) when a
/// root or proof needs them.
package enum AuditTree {
    /// Subtrees of 2^storedLevel leaves and larger are stored.
    static let storedLevel = 8
    static let blockSize: UInt64 = 1 << 8

    static let schema = """
        CREATE TABLE audit_tree (
            level INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            hash BLOB NOT NULL,
            PRIMARY KEY (level, idx)
        ) WITHOUT ROWID
        """

    /// The leaf hash of a record's chain hash.
    package static func leaf(chainHash: [UInt8]) -> [UInt8] {
        AuditChainHash.leaf(chainHash: chainHash)
    }

    /// Stores the subtrees completed by growing the tree from `oldSize` to `newSize` leaves
    /// (inside the caller's write transaction, after the records are inserted).
    static func extend(_ db: Database, from oldSize: UInt64, to newSize: UInt64) throws {
        guard newSize > oldSize else { return }
        var block = oldSize / blockSize
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO audit_tree (level, idx, hash) VALUES (?, ?, ?)")
        while (block + 1) * blockSize <= newSize {
            var hash = try computed(db, block * blockSize, (block + 1) * blockSize)
            var level = storedLevel
            var index = block
            try insert.execute(arguments: [level, Int64(index), Data(hash)])
            // A right child completes its parent.
            while index & 1 == 1 {
                guard let left = try stored(db, level: level, index: index - 1) else {
                    throw AuditTreeError.missingNode(level: level, index: index - 1)
                }
                hash = MerkleTree.node(left, hash)
                level += 1
                index >>= 1
                try insert.execute(arguments: [level, Int64(index), Data(hash)])
            }
            block += 1
        }
    }

    /// MTH(D[start:end]) from stored nodes and, below level 8, the chain hashes. `start` must be
    /// aligned as RFC 9162's recursion leaves it (a multiple of the largest power of two ≤ the width).
    static func subtree(_ db: Database, _ start: UInt64, _ end: UInt64) throws -> [UInt8] {
        let width = end - start
        if width == 0 { return MerkleTree.emptyRoot }
        if width <= blockSize { return try computed(db, start, end) }
        if width & (width - 1) == 0, start % width == 0 {
            let level = width.trailingZeroBitCount
            if let hash = try stored(db, level: level, index: start / width) { return hash }
            throw AuditTreeError.missingNode(level: level, index: start / width)
        }
        let k = MerkleTree.split(width)
        return MerkleTree.node(try subtree(db, start, start + k), try subtree(db, start + k, end))
    }

    /// The root of the tree of the first `size` records.
    static func root(_ db: Database, size: UInt64) throws -> [UInt8] {
        try subtree(db, 0, size)
    }

    private static func stored(_ db: Database, level: Int, index: UInt64) throws -> [UInt8]? {
        let statement = try db.cachedStatement(sql: "SELECT hash FROM audit_tree WHERE level = ? AND idx = ?")
        return try Data.fetchOne(statement, arguments: [level, Int64(index)]).map { [UInt8]($0) }
    }

    /// MTH over leaves `start..<end` recomputed from the records' chain hashes.
    private static func computed(_ db: Database, _ start: UInt64, _ end: UInt64) throws -> [UInt8] {
        let statement = try db.cachedStatement(sql: "SELECT sequence, chain_hash FROM audit WHERE sequence > ? AND sequence <= ? ORDER BY sequence")
        var frontier = MerkleFrontier()
        var expected = Int64(start) + 1
        let rows = try Row.fetchCursor(statement, arguments: [Int64(start), Int64(end)])
        while let row = try rows.next() {
            let sequence: Int64 = row[0]
            guard sequence == expected else { throw AuditTreeError.missingRecord(expected) }
            guard case .blob(let hash) = (row[1] as DatabaseValue).storage, hash.count == 32 else {
                throw AuditTreeError.missingHash(sequence)
            }
            frontier.append(leaf: leaf(chainHash: [UInt8](hash)))
            expected += 1
        }
        guard frontier.size == end - start else { throw AuditTreeError.missingRecord(expected) }
        return frontier.root
    }

    /// Rebuilds the stored nodes from the records (migration, and a damaged table).
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM audit_tree")
        let size = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM audit") ?? 0
        try extend(db, from: 0, to: UInt64(max(0, size)))
    }
}

package enum AuditTreeError: Error, CustomStringConvertible {
    case missingNode(level: Int, index: UInt64)
    case missingRecord(Int64)
    case missingHash(Int64)
    case sizeBeyondLog(requested: UInt64, log: UInt64)

    package var description: String {
        switch self {
        case .missingNode(let level, let index):
            "the audit tree lacks its node at level \(level), index \(index) (audit_tree edited or damaged)"
        case .missingRecord(let sequence): "audit record \(sequence) is missing: the tree cannot be computed past it"
        case .missingHash(let sequence): "audit record \(sequence) has no chain hash"
        case .sizeBeyondLog(let requested, let log): "the audit log holds \(log) records, not \(requested)"
        }
    }
}
