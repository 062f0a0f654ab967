import Foundation
import NoProofCodec
import NoProofDomainMessages
import NoProofMessages
import NoProofUnits

/// Readable and JSON forms of units, staff, credentials and item lists. Items and declared
/// changes are written in the shape of the draft file (`noproof list draft --file`), so the JSON
/// of `noproof list show` can be edited and sent back.
enum ListPrinter {
    /// A declared change as in the draft file, with its assessment once submitted.
    struct Change: Codable {
        var kind: String
        var item: String
        var proof: String?
        var cause: String
        var causeDate: String
        var late: Bool?
        var reportedOn: String?
        var deadline: String?
        var workingDaysElapsed: UInt32?

        enum CodingKeys: String, CodingKey {
            case kind, item, proof, cause, late, deadline
            case causeDate = "cause_date"
            case reportedOn = "reported_on"
            case workingDaysElapsed = "working_days_elapsed"
        }

        init(_ change: APIDeclaredChange) {
            kind = change.kind
            item = change.item
            proof = change.proof.isEmpty ? nil : change.proof
            cause = change.cause
            causeDate = change.causeDate
            if change.assessed {
                late = change.late
                reportedOn = change.reportedOn
                deadline = change.deadline
                workingDaysElapsed = change.workingDaysElapsed
            }
        }

        /// The request form (an assessment in the file is ignored: the server makes its own).
        var message: APIDeclaredChange {
            APIDeclaredChange(kind: kind, item: item, proof: proof ?? "", cause: cause, causeDate: causeDate)
        }
    }

    /// One step of a version's history.
    struct Step: Encodable {
        var action, at, actor, status, note: String
    }

    /// One list version.
    struct Version: Encodable {
        var unit: String
        var version: UInt32
        var basedOn: UInt32?
        var status: String
        var effectiveAt, publishedAt, submittedAt, submittedBy, reviewedAt, reviewedBy, rejectionReason: String?
        var items: [ServiceItemRecord]
        var changes: [Change]
        var history: [Step]

        init(_ list: APIItemList) {
            func text(_ value: String) -> String? { value.isEmpty ? nil : value }
            unit = list.unitCode
            version = list.version
            basedOn = list.basedOn == 0 ? nil : list.basedOn
            status = list.status
            effectiveAt = ListPrinter.time(list.effectiveAtMillis)
            publishedAt = ListPrinter.time(list.publishedAtMillis)
            submittedAt = ListPrinter.time(list.submittedAtMillis)
            submittedBy = text(list.submittedBy)
            reviewedAt = ListPrinter.time(list.reviewedAtMillis)
            reviewedBy = text(list.reviewedBy)
            rejectionReason = text(list.rejectionReason)
            items = list.items.map(\.record)
            changes = list.changes.map(Change.init)
            history = list.history.map {
                Step(action: $0.action, at: ListPrinter.time($0.atMillis) ?? "", actor: $0.actor, status: $0.status, note: $0.note)
            }
        }
    }

    /// A unit.
    struct Unit: Encodable {
        var code, name, kind, district: String
        var sector: String?
        var taskForceOffice, active: Bool

        init(_ unit: APIUnitInfo) {
            code = unit.code
            name = unit.name
            kind = unit.kind
            district = unit.district
            sector = unit.sector.isEmpty ? nil : unit.sector
            taskForceOffice = unit.taskForceOffice
            active = unit.active
        }
    }

    /// A unit's list: the version in force and the versions shown.
    struct ListOutput: Encodable {
        var unit: Unit?
        var inForce: Version?
        var versions: [Version]
    }

    /// A staff member.
    struct Member: Encodable {
        var staffID, name, role: String
        var active: Bool
    }

    /// A credential (never its secret, except `secret` right after issue).
    struct CredentialOutput: Encodable {
        var credentialID, unitCode, kind, label, issuedAt, issuedBy, expiresAt: String
        var revokedAt, revokedBy, revocationReason: String?
        /// SHA-256 of the client certificate registered on it (mutual TLS).
        var certificateSHA256: String?
        /// The staff member of a staff credential.
        var staffID: String?
        /// "" issued over RPC, "config" from noproofd's config file, "demo".
        var source: String?
        var secret: String?
        /// `ID:SECRET`, ready for --credential or NOPROOF_CREDENTIAL.
        var credential: String?

        init(_ credential: APICredentialInfo, secret: String? = nil) {
            credentialID = credential.credentialID
            unitCode = credential.unitCode
            kind = credential.kind.isEmpty ? "unit" : credential.kind
            staffID = credential.staffID.isEmpty ? nil : credential.staffID
            source = credential.source.isEmpty ? nil : credential.source
            label = credential.label
            issuedAt = ListPrinter.time(credential.issuedAtMillis) ?? ""
            issuedBy = credential.issuedBy
            expiresAt = ListPrinter.time(credential.expiresAtMillis) ?? ""
            revokedAt = ListPrinter.time(credential.revokedAtMillis)
            revokedBy = credential.revokedBy.isEmpty ? nil : credential.revokedBy
            revocationReason = credential.revocationReason.isEmpty ? nil : credential.revocationReason
            certificateSHA256 = credential.certificateSha256.isEmpty ? nil : credential.certificateSha256
            self.secret = secret
            self.credential = secret.map { "\(credential.credentialID):\($0)" }
        }
    }

    /// ISO 8601 in China Standard Time, nil for 0 (not set).
    static func time(_ millis: Int64) -> String? {
        millis == 0 ? nil : ProofPrinter.timestamp(millis)
    }

    static func unitLine(_ unit: APIUnitInfo) -> String {
        let kind = unit.taskForceOffice ? "task force office" : (unit.sector.isEmpty ? unit.kind : "\(unit.kind)/\(unit.sector)")
        return "\(unit.code)  \(unit.name)  [\(kind), \(unit.district)\(unit.active ? "" : ", inactive")]"
    }

    /// One line per proof: code, name, how it is obtained.
    static func proofLine(_ proof: APIItemProof) -> String {
        var how = proof.method
        switch proof.method {
        case "data_sharing":
            how +=
                proof.fields.isEmpty
                ? " (identity and validity only)"
                : proof.fields == ["*"] ? " (the full record)" : " (fields: \(proof.fields.joined(separator: ", ")))"
        case "department_verification": how += " by \(proof.issuingUnit)"
        case "excluded":
            how += " (\(proof.exclusion)\(proof.exclusionCategory.isEmpty ? "" : "/\(proof.exclusionCategory)"): \(proof.exclusionNote)"
        default: break
        }
        return "\(proof.proof)\(proof.name.isEmpty ? "" : " \(proof.name)")  — \(how)"
    }

    /// Prints a version: its status line, items and proofs, declared changes and (optionally) history.
    static func printVersion(_ list: APIItemList, history: Bool) {
        var line = "version \(list.version)  \(list.status)"
        if list.basedOn != 0 { line += "  (revises version \(list.basedOn))" }
        if let effective = time(list.effectiveAtMillis) { line += "  effective \(effective)" }
        print(line)
        if !list.rejectionReason.isEmpty { print("  rejected: \(list.rejectionReason)") }
        for item in list.items {
            var kind = item.kind
            if item.promisedDays > 0 { kind += ", \(item.promisedDays) working days" }
            if item.promisedHours > 0 { kind += ", \(item.promisedHours) hours" }
            print("  \(item.code)  \(item.name)  [\(kind)]")
            for proof in item.proofs { print("      \(proofLine(proof))") }
        }
        if !list.changes.isEmpty {
            print("  declared changes:")
            for change in list.changes {
                let subject = change.proof.isEmpty ? "item \(change.item)" : "proof \(change.proof) of item \(change.item)"
                var text = "    \(change.kind) \(subject) — cause \(change.causeDate): \(change.cause)"
                if change.assessed {
                    text += change.late ? "  LATE (\(change.workingDaysElapsed) working days; deadline \(change.deadline))" : "  on time"
                }
                print(text)
            }
        }
        if history {
            print("  history:")
            for step in list.history {
                print(
                    "    \(time(step.atMillis) ?? "-")  \(step.action.padding(toLength: 9, withPad: " ", startingAt: 0)) \(step.actor)\(step.note.isEmpty ? "" : "  — \(step.note)")"
                )
            }
        }
    }

    static func printCredential(_ credential: APICredentialInfo) {
        var line = "\(credential.credentialID)  \(credential.unitCode)  issued \(time(credential.issuedAtMillis) ?? "-") by \(credential.issuedBy)"
        line += "  expires \(time(credential.expiresAtMillis) ?? "-")"
        if let revoked = time(credential.revokedAtMillis) {
            line += "  REVOKED \(revoked) by \(credential.revokedBy): \(credential.revocationReason)"
        }
        if credential.kind == "citizen-portal" { line += "  [citizen-portal]" }
        if !credential.staffID.isEmpty { line += "  [staff \(credential.staffID)]" }
        if !credential.source.isEmpty { line += "  [from \(credential.source)]" }
        if !credential.label.isEmpty { line += "  (\(credential.label))" }
        if !credential.certificateSha256.isEmpty { line += "\n    client certificate SHA-256 \(credential.certificateSha256)" }
        print(line)
    }
}
