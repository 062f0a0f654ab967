package import Foundation
package import NoProofDomain

/// A disagreement between what the applicant declared and what the system fetched (Art. 11),
/// and its state machine:
///
///     open ─request supplement─▶ awaiting_supplement ─record supplement─▶ supplement_received
///       │                                                                   │
///       └──────────────── reverify (the issuing unit only) ◀────────────────┘
///                             ▼
///                          resolved ─appeal─▶ appealed ─decide─▶ appeal_decided
///
/// The case links what was fetched: a proof serial and/or audit sequence of the lookup, or a
/// department-verification request id. Only the issuing unit re-verifies, and its finding
/// prevails and cannot be changed. Replays of a transition already made return `false`.
package struct MismatchCase: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    /// The unit that opened the case (the one handling the application).
    package var unit: String
    package var unitName: String
    /// The unit whose record was fetched and which re-verifies.
    package var issuingUnit: String
    package var issuingUnitName: String
    package var holderID: String
    package var itemCode: String
    package var caseReference: String
    package var proofType: String
    package var proofSerial: String
    package var auditSequence: Int64
    package var verificationRequestID: String
    package var facts: [MismatchedFact]
    package var openedAt: Date
    package var openedBy: String
    package var status: MismatchStatus
    package var supplementRequest: String?
    package var supplementRequestedAt: Date?
    package var supplementRequestedBy: String?
    package var supplement: String?
    package var supplementReceivedAt: Date?
    package var supplementReceivedBy: String?
    package var finding: MismatchFinding?
    package var findingNote: String?
    package var reverifiedAt: Date?
    package var reverifiedBy: String?
    /// The issuing unit's credential the finding was recorded with.
    package var reverifiedCredential: String?
    package var appealReference: String?
    package var appealFiledAt: Date?
    package var appealFiledBy: String?
    package var appealOutcome: AppealOutcome?
    package var appealNote: String?
    package var appealDecidedAt: Date?
    package var appealDecidedBy: String?
    /// Record corrected through the licence library (issue 16): the licence amended, its new
    /// version, the corrected proof's serial and the units told (nil when not propagated).
    package var correctedLicenceID: String? = nil
    package var correctedLicenceVersion: Int64? = nil
    package var correctedProofSerial: String? = nil
    package var noticedUnits: [String]? = nil

    package struct Opening: Hashable, Sendable {
        package var unit: String
        package var unitName: String
        package var issuingUnit: String
        package var issuingUnitName: String
        package var holderID: String
        package var itemCode: String
        package var caseReference: String
        package var proofType: String
        package var proofSerial: String
        package var auditSequence: Int64
        package var verificationRequestID: String
        package var facts: [MismatchedFact]
        package var openedBy: String

        package init(
            unit: String, unitName: String, issuingUnit: String, issuingUnitName: String, holderID: String, itemCode: String,
            caseReference: String, proofType: String, proofSerial: String = "", auditSequence: Int64 = 0,
            verificationRequestID: String = "", facts: [MismatchedFact], openedBy: String
        ) {
            self.unit = unit
            self.unitName = unitName
            self.issuingUnit = issuingUnit
            self.issuingUnitName = issuingUnitName
            self.holderID = holderID
            self.itemCode = itemCode
            self.caseReference = caseReference
            self.proofType = proofType
            self.proofSerial = proofSerial
            self.auditSequence = auditSequence
            self.verificationRequestID = verificationRequestID
            self.facts = facts
            self.openedBy = openedBy
        }

        /// Whether `existing` was opened from the same facts (a retry).
        package func matches(_ existing: MismatchCase) -> Bool {
            existing.unit == unit && existing.issuingUnit == issuingUnit && existing.holderID == holderID && existing.itemCode == itemCode
                && existing.caseReference == caseReference && existing.proofType == proofType && existing.proofSerial == proofSerial
                && existing.auditSequence == auditSequence && existing.verificationRequestID == verificationRequestID
                && existing.facts == facts
        }
    }

    package static func validate(_ opening: Opening) throws(NoProofError) {
        try OversightValidation.unit(opening.issuingUnit, "issuing_unit_code")
        if opening.issuingUnit == opening.unit {
            throw .invalid("issuing_unit_code", "a unit does not dispute its own record; name the unit whose record was fetched")
        }
        try OversightValidation.holder(opening.holderID)
        try OversightValidation.item(opening.itemCode)
        try OversightValidation.caseReference(opening.caseReference)
        try OversightValidation.proof(opening.proofType)
        if opening.proofSerial.isEmpty && opening.auditSequence <= 0 && opening.verificationRequestID.isEmpty {
            throw .invalid("proof_serial", "required: link what was fetched — the proof serial or audit sequence of the lookup, or the verification request id")
        }
        try OversightValidation.optional(opening.proofSerial, "proof_serial", limit: 128)
        try OversightValidation.optional(opening.verificationRequestID, "verification_request_id", limit: 128)
        if opening.facts.isEmpty { throw .invalid("facts", "required: at least one fact with its declared and fetched values") }
        if opening.facts.count > 64 { throw .invalid("facts", "at most 64 facts") }
        var keys = Set<String>()
        for (index, fact) in opening.facts.enumerated() {
            try OversightValidation.text(fact.key, "facts[\(index)].key", "the name of the fact", limit: 64)
            try OversightValidation.optional(fact.declared, "facts[\(index)].declared", limit: 500)
            try OversightValidation.optional(fact.fetched, "facts[\(index)].fetched", limit: 500)
            if fact.declared == fact.fetched {
                throw .invalid("facts[\(index)]", "declared and fetched values of \(fact.key) are the same; a mismatch case is for facts that differ")
            }
            if !keys.insert(fact.key).inserted { throw .invalid("facts[\(index)].key", "fact \(fact.key) is listed twice") }
        }
        try OversightValidation.staff(opening.openedBy)
    }

    package static func open(_ opening: Opening, id: String, at now: Date) throws(NoProofError) -> MismatchCase {
        try validate(opening)
        return MismatchCase(
            id: id, unit: opening.unit, unitName: opening.unitName, issuingUnit: opening.issuingUnit, issuingUnitName: opening.issuingUnitName,
            holderID: opening.holderID, itemCode: opening.itemCode, caseReference: opening.caseReference, proofType: opening.proofType,
            proofSerial: opening.proofSerial, auditSequence: opening.auditSequence, verificationRequestID: opening.verificationRequestID,
            facts: opening.facts.map { MismatchedFact(key: $0.key, declared: $0.declared, fetched: $0.fetched) }, openedAt: now,
            openedBy: opening.openedBy, status: .open
        )
    }

    // MARK: Transitions

    /// The opening unit asks the applicant for supplementary material.
    package mutating func requestSupplement(_ what: String, by staff: String, at now: Date) throws(NoProofError) -> Bool {
        if status == .awaitingSupplement, supplementRequest == what { return false }
        guard status == .open else {
            throw .conflict("mismatch \(id) is \(status.rawValue); supplementary material is asked for while the case is open")
        }
        try OversightValidation.text(what, "request", "what the applicant is asked to supply")
        supplementRequest = what
        supplementRequestedAt = now
        supplementRequestedBy = staff
        status = .awaitingSupplement
        return true
    }

    /// The opening unit records the supplementary material the applicant brought.
    package mutating func recordSupplement(_ material: String, by staff: String, at now: Date) throws(NoProofError) -> Bool {
        if status == .supplementReceived, supplement == material { return false }
        guard status == .awaitingSupplement else {
            throw .conflict(
                status == .open
                    ? "mismatch \(id) has no supplement request; ask for the material first ('supplement --request')"
                    : "mismatch \(id) is \(status.rawValue); supplementary material can no longer be recorded")
        }
        try OversightValidation.text(material, "material", "a description of the supplementary material")
        supplement = material
        supplementReceivedAt = now
        supplementReceivedBy = staff
        status = .supplementReceived
        return true
    }

    /// The issuing unit re-verifies; its finding prevails. `actingUnit` is the unit of the
    /// credential the call was made with. `corrected` gives the corrected values (record_corrected).
    package mutating func reverify(
        finding: MismatchFinding, note: String, corrected: [String: String], actingUnit: String,
        credential: String, by staff: String, at now: Date
    ) throws(NoProofError) -> Bool {
        guard actingUnit == issuingUnit else {
            throw NoProofError(
                .forbidden, "only the issuing unit \(issuingUnitName) (\(issuingUnit)) re-verifies mismatch \(id); its finding prevails (Art. 11)")
        }
        if status == .resolved || status == .appealed || status == .appealDecided {
            if self.finding == finding, findingNote == note, correctedValues == corrected { return false }
            throw .conflict(
                "mismatch \(id) was already re-verified (\(self.finding?.rawValue ?? "?")) by \(reverifiedBy ?? "?"); the issuing unit's finding cannot be changed"
            )
        }
        if status == .awaitingSupplement {
            throw .conflict("mismatch \(id) is waiting for the applicant's supplementary material; re-verify once it is recorded")
        }
        try OversightValidation.text(note, "note", "what the issuing unit found")
        switch finding {
        case .recordStands:
            if !corrected.isEmpty { throw .invalid("corrected", "no corrected values when the record stands") }
        case .recordCorrected:
            if corrected.isEmpty { throw .invalid("corrected", "required: the corrected value of each fact the issuing unit corrected") }
            let keys = Set(facts.map(\.key))
            if let unknown = corrected.keys.sorted().first(where: { !keys.contains($0) }) {
                throw .invalid("corrected", "\(unknown) is not one of the case's facts (\(facts.map(\.key).joined(separator: ", ")))")
            }
        }
        self.finding = finding
        findingNote = note
        for index in facts.indices { facts[index].corrected = corrected[facts[index].key] }
        reverifiedAt = now
        reverifiedBy = staff
        reverifiedCredential = credential
        status = .resolved
        return true
    }

    /// Records how a record_corrected finding was propagated (issue 16): the licence amended and
    /// its new version, the corrected proof issued to the opening unit, the units told.
    package mutating func recordPropagation(licenceID: String, version: Int64, proofSerial: String, noticed: [String]) {
        correctedLicenceID = licenceID
        correctedLicenceVersion = version
        correctedProofSerial = proofSerial
        noticedUnits = noticed
    }

    /// The corrected values recorded at re-verification.
    package var correctedValues: [String: String] {
        Dictionary(facts.compactMap { fact in fact.corrected.map { (fact.key, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// The applicant's administrative review (行政复议) is recorded.
    package mutating func fileAppeal(reference: String, by staff: String, at now: Date) throws(NoProofError) -> Bool {
        if status == .appealed || status == .appealDecided {
            if appealReference == reference { return false }
            throw .conflict("mismatch \(id) already has appeal \(appealReference ?? "?")")
        }
        guard status == .resolved else {
            throw .conflict("mismatch \(id) is \(status.rawValue); an appeal is against the decision after the issuing unit re-verified")
        }
        try OversightValidation.text(reference, "reference", "the administrative review's reference", limit: 128)
        appealReference = reference
        appealFiledAt = now
        appealFiledBy = staff
        status = .appealed
        return true
    }

    /// The outcome of the administrative review.
    package mutating func decideAppeal(_ outcome: AppealOutcome, note: String, by staff: String, at now: Date) throws(NoProofError) -> Bool {
        if status == .appealDecided {
            if appealOutcome == outcome && appealNote == note { return false }
            throw .conflict("the appeal of mismatch \(id) was already decided (\(appealOutcome?.rawValue ?? "?"))")
        }
        guard status == .appealed else {
            throw .conflict("mismatch \(id) is \(status.rawValue); record the appeal before its outcome")
        }
        try OversightValidation.optional(note, "note")
        appealOutcome = outcome
        appealNote = note
        appealDecidedAt = now
        appealDecidedBy = staff
        status = .appealDecided
        return true
    }

    /// When the issuing unit's finding was recorded, i.e. the case was resolved.
    package var resolvedAt: Date? { reverifiedAt }
}
