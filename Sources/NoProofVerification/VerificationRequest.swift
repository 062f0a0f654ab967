package import Foundation
package import NoProofUnits
package import NoProofDomain

/// Where a request stands. `escalated` means overdue: the answer deadline passed and the issuing
/// unit's supervisor (督办员) must see it finished within a further 30 minutes.
package enum VerificationStatus: String, Codable, Hashable, Sendable, CaseIterable {
    case filed, taken, escalated, answered, returned

    /// Still waiting for the issuing unit.
    package var isOpen: Bool { self == .filed || self == .taken || self == .escalated }
}

/// What the issuing unit answered.
package enum VerificationOutcome: String, Codable, Hashable, Sendable {
    /// The fact is on record: the proof, sealed with the verification seal, goes back.
    case verified
    /// The fact is not on the issuing unit's record.
    case notOnRecord = "not_on_record"
}

/// One fact the applicant declared, e.g. ("degree", "学士").
package struct DeclaredFact: Codable, Hashable, Sendable {
    package var key: String
    package var value: String
    package init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A declared fact compared with the issuing unit's record (Art. 11: the record prevails).
package struct FactComparison: Codable, Hashable, Sendable {
    package enum Result: String, Codable, Hashable, Sendable { case match, mismatch, notOnRecord = "not_on_record" }
    package var key: String
    package var result: Result
    package init(key: String, result: Result) {
        self.key = key
        self.result = result
    }
}

/// The sealed proof of a verified answer, kept as the bytes that were signed (a `ProofBody`)
/// and the seal over them.
package struct SealedAnswer: Codable, Hashable, Sendable {
    package var body: Data
    package var keyID: String
    package var signature: Data
    package init(body: Data, keyID: String, signature: Data) {
        self.body = body
        self.keyID = keyID
        self.signature = signature
    }
}

/// A department verification request (部门核验, Art. 10) and its state machine:
///
///     filed ─take─▶ taken ─answer─▶ answered (verified proof | not on record)
///       │            └──return─▶ returned (reason, suggested unit) ─refile─▶ a new request
///       └─(answer_by passes)─▶ escalated (overdue; supervisor has 30 more minutes)
///                                 ├─answer/return─▶ finished late
///                                 └─(escalation_by passes)─▶ second breach recorded (still escalated)
///
/// Every transition is a pure function of the request, the actor and the time; replays of a
/// transition already made (same actor, same content) return `false` ("unchanged") so that a
/// client retry after a lost reply changes nothing.
package struct VerificationRequest: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var requestKey: String
    package var requestingUnit: String
    package var requestingUnitName: String
    package var issuingUnit: String
    package var issuingUnitName: String
    package var proofType: String
    package var holderID: String
    package var holderName: String
    package var declared: [DeclaredFact]
    package var itemCode: String
    package var caseReference: String
    package var itemKind: VerificationItemKind
    package var promisedCompletionAt: Date?
    package var deadlineRule: DeadlineRule
    package var databaseBacked: Bool
    package var caseAcceptedAt: Date
    package var filedAt: Date
    package var filedBy: String
    package var answerBy: Date
    package var returnBy: Date
    package var escalationBy: Date?
    package var status: VerificationStatus
    package var takenBy: String?
    package var takenAt: Date?
    package var overdueAt: Date?
    package var secondBreachAt: Date?
    package var finishedAt: Date?
    package var finishedBy: String?
    package var finishedLate: Bool
    package var outcome: VerificationOutcome?
    package var proof: SealedAnswer?
    package var note: String
    package var checks: [FactComparison]
    /// Fingerprint of the answer's content, to tell a retry from a different second answer.
    package var answerContent: String?
    package var returnReason: String?
    package var suggestedUnit: String?
    package var refiledFrom: String?
    package var refiledAs: String?
    /// Verification time spent on the returned requests this one was re-filed from.
    package var priorVerificationTime: TimeInterval

    /// The facts of a new request, as the requesting unit files them.
    package struct Filing: Hashable, Sendable {
        package var requestKey: String
        package var requestingUnit: String
        package var requestingUnitName: String
        package var issuingUnit: String
        package var issuingUnitName: String
        package var proofType: String
        package var holderID: String
        package var holderName: String
        package var declared: [DeclaredFact]
        package var itemCode: String
        package var caseReference: String
        package var itemKind: VerificationItemKind
        package var promisedCompletionAt: Date?
        package var databaseBacked: Bool
        package var caseAcceptedAt: Date?
        package var filedBy: String

        package init(
            requestKey: String, requestingUnit: String, requestingUnitName: String, issuingUnit: String, issuingUnitName: String,
            proofType: String, holderID: String, holderName: String, declared: [DeclaredFact], itemCode: String,
            caseReference: String, itemKind: VerificationItemKind, promisedCompletionAt: Date?, databaseBacked: Bool,
            caseAcceptedAt: Date?, filedBy: String
        ) {
            self.requestKey = requestKey
            self.requestingUnit = requestingUnit
            self.requestingUnitName = requestingUnitName
            self.issuingUnit = issuingUnit
            self.issuingUnitName = issuingUnitName
            self.proofType = proofType
            self.holderID = holderID
            self.holderName = holderName
            self.declared = declared
            self.itemCode = itemCode
            self.caseReference = caseReference
            self.itemKind = itemKind
            self.promisedCompletionAt = promisedCompletionAt
            self.databaseBacked = databaseBacked
            self.caseAcceptedAt = caseAcceptedAt
            self.filedBy = filedBy
        }

        /// Whether `request` was filed from the same facts (a retry with the same key).
        package func matches(_ request: VerificationRequest) -> Bool {
            request.requestKey == requestKey && request.requestingUnit == requestingUnit && request.issuingUnit == issuingUnit
                && request.proofType == proofType && request.holderID == holderID && request.itemCode == itemCode
                && request.caseReference == caseReference && request.declared == declared
        }
    }

    /// Files a request at `now`: validates it and computes its deadlines on `clock` (office time).
    package static func file(_ filing: Filing, id: String, at now: Date, clock: OfficeClock = .roundTheClock) throws(NoProofError) -> VerificationRequest {
        try validate(filing)
        let deadlines = try VerificationDeadlines.compute(
            filedAt: now, itemKind: filing.itemKind, databaseBacked: filing.databaseBacked,
            promisedCompletionAt: filing.promisedCompletionAt, clock: clock)
        return VerificationRequest(
            id: id, requestKey: filing.requestKey, requestingUnit: filing.requestingUnit, requestingUnitName: filing.requestingUnitName,
            issuingUnit: filing.issuingUnit, issuingUnitName: filing.issuingUnitName, proofType: filing.proofType,
            holderID: filing.holderID, holderName: filing.holderName, declared: filing.declared, itemCode: filing.itemCode,
            caseReference: filing.caseReference, itemKind: filing.itemKind, promisedCompletionAt: filing.promisedCompletionAt,
            deadlineRule: deadlines.rule, databaseBacked: filing.databaseBacked, caseAcceptedAt: min(filing.caseAcceptedAt ?? now, now),
            filedAt: now, filedBy: filing.filedBy, answerBy: deadlines.answerBy, returnBy: deadlines.returnBy, escalationBy: nil,
            status: .filed, takenBy: nil, takenAt: nil, overdueAt: nil, secondBreachAt: nil, finishedAt: nil, finishedBy: nil,
            finishedLate: false, outcome: nil, proof: nil, note: "", checks: [], answerContent: nil, returnReason: nil,
            suggestedUnit: nil, refiledFrom: nil, refiledAs: nil, priorVerificationTime: 0
        )
    }

    package static func validate(_ filing: Filing) throws(NoProofError) {
        func required(_ value: String, _ field: String, _ what: String) throws(NoProofError) {
            if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .invalid(field, "required: \(what)") }
        }
        try required(filing.requestKey, "request_key", "a key unique to this request (a UUID), so a retry files nothing twice")
        if filing.requestKey.utf8.count > 128 { throw .invalid("request_key", "at most 128 bytes") }
        try required(filing.issuingUnit, "issuing_unit_code", "the issuing unit's unified social credit code")
        try required(filing.proofType, "proof_type", "the proof's type code (e.g. XWZS)")
        try required(filing.holderID, "holder_id", "the applicant's resident ID or unified social credit code")
        try required(filing.itemCode, "purpose.item_code", "the service item (事项) the proof is for")
        try required(filing.caseReference, "purpose.case_reference", "the requesting unit's case reference")
        if filing.holderID.utf8.count > 64 { throw .invalid("holder_id", "at most 64 characters") }
        if filing.caseReference.utf8.count > 128 { throw .invalid("purpose.case_reference", "at most 128 characters") }
        if filing.declared.count > 64 { throw .invalid("declared", "at most 64 declared facts") }
        for (index, fact) in filing.declared.enumerated() where fact.key.isEmpty {
            throw .invalid("declared[\(index)].key", "required: the name of the declared fact")
        }
        if filing.issuingUnit == filing.requestingUnit {
            throw .invalid("issuing_unit_code", "a unit does not ask itself; look the fact up in its own records")
        }
    }

    // MARK: Transitions

    /// The issuing unit's staff member takes the request. Taking it again is a no-op; the
    /// supervisor may take over a request another member took.
    package mutating func take(by staff: String, isSupervisor: Bool, at now: Date) throws(NoProofError) -> Bool {
        switch status {
        case .filed:
            break
        case .taken, .escalated:
            if takenBy == staff { return false }
            if let takenBy, !isSupervisor, status == .taken {
                throw NoProofError(.conflict, "request \(id) is taken by \(takenBy); only the supervisor (督办员) may take it over")
            }
        case .answered, .returned:
            throw NoProofError(.conflict, "request \(id) is already \(status.rawValue); nothing to take")
        }
        takenBy = staff
        takenAt = now
        if status == .filed { status = .taken }
        return true
    }

    /// The issuing unit answers: the sealed proof (verified) or "not on record". Repeating the
    /// same answer is a no-op; a different answer to an answered request is refused.
    package mutating func answer(
        by staff: String, isSupervisor: Bool, outcome: VerificationOutcome, proof: SealedAnswer?,
        checks: [FactComparison], note: String, content: String, at now: Date
    ) throws(NoProofError) -> Bool {
        if status == .answered {
            if answerContent == content { return false }
            throw NoProofError(
                .conflict, "request \(id) was already answered (\(self.outcome?.rawValue ?? "?")) by \(finishedBy ?? "?"); an answer cannot be changed")
        }
        try mayFinish(by: staff, isSupervisor: isSupervisor, action: "answer")
        if outcome == .verified, proof == nil {
            throw .invalid("licence", "a verified answer carries the verified record")
        }
        self.outcome = outcome
        self.proof = outcome == .verified ? proof : nil
        self.checks = checks
        self.note = note
        answerContent = content
        finish(.answered, by: staff, late: now > answerBy, at: now)
        return true
    }

    /// Not this unit's duty: return the request with the reason and where to send it instead.
    package mutating func returnRequest(
        by staff: String, isSupervisor: Bool, reason: String, suggestedUnit: String,
        at now: Date
    ) throws(NoProofError) -> Bool {
        if status == .returned {
            if returnReason == reason && self.suggestedUnit == suggestedUnit { return false }
            throw NoProofError(.conflict, "request \(id) was already returned by \(finishedBy ?? "?")")
        }
        if status == .answered {
            throw NoProofError(.conflict, "request \(id) was already answered; it cannot be returned")
        }
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalid("reason", "required: why this is not the unit's duty")
        }
        if suggestedUnit == issuingUnit { throw .invalid("suggested_unit_code", "suggest another unit than the one returning it") }
        try mayFinish(by: staff, isSupervisor: isSupervisor, action: "return")
        returnReason = reason
        self.suggestedUnit = suggestedUnit
        finish(.returned, by: staff, late: now > returnBy, at: now)
        return true
    }

    private func mayFinish(by staff: String, isSupervisor: Bool, action: String) throws(NoProofError) {
        switch status {
        case .filed:
            throw NoProofError(.conflict, "request \(id) has not been taken; take it first ('take') so the queue shows who works on it")
        case .taken:
            if let takenBy, takenBy != staff, !isSupervisor {
                throw NoProofError(.conflict, "request \(id) is taken by \(takenBy); only they or the supervisor (督办员) may \(action) it")
            }
        case .escalated:
            break
        case .answered, .returned:
            throw NoProofError(.conflict, "request \(id) is already \(status.rawValue)")
        }
    }

    private mutating func finish(_ status: VerificationStatus, by staff: String, late: Bool, at now: Date) {
        self.status = status
        finishedAt = now
        finishedBy = staff
        finishedLate = late || overdueAt != nil
    }

    /// The answer deadline passed with the request still open: it becomes overdue and goes to the
    /// supervisor, who must see it finished within 30 minutes.
    /// The supervisor's 30 minutes run on `clock` (office time); should the count reach a year
    /// with no published calendar, they run on the wall clock, so the escalation never stalls.
    package mutating func markOverdue(at now: Date, clock: OfficeClock = .roundTheClock) -> Bool {
        guard status == .filed || status == .taken, now >= answerBy else { return false }
        status = .escalated
        overdueAt = answerBy
        escalationBy = (try? clock.adding(DeadlineRule.shortLimit, to: answerBy)) ?? answerBy.addingTimeInterval(DeadlineRule.shortLimit)
        return true
    }

    /// The supervisor's 30 minutes passed too: the second breach is recorded.
    package mutating func recordSecondBreach(at now: Date) -> Bool {
        guard status == .escalated, secondBreachAt == nil, let escalationBy, now >= escalationBy else { return false }
        secondBreachAt = escalationBy
        return true
    }

    /// The next moment the scheduler must look at this request, if any.
    package var nextDeadline: Date? {
        switch status {
        case .filed, .taken: answerBy
        case .escalated: secondBreachAt == nil ? escalationBy : nil
        case .answered, .returned: nil
        }
    }

    /// A new request with the same facts, addressed to `unit` (by default the suggested one).
    package func refiling(
        to unit: String, unitName: String, id newID: String, by staff: String, databaseBacked: Bool,
        at now: Date, clock: OfficeClock = .roundTheClock
    ) throws(NoProofError) -> VerificationRequest {
        guard status == .returned else {
            throw NoProofError(.conflict, "only a returned request can be re-filed; request \(id) is \(status.rawValue)")
        }
        let filing = Filing(
            requestKey: "\(requestKey)/refile", requestingUnit: requestingUnit, requestingUnitName: requestingUnitName,
            issuingUnit: unit, issuingUnitName: unitName, proofType: proofType, holderID: holderID, holderName: holderName,
            declared: declared, itemCode: itemCode, caseReference: caseReference, itemKind: itemKind,
            promisedCompletionAt: promisedCompletionAt, databaseBacked: databaseBacked, caseAcceptedAt: caseAcceptedAt, filedBy: staff
        )
        var next = try VerificationRequest.file(filing, id: newID, at: now, clock: clock)
        next.refiledFrom = id
        next.priorVerificationTime = verificationTime(at: now)
        return next
    }

    // MARK: Time reports (Art. 10)

    /// Verification time: filed to finished (or to `now` while open), plus returned predecessors.
    package func verificationTime(at now: Date) -> TimeInterval {
        priorVerificationTime + max(0, (finishedAt ?? now).timeIntervalSince(filedAt))
    }

    /// The item's own processing time so far: since the case was accepted, less verification time.
    package func itemProcessingTime(at now: Date) -> TimeInterval {
        max(0, now.timeIntervalSince(caseAcceptedAt) - verificationTime(at: now))
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: date)
    }
}
