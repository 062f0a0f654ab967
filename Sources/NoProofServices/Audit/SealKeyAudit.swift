package import Foundation
package import Logging
package import NoProofSeals
package import NoProofAuditChain

/// Seal-key events in the audit trail (Art. 9 seals; docs/AUDIT.md): what noproofd records at
/// every start about the keys it seals with, and the operator's key rotations.
package enum SealKeyAudit {
    static let actions: [AuditAction] = [.sealKeyCreate, .sealKeyRotate, .sealKeyInUse]

    /// Audits the seal keys in use at this start: `SealKey.Create` for a key created now,
    /// `SealKey.InUse` for the key the trail last recorded. A key that differs from the one the
    /// trail last recorded for its kind, without a rotation (`noproofd --rotate-seal-key`), means
    /// the key file was replaced behind the server's back: the start is refused. The key id is in
    /// `licence_id`, the seal kind in `type_code`. The records are written together, in one batch
    /// (`appendBatch`, off the cooperative pool).
    package static func record(
        _ keyring: SealKeyring, existing: Set<SealKind>, audit: any AuditTrail, at moment: Date = Date(), logger: Logger
    ) async throws {
        let at = Int64((moment.timeIntervalSince1970 * 1000).rounded(.down))
        var records: [AuditRecord] = []
        for key in keyring.currentKeys {
            let latest = try await audit.latestRecord(actions: actions, typeCode: key.kind.rawValue)
            var previous = latest?.licenceID
            var action: AuditAction = .sealKeyInUse
            var result: AuditResult = .inUse
            if let latest, latest.action == .sealKeyRotate, latest.result == .intended {
                // A rotation stopped between its intent and its outcome: either key may be in place.
                if key.id == latest.licenceID {
                    (action, result) = (.sealKeyRotate, .rotated)
                } else if key.id == latest.proofSerial {
                    (action, result) = (.sealKeyRotate, .notCompleted)
                }
                previous = key.id
            }
            if !existing.contains(key.kind) {
                (action, result) = (.sealKeyCreate, .created)
            } else if let previous, previous != key.id {
                throw SealKeyReplaced(kind: key.kind, recorded: previous, found: key.id)
            }
            records.append(
                AuditRecord(
                    atMillis: at, unitCode: "", credentialID: "", staff: "system", action: action, itemCode: "",
                    caseReference: "", holderID: "", typeCode: key.kind.rawValue, licenceID: key.id,
                    result: result, proofSerial: action == .sealKeyRotate ? latest?.proofSerial ?? "" : ""))
        }
        _ = try await audit.writeBatch(records)
    }

    /// Rotates the `kind` key as the operator asked, intent first: the new key is created under a
    /// temporary name, `SealKey.Rotate` with result `intended` (new key in `licence_id`, old in
    /// `proof_serial`, the reason in `case_reference`) is made durable, then the key is replaced
    /// and `rotated` recorded. Should noproofd stop in between, the next start finds the intent
    /// and records which key is in place (`record`); without the intent record the key is not
    /// replaced. Each record is written with `writeBatch`, so that a trail whose writes are async
    /// work (PostgreSQL) is not waited for on a blocked thread.
    package static func rotate(
        _ kind: SealKind, reason: String, sealDirectory: URL, audit: any AuditTrail, at moment: Date = Date(),
        logger: Logger
    ) async throws -> (old: SealPublicKey, new: SealPublicKey) {
        let at = Int64((moment.timeIntervalSince1970 * 1000).rounded(.down))
        let keys = try SealKeyring.prepareRotation(directory: sealDirectory, kind: kind, now: moment)
        func entry(_ result: AuditResult) -> AuditRecord {
            AuditRecord(
                atMillis: at, unitCode: "", credentialID: "", staff: "operator", action: .sealKeyRotate, itemCode: "",
                caseReference: String(reason.prefix(500)), holderID: "", typeCode: kind.rawValue, licenceID: keys.new.id,
                result: result, proofSerial: keys.old.id)
        }
        _ = try await audit.writeBatch([entry(.intended)])
        try SealKeyring.completeRotation(directory: sealDirectory, kind: kind, old: keys.old, reason: reason, now: moment)
        _ = try await audit.writeBatch([entry(.rotated)])
        logger.notice(
            "seal key rotated",
            metadata: [
                "seal": "\(kind.rawValue)", "previous": "\(keys.old.id)", "now": "\(keys.new.id)",
                "reason": "\(reason)",
            ])
        return keys
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
