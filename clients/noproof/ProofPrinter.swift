import Foundation
import NoProofCodec
import NoProofMessages

/// Readable and JSON forms of licences and proofs.
enum ProofPrinter {
    struct LicenceOutput: Encodable {
        var licenceID, typeCode, holderID, holderName, issuerCode, issuerName, issueDate, validFrom, validTo, status: String
        var version: UInt32
        var fields: [String: String]

        init(_ licence: APILicence) {
            licenceID = licence.licenceID
            typeCode = licence.typeCode
            holderID = licence.holderID
            holderName = licence.holderName
            issuerCode = licence.issuerCode
            issuerName = licence.issuerName
            issueDate = licence.issueDate
            validFrom = licence.validFrom
            validTo = licence.validTo
            status = licence.status
            version = licence.version
            fields = Dictionary(licence.fields.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
    }

    struct ProofOutput: Encodable {
        var proofSerial, seal, keyID, extractingUnit, producingUnit, extractedAt, itemCode, caseReference: String
        /// The extracting unit's staff member ("" when the proof names none).
        var staff: String
        /// A department-verification proof: the issuing unit's staff member who verified the record.
        var verifier: String?
        var licence: LicenceOutput?
        /// Data fields of the record the proof leaves out: the item's list entry does not name them.
        var withheldFields: [String]
        var verified: Bool?
        /// The current status, with --online.
        var online: StatusOutput?
    }

    /// A GetProofStatus answer whose signature was checked.
    struct StatusOutput: Encodable {
        var status, licenceID, reason, checkedAt, keyID: String
        var proofVersion, currentVersion: UInt32
        var changedAt: String?

        init(_ answer: APIProofStatusResponse) {
            status = answer.status
            licenceID = answer.licenceID
            reason = answer.reason
            checkedAt = ProofPrinter.timestamp(answer.checkedAtMillis)
            keyID = answer.keyID
            proofVersion = answer.proofVersion
            currentVersion = answer.currentVersion
            changedAt = answer.changedAtMillis == 0 ? nil : ProofPrinter.timestamp(answer.changedAtMillis)
        }
    }

    /// A data-sharing proof's `staff` is the extracting unit's. A verification proof names the
    /// requesting unit's filer in `staff` and the issuing unit's verifier in `verifier_staff`; one
    /// sealed before `verifier_staff` existed carries the verifier in `staff`.
    static func output(_ proof: APISealedProof, _ body: APIProofBody, verified: Bool? = nil) -> ProofOutput {
        let isVerification = body.sealKind == "verification"
        let legacy = isVerification && body.verifierStaff.isEmpty
        return ProofOutput(
            proofSerial: body.proofSerial, seal: body.sealKind, keyID: proof.keyID,
            extractingUnit: "\(body.extractingUnitName) (\(body.extractingUnitCode))",
            producingUnit: "\(body.producingUnitName) (\(body.producingUnitCode))",
            extractedAt: timestamp(body.extractedAtMillis),
            itemCode: body.purpose?.itemCode ?? "", caseReference: body.purpose?.caseReference ?? "",
            staff: legacy ? "" : body.staff,
            verifier: isVerification ? (legacy ? body.staff : body.verifierStaff) : nil,
            licence: body.licence.map(LicenceOutput.init), withheldFields: body.withheldFields, verified: verified
        )
    }

    static func timestamp(_ millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    static func printLicence(_ licence: APILicence) {
        print("licence     \(licence.licenceID)  (version \(licence.version))")
        print("type        \(licence.typeCode)")
        print("holder      \(licence.holderName)  \(licence.holderID)")
        print("issuer      \(licence.issuerName)  \(licence.issuerCode)")
        print("status      \(licence.status)")
        print("valid       \(licence.validFrom) .. \(licence.validTo.isEmpty ? "indefinite" : licence.validTo)  (issued \(licence.issueDate))")
        for field in licence.fields {
            print("  \(field.key): \(field.value)")
        }
    }

    static func printProof(_ output: ProofOutput) {
        print(proofLines(output).joined(separator: "\n"))
    }

    /// The readable form of a proof. A licence version or validity the proof does not state (a
    /// department verification's answer often gives neither) is said to be not stated, not
    /// printed as version 0 or as indefinite.
    static func proofLines(_ output: ProofOutput) -> [String] {
        var lines: [String] = []
        lines.append("proof       \(output.proofSerial)")
        lines.append("seal        \(output.seal)  key \(output.keyID)\(output.verified == true ? "  VERIFIED" : "")")
        lines.append("extracted   by \(output.extractingUnit) at \(output.extractedAt)\(output.staff.isEmpty ? "" : " (staff \(output.staff))")")
        if let verifier = output.verifier {
            lines.append("verified    by \(output.producingUnit)\(verifier.isEmpty ? "" : " (staff \(verifier))")")
        } else {
            lines.append("produced    by \(output.producingUnit)")
        }
        lines.append("purpose     item \(output.itemCode), case \(output.caseReference)")
        if let licence = output.licence {
            let version = licence.version == 0 ? "version not stated" : "version \(licence.version)"
            lines.append("licence     \(licence.licenceID.isEmpty ? "(no identifier)" : licence.licenceID)  (\(version))")
            lines.append("type        \(licence.typeCode)")
            lines.append("holder      \(licence.holderName)  \(licence.holderID)")
            let validity: String
            if licence.validFrom.isEmpty, licence.validTo.isEmpty, output.verifier != nil {
                validity = "validity not stated"
            } else {
                let end = licence.validTo.isEmpty ? (output.verifier != nil ? "end not stated" : "indefinite") : licence.validTo
                validity = "valid \(licence.validFrom.isEmpty ? "start not stated" : licence.validFrom) .. \(end)"
            }
            lines.append("status      \(licence.status.isEmpty ? "not stated" : licence.status)   \(validity)")
            for (key, value) in licence.fields.sorted(by: { $0.key < $1.key }) { lines.append("  \(key): \(value)") }
        }
        if !output.withheldFields.isEmpty {
            lines.append("withheld    \(output.withheldFields.joined(separator: ", "))  (not needed for the item: its list entry does not name them)")
        }
        if let online = output.online {
            let change = online.changedAt.map { " since \($0)" } ?? ""
            lines.append("online      \(online.status.uppercased())\(change)  (checked \(online.checkedAt), answer signed by \(online.keyID))")
            if online.currentVersion != 0, online.currentVersion != online.proofVersion {
                lines.append("            the proof attests version \(online.proofVersion); version \(online.currentVersion) is current")
            }
            if !online.reason.isEmpty { lines.append("            \(online.reason)") }
        }
        return lines
    }
}
