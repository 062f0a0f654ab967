import Foundation
import NoProofCodec
package import NoProofDomain
package import NoProofDomainMessages
import NoProofMessages
import NoProofSeals
package import NoProofVerification
import NoProofAuditChain
import NoProofUnits

extension VerificationUseCases {
    /// The issuing unit's answer to a request.
    package struct AnswerInput: Sendable {
        package var requestID: String
        package var outcome: VerificationOutcome
        /// The verified record as the answer gave it (required for `verified`). It stays the
        /// licence message because the seal covers it as sent: the encoded `ProofBody` carries
        /// exactly the fields the answer gave, with the system's annotations (Art. 9).
        package var record: LicenceMessage?
        package var note: String
        /// What makes two answers the same answer (a replay): the adapter's encoding of the
        /// answer's content without the request id.
        package var content: String

        package init(requestID: String, outcome: VerificationOutcome, record: LicenceMessage?, note: String, content: String) {
            self.requestID = requestID
            self.outcome = outcome
            self.record = record
            self.note = note
            self.content = content
        }
    }

    /// The issuing unit's agent or supervisor answers a request: `verified` with the record,
    /// sealed with the verification key and compared with the declared facts, or
    /// `not_on_record`. The same answer again is a replay.
    package func answer(_ input: AnswerInput, caller: Caller) async throws(NoProofError) -> Handled {
        let (existing, member) = try await actionable(input.requestID, caller: caller, to: "answer")
        let moment = now()
        var sealed: SealedAnswer?
        var checks: [FactComparison] = []
        if input.outcome == .verified {
            guard var licence = input.record else {
                throw .invalid("licence", "required for a verified answer — the verified record (holder_name and fields)")
            }
            if !licence.typeCode.isEmpty, licence.typeCode != existing.proofType {
                throw .invalid("licence.type_code", "the request is for \(existing.proofType), not \(licence.typeCode)")
            }
            if !licence.holderID.isEmpty, licence.holderID != existing.holderID {
                throw .invalid("licence.holder_id", "the record must be the requested holder's (\(PersonalDataMask.residentID(existing.holderID)))")
            }
            licence.typeCode = existing.proofType
            licence.holderID = existing.holderID
            if licence.holderName.isEmpty { licence.holderName = existing.holderName }
            licence.issuerCode = existing.issuingUnit
            licence.issuerName = existing.issuingUnitName
            if licence.status.isEmpty { licence.status = "valid" }
            let recorded = licence
            checks = existing.declared.map { fact in
                let value = fact.key == "holder_name" ? recorded.holderName : recorded.fields.first { $0.key == fact.key }?.value
                guard let value else { return FactComparison(key: fact.key, result: .notOnRecord) }
                return FactComparison(key: fact.key, result: value == fact.value ? .match : .mismatch)
            }
            sealed = seal(licence, answering: existing, verifier: member.id, at: moment)
        }
        let proof = sealed
        let comparisons = checks
        let note = input.note, outcome = input.outcome, content = input.content
        return try await transition(existing, caller: caller, action: .verificationAnswer, kind: "answered", staff: member.id, at: moment) {
            request throws(NoProofError) in
            try request.answer(
                by: member.id, isSupervisor: member.role == .supervisor, outcome: outcome, proof: proof,
                checks: comparisons, note: note, content: content, at: moment)
        }
    }

    /// The verification-sealed proof of `licence` for `request`, annotated by the system (Art. 9):
    /// extracting unit (the requesting unit and its staff member who filed), producing unit (the
    /// issuing unit and its verifier), extraction time. The licence carries only what the answer
    /// gave: no version or validity is made up.
    private func seal(_ licence: LicenceMessage, answering request: VerificationRequest, verifier: String, at moment: Date) -> SealedAnswer {
        let body = APIProofBody(
            proofSerial: request.id, sealKind: SealKind.verification.rawValue, licence: licence,
            purpose: APIPurpose(itemCode: request.itemCode, caseReference: request.caseReference),
            extractingUnitCode: request.requestingUnit, extractingUnitName: request.requestingUnitName,
            producingUnitCode: request.issuingUnit, producingUnitName: request.issuingUnitName,
            extractedAtMillis: Self.millis(moment), staff: request.filedBy, verifierStaff: verifier
        )
        let bytes = ProtoCodec.encode(body)
        let seal = keyring.seal(bytes, kind: .verification)
        return SealedAnswer(body: Data(bytes), keyID: seal.keyID, signature: Data(seal.signature))
    }
}
