import Logging
import NIOCore
import NoProofAudit
package import NoProofAuditChain
import NoProofSeals
import PostgresNIO

/// The trail's Merkle tree on PostgreSQL, as `AuditTree` keeps it in audit.sqlite: leaf `i` is
/// record `i + 1`'s chain hash; `audit_tree` holds the perfect subtrees of 256 leaves and up, each
/// written in the transaction that completes it; smaller subtrees are recomputed from the chain hashes.
extension PostgresAuditTrail {
    static let storedLevel = 8
    static let blockSize: UInt64 = 1 << 8

    /// Stores the subtrees completed by the batch whose leaves (`leaves`, from leaf `oldSize`) were
    /// just inserted, inside the batch's transaction. As in SQLite, a damaged tree (a stored node
    /// missing) does not fail the append — the records are the evidence — but the tree stops
    /// growing and the proofs and `audit-verify` name the damage; a query error fails the batch.
    static func extendTree(_ connection: PostgresConnection, from oldSize: UInt64, leaves: [[UInt8]], logger: Logger) async throws {
        let newSize = oldSize + UInt64(leaves.count)
        var block = oldSize / blockSize
        while (block + 1) * blockSize <= newSize {
            let start = block * blockSize
            var frontier = MerkleFrontier()
            if start < oldSize {
                // The block's leaves written by earlier batches (this instance's or another's).
                do {
                    for leaf in try await Self.leaves(connection, from: start, to: oldSize, logger: logger) { frontier.append(leaf: leaf) }
                } catch let error as AuditTreeError {
                    logger.error("the audit tree could not be extended", metadata: ["size": "\(newSize)", "error": "\(error)"])
                    return
                }
            }
            let firstNew = Int(max(start, oldSize) - oldSize)
            for leaf in leaves[firstNew..<Int(start + blockSize - oldSize)] { frontier.append(leaf: leaf) }
            var hash = frontier.root
            var level = storedLevel
            var index = block
            try await storeNode(connection, level: level, index: index, hash: hash, logger: logger)
            // A right child completes its parent.
            while index & 1 == 1 {
                guard let left = try await storedNode(connection, level: level, index: index - 1, logger: logger) else {
                    logger.error(
                        "the audit tree could not be extended",
                        metadata: ["size": "\(newSize)", "error": "\(AuditTreeError.missingNode(level: level, index: index - 1))"])
                    return
                }
                hash = MerkleTree.node(left, hash)
                level += 1
                index >>= 1
                try await storeNode(connection, level: level, index: index, hash: hash, logger: logger)
            }
            block += 1
        }
    }

    private static func storeNode(_ connection: PostgresConnection, level: Int, index: UInt64, hash: [UInt8], logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO audit_tree (level, idx, hash) VALUES (\(Int32(level)), \(Int64(index)), \(ByteBuffer(bytes: hash)))
            ON CONFLICT (level, idx) DO UPDATE SET hash = excluded.hash
            """, logger: logger)
    }

    private static func storedNode(_ connection: PostgresConnection, level: Int, index: UInt64, logger: Logger) async throws -> [UInt8]? {
        let rows = try await connection.query(
            "SELECT hash FROM audit_tree WHERE level = \(Int32(level)) AND idx = \(Int64(index))", logger: logger)
        for try await hash in rows.decode(ByteBuffer.self) { return [UInt8](hash.readableBytesView) }
        return nil
    }

    /// The leaf hashes of leaves `start..<end` from the records' chain hashes.
    /// - Throws: `AuditTreeError` when a record is missing or has no 32-byte hash.
    private static func leaves(_ connection: PostgresConnection, from start: UInt64, to end: UInt64, logger: Logger) async throws -> [[UInt8]] {
        let rows = try await connection.query(
            "SELECT sequence, chain_hash FROM audit_record WHERE sequence > \(Int64(start)) AND sequence <= \(Int64(end)) ORDER BY sequence",
            logger: logger)
        var leaves: [[UInt8]] = []
        var expected = Int64(start) + 1
        for try await (sequence, hash) in rows.decode((Int64, ByteBuffer).self) {
            guard sequence == expected else { throw AuditTreeError.missingRecord(expected) }
            guard hash.readableBytes == 32 else { throw AuditTreeError.missingHash(sequence) }
            leaves.append(AuditTree.leaf(chainHash: [UInt8](hash.readableBytesView)))
            expected += 1
        }
        guard leaves.count == Int(end - start) else { throw AuditTreeError.missingRecord(expected) }
        return leaves
    }

    /// MTH(D[start:end]) from stored nodes and, below level 8, the chain hashes (as `AuditTree.subtree`).
    static func subtree(_ connection: PostgresConnection, _ start: UInt64, _ end: UInt64, logger: Logger) async throws -> [UInt8] {
        let width = end - start
        if width == 0 { return MerkleTree.emptyRoot }
        if width <= blockSize {
            var frontier = MerkleFrontier()
            for leaf in try await leaves(connection, from: start, to: end, logger: logger) { frontier.append(leaf: leaf) }
            return frontier.root
        }
        if width & (width - 1) == 0, start % width == 0 {
            let level = width.trailingZeroBitCount
            if let hash = try await storedNode(connection, level: level, index: start / width, logger: logger) { return hash }
            throw AuditTreeError.missingNode(level: level, index: start / width)
        }
        let k = MerkleTree.split(width)
        let left = try await subtree(connection, start, start + k, logger: logger)
        return MerkleTree.node(left, try await subtree(connection, start + k, end, logger: logger))
    }

    /// The subtrees a proof is made of, in its order. The ranges a proof needs depend on the sizes
    /// alone, so `shape` is run once with a recorder to learn them, then each is read.
    private static func subtrees(
        _ connection: PostgresConnection, logger: Logger,
        shape: ((UInt64, UInt64) -> [UInt8]) -> [[UInt8]]
    ) async throws -> [[UInt8]] {
        var ranges: [(UInt64, UInt64)] = []
        _ = shape { start, end in
            ranges.append((start, end))
            return []
        }
        var hashes: [[UInt8]] = []
        for (start, end) in ranges { hashes.append(try await subtree(connection, start, end, logger: logger)) }
        return hashes
    }

    /// The trail's size: its last sequence.
    private static func size(_ connection: PostgresConnection, logger: Logger) async throws -> UInt64 {
        for try await size in try await connection.query("SELECT COALESCE(MAX(sequence), 0)::BIGINT FROM audit_record", logger: logger)
            .decode(Int64.self)
        {
            return UInt64(max(0, size))
        }
        return 0
    }

    package func treeRoot(size: UInt64) async throws -> [UInt8] {
        let logger = self.logger
        return try await database.withConnection { connection in
            let log = try await Self.size(connection, logger: logger)
            guard size <= log else { throw AuditTreeError.sizeBeyondLog(requested: size, log: log) }
            return try await Self.subtree(connection, 0, size, logger: logger)
        }
    }

    /// The tree over every record now: its size (the last sequence) and root.
    package func currentTree() async throws -> (size: UInt64, root: [UInt8]) {
        let logger = self.logger
        return try await database.withConnection { connection in
            let size = try await Self.size(connection, logger: logger)
            return (size, try await Self.subtree(connection, 0, size, logger: logger))
        }
    }

    package func inclusionProof(sequence: Int64, treeSize: UInt64) async throws -> AuditInclusionProof? {
        let logger = self.logger
        return try await database.withConnection { connection -> AuditInclusionProof? in
            guard sequence >= 1, UInt64(sequence) <= treeSize else { return nil }
            let found = try await Self.records(
                connection.query(
                    "SELECT \(unescaped: Self.columns) FROM audit_record WHERE sequence = \(sequence)", logger: logger))
            guard let record = found.first else { return nil }
            let log = try await Self.size(connection, logger: logger)
            guard treeSize <= log else { throw AuditTreeError.sizeBeyondLog(requested: treeSize, log: log) }
            var hashes: [Int64: [UInt8]] = [:]
            for try await (at, hash) in try await connection.query(
                "SELECT sequence, chain_hash FROM audit_record WHERE sequence IN (\(sequence - 1), \(sequence))", logger: logger
            ).decode((Int64, ByteBuffer).self) {
                hashes[at] = [UInt8](hash.readableBytesView)
            }
            let path = try await Self.subtrees(connection, logger: logger) { subtree in
                MerkleTree.inclusionPath(index: UInt64(sequence - 1), size: treeSize, subtree: subtree)
            }
            return AuditInclusionProof(
                record: record, previousChainHash: sequence == 1 ? AuditChainHash.genesis : hashes[sequence - 1] ?? [],
                chainHash: hashes[sequence] ?? [], treeSize: treeSize, path: path)
        }
    }

    package func consistencyProof(first: UInt64, second: UInt64) async throws -> [[UInt8]] {
        let logger = self.logger
        return try await database.withConnection { connection in
            let log = try await Self.size(connection, logger: logger)
            guard second <= log else { throw AuditTreeError.sizeBeyondLog(requested: second, log: log) }
            return try await Self.subtrees(connection, logger: logger) { subtree in
                MerkleTree.consistencyProof(first: min(first, second), second: second, subtree: subtree)
            }
        }
    }
}
