import Foundation
import NIOCore
import NoProofAudit
import NoProofAuditChain
import NoProofDomain
import NoProofPostgres
import NoProofSeals
import NoProofUnitStore
import PostgresNIO

/// The audit evidence on both sides of a migration: the checks `noproofd audit-verify` makes on
/// the data folder (chain, tree against the signed heads kept, supervision tallies, denial log)
/// and on the database (chain with the source's head as anchor, tree, denial log), and the heads
/// of the copied trail and denial log.
extension DataFolderMigration {
    /// The data folder's audit trail and denial log, verified.
    /// - Throws: `.invalid` naming the first break (nothing is copied from a trail that does not
    ///   verify); `.unavailable` when audit.sqlite or units.sqlite cannot be read.
    static func verifySource(_ directory: URL) async throws(NoProofError) -> MigrationReport.Evidence {
        func broken(_ what: String) -> NoProofError {
            NoProofError(
                .invalid,
                "the audit evidence in \(directory.path) does not verify (\(what)): nothing was copied. "
                    + "Run noproofd audit-verify --data-dir \(directory.path) for the details; a trail that does not verify is not migrated")
        }
        let log: AuditLog
        do { log = try AuditLog.openReadOnly(directory: directory) } catch {
            throw NoProofError(.unavailable, "cannot open the audit trail in \(directory.path): \(error)", cause: error)
        }
        defer { log.close() }
        let evidence: MigrationReport.Evidence
        let problem: String?
        do {
            let chain = try log.verifyChain(anchor: nil)
            if let first = chain.firstBreak { throw broken("audit chain broken at sequence \(first.sequence): \(first)") }
            let (heads, headProblems) = keyedHeads(try log.storedHeads(), epochStart: try await log.epochStartMillis(), directory: directory)
            if let first = headProblems.first { throw broken(first) }
            let tree = try log.verifyTree(against: heads)
            problem = treeProblem(tree)
            let tallies = try log.verifyTallies()
            if let first = tallies.differences.first { throw broken("supervision tally differs from the records: \(first)") }
            let denials = try DenialChain.verify(directory: directory)
            if let first = denials?.firstBreak { throw broken(first) }
            evidence = MigrationReport.Evidence(
                head: chain.head, recordsChecked: chain.recordsChecked, treeSize: tree.treeSize, treeRoot: tree.root,
                signedHeadsChecked: heads.count, signedHeadsMatched: tree.headsMatched, denialsChecked: denials?.checked ?? 0)
        } catch let error as NoProofError {
            throw error
        } catch {
            throw NoProofError(.unavailable, "cannot verify the audit trail in \(directory.path): \(error)", cause: error)
        }
        if let problem { throw broken(problem) }
        return evidence
    }

    /// The copied trail and denial log, verified (read only), with the source's head as anchor.
    /// - Throws: `.invalid` (the copy is not to be used) naming the first break.
    func verifyTarget(against source: MigrationReport.Evidence) async throws(NoProofError) -> MigrationReport.Evidence {
        let trail = PostgresAuditTrail.reader(database)
        let evidence: MigrationReport.Evidence
        do {
            let chain = try await trail.verifyChain(anchor: source.head.sequence > 0 ? source.head : nil)
            if let first = chain.firstBreak { throw targetBroken("audit chain broken at sequence \(first.sequence): \(first)") }
            let (heads, headProblems) = Self.keyedHeads(
                try await trail.storedHeads(limit: 100_000), epochStart: try await trail.epochStartMillis(), directory: directory)
            if let first = headProblems.first { throw targetBroken(first) }
            let tree = try await trail.verifyTree(against: heads)
            if let problem = Self.treeProblem(tree) { throw targetBroken(problem) }
            let denials = try await PostgresUnitStore.verifyDenialChain(in: database)
            if let first = denials.firstBreak { throw targetBroken(first) }
            evidence = MigrationReport.Evidence(
                head: chain.head, recordsChecked: chain.recordsChecked, treeSize: tree.treeSize, treeRoot: tree.root,
                signedHeadsChecked: heads.count, signedHeadsMatched: tree.headsMatched, denialsChecked: denials.checked)
        } catch let error as NoProofError {
            throw error
        } catch {
            throw NoProofError(.unavailable, "cannot verify the copy in the PostgreSQL schema \(database.schema): \(error)", cause: error)
        }
        return evidence
    }

    /// The heads of the trail's epoch that verify with the audit key in DIR/seals, and the problems
    /// found (a head that does not verify, or no key to check heads with), as `audit-verify` has them.
    static func keyedHeads(_ kept: [SignedTreeHead], epochStart: Int64, directory: URL) -> ([SignedTreeHead], [String]) {
        let heads = kept.filter { $0.timestampMillis >= epochStart }
        if heads.isEmpty { return ([], []) }
        guard let publicKey = try? AuditSigningKey.load(directory: directory.appendingPathComponent("seals")).publicKey else {
            return ([], ["no readable audit key (\(directory.path)/seals/\(AuditSigningKey.fileName)): the signed tree heads cannot be checked"])
        }
        let keyID = AuditSigningKey.keyID(publicKey: publicKey)
        var problems: [String] = []
        for head in heads where head.keyID != keyID || !head.verifies(publicKey: publicKey) {
            problems.append("the head of \(head.treeSize) records signed at \(head.timestampText) does not verify with audit key \(keyID)")
        }
        return (heads.filter { $0.keyID == keyID && $0.verifies(publicKey: publicKey) }, problems)
    }

    /// The first thing wrong with the tree, as `audit-verify` words it.
    static func treeProblem(_ tree: TreeVerification) -> String? {
        if let mismatch = tree.firstMismatch { return "\(mismatch)" }
        if let problem = tree.treeProblem { return problem }
        if let range = tree.firstSubtreeMismatch {
            return "the stored tree over records \(range.lowerBound)–\(range.upperBound) differs from those records"
        }
        return nil
    }

    /// After the copy: the audit trail's and the denial log's head rows name their last records,
    /// as the next append on either continues from them.
    func finishHeads() async throws(NoProofError) {
        let logger = self.logger
        try await database.transaction { connection in
            try await connection.query(
                """
                UPDATE audit_head SET
                    sequence = COALESCE((SELECT MAX(sequence) FROM audit_record), 0),
                    chain_hash = COALESCE((SELECT chain_hash FROM audit_record ORDER BY sequence DESC LIMIT 1), \(ByteBuffer(bytes: AuditChainHash.genesis)))
                WHERE id = 1
                """, logger: logger)
            try await connection.query(
                """
                UPDATE denial_log_head SET
                    sequence = COALESCE((SELECT MAX(sequence) FROM denial_log), 0),
                    chain_hash = COALESCE((SELECT chain_hash FROM denial_log ORDER BY sequence DESC LIMIT 1), \(ByteBuffer(bytes: DenialChain.genesis)))
                """, logger: logger)
        }
    }
}
