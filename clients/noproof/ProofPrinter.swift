import Foundation
import NoProofCodec

/// Readable and JSON forms of licences and proofs.
enum ProofPrinter {
    struct LicenceOutput: Encodable {
        var licenceID, typeCode, holderID, holderName, issuerCode, issuerName, issueDate, validFrom, validTo, status: String
        var version: UInt32
        var fields: [String: String]

        init(_ licence: Licence) {
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
        var proofSerial, seal, keyID, extractingUnit, producingUnit, extractedAt, staff, itemCode, caseReference: String
        var licence: LicenceOutput?
        var verified: Bool?
    }

    static func output(_ proof: SealedProof, _ body: ProofBody, verified: Bool? = nil) -> ProofOutput {
        ProofOutput(
            proofSerial: body.proofSerial, seal: body.sealKind, keyID: proof.keyID,
            extractingUnit: "\(body.extractingUnitName) (\(body.extractingUnitCode))",
            producingUnit: "\(body.producingUnitName) (\(body.producingUnitCode))",
            extractedAt: timestamp(body.extractedAtMillis), staff: body.staff,
            itemCode: body.purpose?.itemCode ?? "", caseReference: body.purpose?.caseReference ?? "",
            licence: body.licence.map(LicenceOutput.init), verified: verified
        )
    }

    static func timestamp(_ millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    static func printLicence(_ licence: Licence) {
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
        print("proof       \(output.proofSerial)")
        print("seal        \(output.seal)  key \(output.keyID)\(output.verified == true ? "  VERIFIED" : "")")
        print("extracted   by \(output.extractingUnit) at \(output.extractedAt)\(output.staff.isEmpty ? "" : " (staff \(output.staff))")")
        print("produced    by \(output.producingUnit)")
        print("purpose     item \(output.itemCode), case \(output.caseReference)")
        if let licence = output.licence {
            print("licence     \(licence.licenceID)  (version \(licence.version))")
            print("type        \(licence.typeCode)")
            print("holder      \(licence.holderName)  \(licence.holderID)")
            print("status      \(licence.status)   valid \(licence.validFrom) .. \(licence.validTo.isEmpty ? "indefinite" : licence.validTo)")
            for (key, value) in licence.fields.sorted(by: { $0.key < $1.key }) { print("  \(key): \(value)") }
        }
    }
}
