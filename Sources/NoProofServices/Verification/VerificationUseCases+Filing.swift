package import Foundation
import NoProofAuditChain
package import NoProofDomain
import NoProofProtocol
import NoProofUnits
package import NoProofVerification
import Logging
import NoProofUnitStore

extension VerificationUseCases {
    /// What the requesting unit files: the proof asked for, the holder, the facts declared, the
    /// case it is for.
    package struct FileInput: Sendable {
        package var requestKey: String
        package var issuingUnitCode: String
        package var proofType: String
        package var holderID: String
        package var holderName: String
        package var declared: [DeclaredFact]
        package var itemCode: String
        package var caseReference: String
        /// The promised completion time the caller computed, if any (the server computes it from
        /// the published list; a caller's value must agree within a minute).
        package var promisedCompletionAt: Date?
        package var caseAcceptedAt: Date?

        package init(
            requestKey: String, issuingUnitCode: String, proofType: String, holderID: String, holderName: String,
            declared: [DeclaredFact], itemCode: String, caseReference: String, promisedCompletionAt: Date? = nil,
            caseAcceptedAt: Date? = nil
        ) {
            self.requestKey = requestKey
            self.issuingUnitCode = issuingUnitCode
            self.proofType = proofType
            self.holderID = holderID
            self.holderName = holderName
            self.declared = declared
            self.itemCode = itemCode
            self.caseReference = caseReference
            self.promisedCompletionAt = promisedCompletionAt
            self.caseAcceptedAt = caseAcceptedAt
        }
    }

    // MARK: Filing

    /// Files a request for the caller's unit; a replay of the same `requestKey` and content
    /// answers the stored request. A refusal by the requester's list is audited (`denied`).
    package func file(_ input: FileInput, caller: Caller) async throws(NoProofError) -> Handled {
        let unit = caller.unit
        let staff = try await member(caller.staff(), of: unit.unitCode, unitName: unit.unitName)
        let moment = now()
        var filing = VerificationRequest.Filing(
            requestKey: input.requestKey, requestingUnit: unit.unitCode, requestingUnitName: unit.unitName,
            issuingUnit: input.issuingUnitCode, issuingUnitName: "", proofType: input.proofType, holderID: input.holderID,
            holderName: input.holderName, declared: input.declared,
            itemCode: input.itemCode, caseReference: input.caseReference, itemKind: .immediate, promisedCompletionAt: nil,
            databaseBacked: databaseBacked(input.proofType),
            caseAcceptedAt: input.caseAcceptedAt, filedBy: staff.id
        )
        try VerificationRequest.validate(filing)
        do {
            _ = try Holder.parse(input.holderID, field: "holder_id")
        } catch {
            throw .invalid(error)
        }
        let issuing = try Self.unitCode(input.issuingUnitCode, field: "issuing_unit_code")
        let requester = try Self.unitCode(unit.unitCode, field: "unit")
        // The item must list this proof as obtained by department verification from that unit (Art. 5, 10);
        // a refusal is audited (result "denied") like a refused lookup.
        let item: ServiceItem
        do {
            item = try await listedItem(
                unit: unit, requester: requester, itemCode: input.itemCode, proofType: input.proofType,
                issuing: issuing, at: moment)
        } catch  where error.code == .forbidden {
            await record(
                AuditRecord(
                    atMillis: Self.millis(moment), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff.id,
                    action: .verificationFile, itemCode: String(input.itemCode.prefix(64)),
                    caseReference: String(input.caseReference.prefix(128)),
                    holderID: (try? Holder.parse(input.holderID))?.key ?? String(input.holderID.prefix(64)),
                    typeCode: String(input.proofType.prefix(32)), result: .denied))
            throw error
        }
        guard let issuingUnit = try await units.unit(code: issuing), issuingUnit.active else {
            throw .conflict(
                "the issuing unit \(issuing) is not a registered, active unit of the system, so it cannot receive requests; ask the task force office to register it"
            )
        }
        filing.issuingUnitName = issuingUnit.name
        switch item.kind {
        case .immediate:
            filing.itemKind = .immediate
            if input.promisedCompletionAt != nil {
                throw .invalid(
                    "promised_completion_at_millis",
                    "item \(item.code) (\(item.name)) is an immediate item (即办件) of \(unit.unitName)'s published list and has no promised completion time; omit the field"
                )
            }
        case .commitment(let promised):
            filing.itemKind = .commitment
            // The promised completion time is the published item's, counted from the case's start
            // (never later than now), not the caller's (Art. 10: the issuing unit's limit depends on it).
            let start = min(filing.caseAcceptedAt ?? moment, moment)
            let calendar = calendarBook?.calendar ?? .default
            let served = try VerificationDeadlines.promisedCompletion(promised, acceptedAt: start, calendar: calendar)
            if let given = input.promisedCompletionAt, abs(Self.millis(given) - Self.millis(served)) > 60_000 {
                throw .invalid(
                    "promised_completion_at_millis",
                    "item \(item.code) (\(item.name)) promises \(promised) in \(unit.unitName)'s published list, so the case accepted \(Self.format(start)) must be finished by \(Self.format(served)) (\(Self.millis(served))); omit the field (0) to let the server compute it from the list, or send that time"
                )
            }
            filing.promisedCompletionAt = served
        }
        let id = Self.newID()
        let built = filing, clock = officeClock
        let new = try VerificationRequest.file(built, id: id, at: moment, clock: clock)
        let (stored, created) = try await store.insert(new)
        if !created {
            guard filing.matches(stored) else {
                throw NoProofError(
                    .alreadyExists,
                    "request_key \(input.requestKey) was already used for request \(stored.id) with different content; use a new key for a new request")
            }
            return Handled(request: stored, replayed: true)
        }
        try await audited(stored, caller: caller, action: .verificationFile, staff: staff.id, result: .filed, at: moment)
        await scheduler.arm(stored)
        events.publish(VerificationEvent(kind: "new", at: moment, request: stored))
        logger.info(
            "verification request filed",
            metadata: [
                "request": "\(stored.id)", "from": "\(stored.requestingUnit)",
                "to": "\(stored.issuingUnit)", "rule": "\(stored.deadlineRule.rawValue)",
            ])
        return Handled(request: stored, replayed: false)
    }

    /// The item of the requester's list in force that obtains `proofType` by department
    /// verification from `issuing`; `forbidden` saying what is wrong otherwise.
    private func listedItem(
        unit: AuthenticatedUnit, requester: UnifiedSocialCreditCode, itemCode: String, proofType: String,
        issuing: UnifiedSocialCreditCode, at moment: Date, refiling returned: VerificationRequest? = nil
    ) async throws(NoProofError) -> ServiceItem {
        let list = try await units.versionInForce(unit: requester, at: moment)
        guard let list else {
            throw NoProofError(
                .forbidden, "\(unit.unitName) (\(unit.unitCode)) has no published item list in force; a verification request must cite an item of it")
        }
        guard let item = list.item(itemCode) else {
            throw NoProofError(
                .forbidden,
                "item \(itemCode) is not on \(unit.unitName)'s list in force (version \(list.version)); a verification request must cite an item of it")
        }
        guard let proof = item.proof(proofType) else {
            throw NoProofError(.forbidden, "item \(item.code) (\(item.name)) does not list proof \(proofType); only proofs the item lists may be asked for")
        }
        guard case .departmentVerification(let listed) = proof.method else {
            // A cancelled or excluded proof: the list's answer, with its version and what to do.
            if let refusal = ProofGuidance(itemCode: item.code, proof: proof, listVersion: list.version).refusal {
                throw NoProofError(.forbidden, refusal)
            }
            throw NoProofError(.forbidden, "item \(item.code) obtains \(proofType) by \(proof.method.summary), not by department verification")
        }
        guard listed == issuing else {
            let listedName = (try? await units.unit(code: listed))?.name ?? "the listed unit"
            var message =
                "item \(item.code) of \(unit.unitName)'s list in force (version \(list.version)) lists \(proofType) as verified by \(listedName) (\(listed)), not \(issuing); a request may only be addressed to the unit the published list names: address it to \(listed)"
            if let returned {
                message +=
                    returned.suggestedUnit == issuing.value
                    ? "; \(returned.issuingUnitName)'s suggestion to send it to \(issuing) does not change the list: if that unit is the right verifier, have the item's list changed (noproof list draft, then the task force office approves) and re-file once it is published"
                    : " (or have the item's list changed first)"
            } else {
                message += " (or have the item's list changed first)"
            }
            throw NoProofError(.forbidden, message)
        }
        return item
    }

    // MARK: Re-filing

    /// The requesting unit files returned request `id` again, to `issuingUnitCode` (empty: the
    /// unit the return suggested); a repeat answers the request already re-filed. A refusal by
    /// the requester's list is audited (`denied`).
    package func refile(_ id: String, issuingUnitCode: String, caller: Caller) async throws(NoProofError) -> Handled {
        let unit = caller.unit
        let existing = try await readable(id, caller: caller)
        guard existing.requestingUnit == unit.unitCode else {
            throw NoProofError(.forbidden, "only the requesting unit \(existing.requestingUnitName) (\(existing.requestingUnit)) re-files its request")
        }
        let staff = try await member(caller.staff(), of: unit.unitCode, unitName: unit.unitName)
        if let next = existing.refiledAs, let already = try await store.request(id: next) {
            return Handled(request: already, replayed: true)
        }
        guard existing.status == .returned else {
            throw .conflict("only a returned request can be re-filed; \(existing.id) is \(existing.status.rawValue)")
        }
        let targetText = issuingUnitCode.isEmpty ? (existing.suggestedUnit ?? "") : issuingUnitCode
        let target = try Self.unitCode(targetText, field: "issuing_unit_code")
        let moment = now()
        // The same rule as filing: the cited item of the requester's list in force must name the
        // target as the proof's verifier. A return's suggestion does not widen it (Art. 5, 10).
        let requester = try Self.unitCode(unit.unitCode, field: "unit")
        do {
            _ = try await listedItem(
                unit: unit, requester: requester, itemCode: existing.itemCode,
                proofType: existing.proofType, issuing: target, at: moment, refiling: existing)
        } catch  where error.code == .forbidden {
            await record(
                Self.auditRecord(
                    existing, action: .verificationRefile, unitCode: unit.unitCode, credentialID: unit.credentialID,
                    staff: staff.id, result: .denied, at: moment))
            throw error
        }
        guard let targetUnit = try await units.unit(code: target), targetUnit.active else {
            throw .conflict("\(target) is not a registered, active unit of the system; it cannot receive requests")
        }
        let newID = Self.newID()
        let backed = existing.databaseBacked, clock = officeClock
        let (new, created) = try await store.refile(id: existing.id) { old throws(NoProofError) in
            try old.refiling(to: target.value, unitName: targetUnit.name, id: newID, by: staff.id, databaseBacked: backed, at: moment, clock: clock)
        }
        guard created else { return Handled(request: new, replayed: true) }
        try await audited(new, caller: caller, action: .verificationRefile, staff: staff.id, result: .filed, at: moment)
        await scheduler.arm(new)
        events.publish(VerificationEvent(kind: "new", at: moment, request: new))
        if let old = try? await store.request(id: existing.id) {
            events.publish(VerificationEvent(kind: "refiled", at: moment, request: old))
        }
        return Handled(request: new, replayed: false)
    }
}
