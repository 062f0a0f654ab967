import Foundation
import NoProofSeals
import NoProofAuditChain

/// noproofd's start-up check of the trail against its witnesses (docs/AUDIT.md, "Witnesses"):
/// the newest head each witness holds must be signed by this server's audit key and be a
/// prefix of the trail's tree — the trail at least that long, with the same root at that size.
/// A trail cut short (deleted records, a WAL frame lost to a flipped byte), emptied or rewritten
/// after the head was signed fails the check and noproofd refuses to start.
package enum AuditWitnessCheck {
    /// The first problem found, or nil when every witness's newest head is consistent with the trail.
    /// Heads signed before the trail's epoch began (its first record is `Audit.NewEpoch`) belong to
    /// the previous epoch's trail and are not checked.
    package static func problem(log: any SignedAuditTrail, publicKey: [UInt8], witnesses: [any AuditWitness]) async throws -> String? {
        let keyID = AuditSigningKey.keyID(publicKey: publicKey)
        let size = UInt64(max(0, try await log.head().sequence))
        let epochStart = try await log.epochStartMillis()
        for witness in witnesses {
            let held: [SignedTreeHead]
            do {
                held = try await witness.heads().heads.filter { $0.timestampMillis >= epochStart }
            } catch {
                return "the audit witness \(witness.name) cannot be read (\(error)); a trail cannot be checked against it"
            }
            guard let head = held.max(by: { ($0.treeSize, $0.timestampMillis) < ($1.treeSize, $1.timestampMillis) }) else { continue }
            guard head.keyID == keyID else {
                return "the audit witness \(witness.name) holds heads signed by audit key \(head.keyID), but this server's audit key is "
                    + "\(keyID): the audit key (seals/\(AuditSigningKey.fileName)) was replaced, or the witness belongs to another server"
            }
            guard head.verifies(publicKey: publicKey) else {
                return "the newest head in the audit witness \(witness.name) (\(head.treeSize) records) does not carry a valid signature: "
                    + "the witness file was edited"
            }
            if size < head.treeSize {
                return "the audit trail ends at record \(size) but the audit witness \(witness.name) holds a head of \(head.treeSize) records "
                    + "signed at \(head.timestampText): records \(size + 1)–\(head.treeSize) are missing (deleted, or lost with a damaged "
                    + "audit.sqlite-wal)"
            }
            let root = try await log.treeRoot(size: head.treeSize)
            if root != head.root {
                return "the audit trail's tree of \(head.treeSize) records has another root than the head the audit witness \(witness.name) "
                    + "holds (signed at \(head.timestampText)): records up to \(head.treeSize) were rewritten; "
                    + "`noproofd audit-verify --witness \(witness.name)` names the range"
            }
        }
        return nil
    }
}
