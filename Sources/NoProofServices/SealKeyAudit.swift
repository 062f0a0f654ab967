import Foundation
import Logging
import NoProofSeals
import NoProofStore

/// Seal-key events in the audit trail (Art. 9 seals; docs/AUDIT.md): what noproofd records at
/// every start about the keys it seals with, and the operator's key rotations.
package enum SealKeyAudit {
    static let actions = ["SealKey.Create", "SealKey.Rotate", "SealKey.InUse"]

    /// Audits the seal keys in use at this start: `SealKey.Create` for a key created now,
    /// `SealKey.InUse` for the key the trail last recorded. A key that differs from the one the
    /// trail last recorded for its kind, without a rotation (`noproofd --rotate-seal-key`), means
    /// the key file was replaced behind the server's back: the start is refused. The key id is in
    /// `licence_id`, the seal kind in `type_code`.
    package static func record(_ keyring: SealKeyring, existing: Set<SealKind>, audit: AuditLog, at moment: Date = Date(), logger: Logger) throws {
        let at = Int64((moment.timeIntervalSince1970 * 1000).rounded(.down))
        var records: [AuditRecord] = []
        for key in keyring.currentKeys {
            let previous = try audit.latestRecord(actions: actions, typeCode: key.kind.rawValue)?.licenceID
            let action: String
            if !existing.contains(key.kind) {
                action = "SealKey.Create"
            } else if let previous, previous != key.id {
                throw SealKeyReplaced(kind: key.kind, recorded: previous, found: key.id)
            } else {
                action = "SealKey.InUse"
            }
            records.append(AuditRecord(atMillis: at, unitCode: "", credentialID: "", staff: "system", action: action, itemCode: "",
                                       caseReference: "", holderID: "", typeCode: key.kind.rawValue, licenceID: key.id,
                                       result: action == "SealKey.Create" ? "created" : "in_use"))
        }
        _ = try audit.appendBatch(records)
    }

    /// Rotates the `kind` key as the operator asked and records `SealKey.Rotate` (old key in
    /// `proof_serial`, new in `licence_id`, the reason in `case_reference`). Should the record not
    /// be written after the key was replaced, the next start finds a key the trail does not know
    /// and refuses (`record`): a rotation is never silent.
    package static func rotate(_ kind: SealKind, reason: String, sealDirectory: URL, audit: AuditLog, at moment: Date = Date(),
                               logger: Logger) throws -> (old: SealPublicKey, new: SealPublicKey) {
        let at = Int64((moment.timeIntervalSince1970 * 1000).rounded(.down))
        let rotated = try SealKeyring.rotate(directory: sealDirectory, kind: kind, reason: reason, now: moment)
        _ = try audit.appendBatch([AuditRecord(
            atMillis: at, unitCode: "", credentialID: "", staff: "operator", action: "SealKey.Rotate", itemCode: "",
            caseReference: String(reason.prefix(500)), holderID: "", typeCode: kind.rawValue, licenceID: rotated.new.id,
            result: "rotated", proofSerial: rotated.old.id)])
        logger.notice("seal key rotated", metadata: ["seal": "\(kind.rawValue)", "previous": "\(rotated.old.id)", "now": "\(rotated.new.id)",
                                                     "reason": "\(reason)"])
        return rotated
    }
}

/// A seal key file that differs from the key the audit trail last recorded for its kind.
package struct SealKeyReplaced: Error, CustomStringConvertible {
    package var kind: SealKind
    package var recorded: String
    package var found: String
    package var description: String {
        "the \(kind.rawValue) seal key in the seal folder is \(found), but the audit trail last recorded \(recorded) and no rotation: "
            + "the key file was replaced outside noproofd. Restore the seal folder from its backup; to replace a key, run "
            + "noproofd --rotate-seal-key \(kind.rawValue) --rotation-reason \"REASON\" (audited; the old public key stays published)"
    }
}
