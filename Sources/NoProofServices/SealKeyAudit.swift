import Foundation
import Logging
import NoProofSeals
import NoProofStore

/// Seal-key events in the audit trail (Art. 9 seals; docs/AUDIT.md): what noproofd records at
/// every start about the keys it seals with.
package enum SealKeyAudit {
    /// Audits the seal keys in use at this start: `SealKey.Create` for a key created now,
    /// `SealKey.Rotate` when a kind's key differs from the one the trail last recorded (its key
    /// file was replaced), `SealKey.InUse` otherwise. The key id is in `licence_id`, the previous
    /// one (rotation) in `proof_serial`, the seal kind in `type_code`.
    package static func record(_ keyring: SealKeyring, existing: Set<SealKind>, audit: AuditLog, at moment: Date = Date(), logger: Logger) throws {
        let actions = ["SealKey.Create", "SealKey.Rotate", "SealKey.InUse"]
        let at = Int64((moment.timeIntervalSince1970 * 1000).rounded(.down))
        var records: [AuditRecord] = []
        for key in keyring.publicKeys {
            let previous = try audit.latestRecord(actions: actions, typeCode: key.kind.rawValue)?.licenceID
            let action: String
            if !existing.contains(key.kind) {
                action = "SealKey.Create"
            } else if let previous, previous != key.id {
                action = "SealKey.Rotate"
                logger.warning("seal key changed since the last start", metadata: ["seal": "\(key.kind.rawValue)", "previous": "\(previous)", "now": "\(key.id)"])
            } else {
                action = "SealKey.InUse"
            }
            records.append(AuditRecord(atMillis: at, unitCode: "", credentialID: "", staff: "system", action: action, itemCode: "",
                                       caseReference: "", holderID: "", typeCode: key.kind.rawValue, licenceID: key.id,
                                       result: action == "SealKey.Create" ? "created" : action == "SealKey.Rotate" ? "rotated" : "in_use",
                                       proofSerial: action == "SealKey.Rotate" ? previous ?? "" : ""))
        }
        _ = try audit.appendBatch(records)
    }

}
