import Foundation
import NoProofAuditChain
import NoProofDomain
package import NoProofOversight
import NoProofUnits
import NoProofProtocol
import NoProofUnitStore
import NoProofVerification

extension OversightUseCases {
    /// A mismatch case to open (Art. 11: what the applicant declared differs from what the
    /// issuing unit's record says), as the request gives it.
    package struct MismatchInput: Hashable, Sendable {
        package var issuingUnitCode: String
        package var holderID: String
        package var itemCode: String
        package var caseReference: String
        package var proofType: String
        package var proofSerial: String
        /// The opening unit's own lookup it links (0: none).
        package var auditSequence: Int64
        /// The opening unit's own verification request it links ("": none).
        package var verificationRequestID: String
        package var facts: [MismatchedFact]

        package init(
            issuingUnitCode: String, holderID: String, itemCode: String, caseReference: String, proofType: String, proofSerial: String = "",
            auditSequence: Int64 = 0, verificationRequestID: String = "", facts: [MismatchedFact]
        ) {
            self.issuingUnitCode = issuingUnitCode
            self.holderID = holderID
            self.itemCode = itemCode
            self.caseReference = caseReference
            self.proofType = proofType
            self.proofSerial = proofSerial
            self.auditSequence = auditSequence
            self.verificationRequestID = verificationRequestID
            self.facts = facts
        }
    }

    /// Opens a mismatch case by the caller's active staff, to an active issuing unit; audited
    /// `Oversight.OpenMismatch` (`open`).
    package func openMismatch(_ input: MismatchInput, caller: Caller) async throws -> Stored<MismatchCase> {
        let unit = caller.unit
        let staff = try await member(caller.staff(), of: unit)
        var opening = MismatchCase.Opening(
            unit: unit.unitCode, unitName: unit.unitName, issuingUnit: input.issuingUnitCode, issuingUnitName: "",
            holderID: input.holderID, itemCode: input.itemCode, caseReference: input.caseReference, proofType: input.proofType,
            proofSerial: input.proofSerial, auditSequence: input.auditSequence, verificationRequestID: input.verificationRequestID,
            facts: input.facts, openedBy: staff
        )
        try MismatchCase.validate(opening)
        let issuing = try await activeUnit(input.issuingUnitCode, field: "issuing_unit_code")
        opening.issuingUnitName = issuing.name
        try await checkLinks(input, caller: caller)
        let moment = now()
        let built = opening
        let new = try MismatchCase.open(built, id: Self.newID("MM"), at: moment)
        let (stored, created) = try await store.insertMismatch(new)
        if !created {
            guard opening.matches(stored) else {
                throw NoProofError(
                    .alreadyExists,
                    "mismatch \(stored.id) is already open for case \(stored.caseReference) and proof \(stored.proofType) with other facts; work on that case")
            }
            return Stored(record: stored, replayed: true)
        }
        try await audited(
            caller: caller, action: .oversightOpenMismatch, staff: staff, item: stored.itemCode, caseReference: stored.caseReference,
            holder: stored.holderID, type: stored.proofType, id: stored.id, result: .open, at: moment)
        return Stored(record: stored, replayed: false)
    }

    /// The linked lookup or verification request must be the opening unit's own and about this holder.
    private func checkLinks(_ input: MismatchInput, caller: Caller) async throws {
        let unit = caller.unit
        if input.auditSequence > 0 {
            let found = try? await audit.records(after: input.auditSequence - 1, limit: 1).first
            guard let found, found.sequence == input.auditSequence else {
                throw NoProofError.invalid("audit_sequence", "no audit record \(input.auditSequence)")
            }
            guard found.unitCode == unit.unitCode, found.holderID.isEmpty || found.holderID == input.holderID else {
                throw NoProofError.invalid(
                    "audit_sequence",
                    "record \(input.auditSequence) is not a lookup of holder \(input.holderID) by \(unit.unitName); link your own lookup")
            }
        }
        if !input.verificationRequestID.isEmpty, let verifications {
            let found = try await verifications.request(id: input.verificationRequestID)
            guard let found else {
                throw NoProofError.invalid("verification_request_id", "no verification request \(input.verificationRequestID)")
            }
            guard found.requestingUnit == unit.unitCode, found.issuingUnit == input.issuingUnitCode, found.holderID == input.holderID else {
                throw NoProofError.invalid(
                    "verification_request_id",
                    "\(found.id) was filed by \(found.requestingUnit) to \(found.issuingUnit) about another holder or unit; link the request this unit filed to \(input.issuingUnitCode) for \(input.holderID)"
                )
            }
        }
    }

    /// The opening unit asks for supplementary material; audited `Oversight.RequestSupplement`.
    package func requestSupplement(_ id: String, text: String, caller: Caller) async throws -> Stored<MismatchCase> {
        let (existing, staff) = try await openerAction(id, caller: caller, to: "ask for supplementary material on")
        let moment = now()
        return try await mismatchTransition(existing, caller: caller, action: .oversightRequestSupplement, staff: staff) {
            m throws(NoProofError) in try m.requestSupplement(text, by: staff, at: moment)
        }
    }

    /// The opening unit records the supplementary material; audited `Oversight.RecordSupplement`.
    package func recordSupplement(_ id: String, text: String, caller: Caller) async throws -> Stored<MismatchCase> {
        let (existing, staff) = try await openerAction(id, caller: caller, to: "record supplementary material on")
        let moment = now()
        return try await mismatchTransition(existing, caller: caller, action: .oversightRecordSupplement, staff: staff) {
            m throws(NoProofError) in try m.recordSupplement(text, by: staff, at: moment)
        }
    }

    /// The issuing unit's finding (`finding`: a `MismatchFinding` name; its finding prevails,
    /// Art. 11), with the corrected fields in request order (a key given twice is refused);
    /// audited `Oversight.Reverify` with the finding. With a licence library and keyring, a
    /// `record_corrected` finding — by a staff member signed in with their own credential — amends
    /// the licence, issues the corrected proof and tells the units that fetched the old version
    /// (`MismatchCorrection`).
    package func reverify(
        _ id: String, finding text: String, note: String, corrected fields: [(key: String, value: String)], caller: Caller
    ) async throws -> Stored<MismatchCase> {
        let unit = caller.unit
        let existing = try await readableMismatch(id, caller: caller)
        guard unit.unitCode == existing.issuingUnit else {
            throw NoProofError(
                .forbidden,
                "only the issuing unit \(existing.issuingUnitName) (\(existing.issuingUnit)) re-verifies mismatch \(existing.id); its finding prevails (Art. 11)"
            )
        }
        let finding = try MismatchFinding.parse(text)
        // A correction changes the licence library: only a staff member signed in with their own credential.
        if finding == .recordCorrected, correction != nil {
            _ = try caller.signedInStaff(to: "correct the issuing unit's record after a mismatch case")
        }
        let staff = try await member(caller.staff(), of: unit)
        var corrected: [String: String] = [:]
        for (index, field) in fields.enumerated() {
            guard corrected.updateValue(field.value, forKey: field.key) == nil else {
                throw NoProofError.invalid("corrected[\(index)]", "\(field.key) is given twice")
            }
        }
        let (moment, values, credential) = (now(), corrected, unit.credentialID)
        if finding == .recordCorrected, let correction {
            // The corrected proof carries what the raising unit's item needs, and the corrected fields.
            var disclosure = FieldDisclosure.identityOnly
            if let code = try? UnifiedSocialCreditCode.parse(existing.unit, field: "unit"),
                let list = try? await units.versionInForce(unit: code, at: moment),
                let listed = list.item(existing.itemCode)?.proof(existing.proofType)?.disclosure
            {
                disclosure = listed
            }
            let done = try await correction.correct(
                existing, corrected: values, note: note, unit: unit, staff: staff, disclosure: disclosure, at: moment)
            return Stored(record: done.record, replayed: done.replayed)
        }
        return try await mismatchTransition(
            existing, caller: caller, action: .oversightReverify, staff: staff, result: AuditResult(rawValue: finding.rawValue)
        ) {
            m throws(NoProofError) in
            try m.reverify(
                finding: finding, note: note, corrected: values, actingUnit: unit.unitCode, credential: credential,
                by: staff, at: moment)
        }
    }

    /// The opening unit records the applicant's appeal: filed (`outcome` empty;
    /// `Oversight.AppealFiled`) or decided (`outcome`: an `AppealOutcome` name; `Oversight.AppealDecided`).
    package func appeal(_ id: String, reference: String, outcome text: String, note: String, caller: Caller) async throws -> Stored<MismatchCase> {
        let (existing, staff) = try await openerAction(id, caller: caller, to: "record the appeal of")
        let moment = now()
        if text.isEmpty {
            return try await mismatchTransition(existing, caller: caller, action: .oversightAppealFiled, staff: staff) {
                m throws(NoProofError) in try m.fileAppeal(reference: reference, by: staff, at: moment)
            }
        }
        let outcome = try AppealOutcome.parse(text)
        return try await mismatchTransition(
            existing, caller: caller, action: .oversightAppealDecided, staff: staff, result: AuditResult(rawValue: outcome.rawValue)
        ) {
            m throws(NoProofError) in try m.decideAppeal(outcome, note: note, by: staff, at: moment)
        }
    }

    /// Mismatch case `id`, to the two units involved and the task force office.
    package func mismatch(_ id: String, caller: Caller) async throws -> MismatchCase {
        try await readableMismatch(id, caller: caller)
    }

    /// The caller's mismatch cases (the task force office: every unit's), at most `limit`.
    package func mismatches(limit: Int, caller: Caller) async throws -> [MismatchCase] {
        let unit = caller.unit
        return try await store.mismatches(unit: unit.isTaskForce ? nil : unit.unitCode, limit: limit)
    }

    /// The correction notices of `unitCode` (see `scope`), newest first, at most `limit`.
    package func correctionNotices(unitCode: String, limit: Int, caller: Caller) async throws -> [CorrectionNotice] {
        let scope = try scope(unitCode, caller: caller, what: "correction notices")
        return try await store.correctionNotices(unit: scope, limit: limit)
    }

    /// The correction notices of `unitCode` (see `scope`) as they are written, and before them the
    /// stored ones (oldest first, at most `limit`) when `includeExisting`. Subscribed before the
    /// stored ones are read, so none written in between is missed (one may come twice: once
    /// stored, once pushed; its id tells).
    package func watchCorrectionNotices(
        unitCode: String, includeExisting: Bool, limit: Int, caller: Caller
    ) async throws -> (stored: [CorrectionNotice], stream: AsyncStream<CorrectionNotice>) {
        let scope = try scope(unitCode, caller: caller, what: "correction notices")
        let stream = notices.subscribe(unit: scope)
        guard includeExisting else { return ([], stream) }
        let stored = try await store.correctionNotices(unit: scope, limit: limit)
        return (stored.reversed(), stream)
    }

    private func mismatchTransition(
        _ existing: MismatchCase, caller: Caller, action: AuditAction, staff: String, result: AuditResult? = nil,
        _ body: @escaping @Sendable (inout MismatchCase) throws(NoProofError) -> Bool
    ) async throws -> Stored<MismatchCase> {
        let moment = now()
        let (record, changed) = try await store.updateMismatch(id: existing.id, body)
        guard changed else { return Stored(record: record, replayed: true) }
        try await audited(
            caller: caller, action: action, staff: staff, item: record.itemCode, caseReference: record.caseReference,
            holder: record.holderID, type: record.proofType, id: record.id, result: result ?? AuditResult(rawValue: record.status.rawValue), at: moment)
        return Stored(record: record, replayed: false)
    }
}
