import Foundation
import NoProofAuditChain
import NoProofDomain
package import NoProofOversight
import Logging
import NoProofProtocol
import NoProofUnits

extension OversightUseCases {
    /// A notification-commitment (告知承诺) to record, as the request gives it.
    package struct CommitmentInput: Hashable, Sendable {
        package var holderID: String
        package var holderName: String
        package var itemCode: String
        package var caseReference: String
        package var proofType: String
        package var text: String
        /// A `CommitmentChannel` name.
        package var channel: String

        package init(
            holderID: String, holderName: String, itemCode: String, caseReference: String, proofType: String, text: String, channel: String
        ) {
            self.holderID = holderID
            self.holderName = holderName
            self.itemCode = itemCode
            self.caseReference = caseReference
            self.proofType = proofType
            self.text = text
            self.channel = channel
        }
    }

    /// Records a commitment by the caller's active staff, for a proof an item of the unit's list
    /// in force obtains by commitment; audited `Oversight.RecordCommitment` (`recorded`, with the
    /// check due and whether it is flagged: an applicant with an earlier commitment found false).
    package func recordCommitment(_ input: CommitmentInput, caller: Caller) async throws -> Stored<Commitment> {
        let unit = caller.unit
        let staff = try await member(caller.staff(), of: unit)
        let channel = try CommitmentChannel.parse(input.channel)
        var filing = Commitment.Filing(
            unit: unit.unitCode, unitName: unit.unitName, holderID: input.holderID, holderName: input.holderName,
            itemCode: input.itemCode, caseReference: input.caseReference, proofType: input.proofType, text: input.text,
            channel: channel, recordedBy: staff
        )
        try Commitment.validate(filing)
        let moment = now()
        let item = try await listedItem(input.itemCode, unit: unit, at: moment, purpose: "a commitment")
        guard let proof = item.proof(input.proofType) else {
            throw NoProofError(
                .forbidden,
                "item \(item.code) (\(item.name)) does not list proof \(input.proofType); a commitment replaces only a proof the item lists as obtained by commitment"
            )
        }
        guard case .commitment = proof.method else {
            throw NoProofError(
                .forbidden,
                "item \(item.code) obtains \(input.proofType) by \(proof.method.summary), not by notification-commitment (告知承诺); the list in force does not allow a commitment for it"
            )
        }
        filing.itemName = item.name
        filing.proofName = proof.name
        let built = filing
        // Commitments with memory: the applicant's earlier commitments found false, at any unit.
        let earlierFalse = try await store.falseCommitments(holder: filing.holderID, limit: 100)
        let new = try Commitment.record(built, id: Self.newID("CM"), rule: rule, earlierFalse: earlierFalse, at: moment)
        let (stored, created) = try await store.insertCommitment(new)
        if !created {
            guard filing.matches(stored) else {
                throw NoProofError(
                    .alreadyExists,
                    "commitment \(stored.id) was already recorded for holder \(stored.holderID), case \(stored.caseReference) and proof \(stored.proofType) with a different text or channel; a case has one commitment per proof"
                )
            }
            return Stored(record: stored, replayed: true)
        }
        try await audited(
            caller: caller, action: .oversightRecordCommitment, staff: staff, item: stored.itemCode,
            caseReference: stored.caseReference, holder: stored.holderID, type: stored.proofType, id: stored.id,
            result: .recorded(
                checkDue: ISO8601DateFormatter().string(from: stored.checkDueAt),
                detail: stored.flagged
                    ? "; flagged: earlier false \((stored.earlierFalse ?? []).prefix(5).joined(separator: ",")), risk \(stored.risk.rawValue)" : ""),
            at: moment)
        if stored.flagged {
            logger.debug(
                "commitment flagged: the applicant has earlier commitments found false",
                metadata: ["commitment": "\(stored.id)", "earlier": "\(stored.earlierFalse?.count ?? 0)"])
        }
        return Stored(record: stored, replayed: false)
    }

    /// Records the post-check of commitment `id` (`outcome`: a `CheckOutcome` name), by the unit
    /// that recorded it; audited `Oversight.CheckCommitment` with the outcome (`late` when overdue).
    package func checkCommitment(_ id: String, outcome text: String, evidence: String, caller: Caller) async throws -> Stored<Commitment> {
        let unit = caller.unit
        let existing = try await readableCommitment(id, caller: caller)
        guard existing.unit == unit.unitCode else {
            throw NoProofError(.forbidden, "only \(existing.unitName) (\(existing.unit)), which recorded commitment \(existing.id), records its check")
        }
        let staff = try await member(caller.staff(), of: unit)
        let outcome = try CheckOutcome.parse(text)
        let moment = now()
        let (record, changed) = try await store.updateCommitment(id: existing.id) { c throws(NoProofError) in
            try c.recordCheck(outcome: outcome, evidence: evidence, by: staff, at: moment)
        }
        guard changed else { return Stored(record: record, replayed: true) }
        try await audited(
            caller: caller, action: .oversightCheckCommitment, staff: staff, item: record.itemCode,
            caseReference: record.caseReference, holder: record.holderID, type: record.proofType, id: record.id,
            result: record.checkedLate ? AuditResult(rawValue: outcome.rawValue).late : AuditResult(rawValue: outcome.rawValue), at: moment)
        if outcome == .foundFalse {
            logger.warning(
                "commitment found false: flagged for the unit and the task force office",
                metadata: ["commitment": "\(record.id)", "unit": "\(record.unit)"])
        }
        return Stored(record: record, replayed: false)
    }

    /// Commitment `id`, to the unit that recorded it and the task force office.
    package func commitment(_ id: String, caller: Caller) async throws -> Commitment {
        try await readableCommitment(id, caller: caller)
    }

    /// The commitments of `unitCode` (see `scope`) matching `filter` (a `CommitmentFilter`), at most `limit`.
    package func commitments(unitCode: String, filter text: String, limit: Int, caller: Caller) async throws -> [Commitment] {
        let scope = try scope(unitCode, caller: caller, what: "commitments")
        let filter = try CommitmentFilter.parse(text, now: now())
        return try await store.commitments(unit: scope, filter: filter, limit: limit)
    }
}
