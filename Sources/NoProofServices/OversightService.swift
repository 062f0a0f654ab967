import Foundation
import Logging
import NoProofCodec
import NoProofDomain
import NoProofLibrary
import NoProofOversight
import NoProofProtocol
import NoProofSeals
import NoProofServer
import NoProofUnitStore
import NoProofUnits
import NoProofVerification
import NoProofAuditChain

/// Oversight records over RPC (`noproof.v1.Oversight`, Art. 2, 7, 11, 12, 18).
///
/// Who may do what:
/// - a unit's active staff record commitments (only for a proof an item of the unit's list in
///   force obtains by commitment) and their checks, ledger entries (voluntary proofs for items of
///   its list), and open mismatch cases, ask for and record supplementary material and record
///   the applicant's appeal on the cases it opened;
/// - only the issuing unit re-verifies a mismatch case (its finding prevails);
/// - the task force office registers, routes and closes complaints; the unit a complaint was
///   routed to answers it;
/// - each unit reads its own records (mismatch cases: both units); the task force office reads
///   everything, across units.
///
/// Commitments with memory (issue 16): a commitment by an applicant with an earlier commitment
/// found false (at any unit) warns the clerk in the answer and is flagged: its risk is raised to
/// high (`CheckRiskRule.level(item:proof:earlierFalse:)`). With a licence library and keyring, a
/// mismatch resolved as record corrected amends the licence, issues a corrected proof and tells
/// the units that fetched the old version (`MismatchCorrection`).
///
/// Every record and transition is committed to the store and its audit record to the audit log
/// before the call is answered; retries (same natural key and content) change nothing.
package final class OversightService: Sendable {
    let store: any OversightStore
    let units: any UnitStore
    let audit: any AuditTrail
    let verifications: (any VerificationStore)?
    let rule: CheckRiskRule
    let correction: MismatchCorrection?
    /// Correction notices pushed to `WatchCorrectionNotices` streams as they are written.
    package let notices = CorrectionNoticeHub()
    let now: @Sendable () -> Date
    let logger: Logger

    /// - Parameters:
    ///   - verifications: when given, a mismatch case that links a verification request is
    ///     checked against it (the opening unit filed it, to that issuing unit, for that holder).
    ///   - rule: the per-item risk rule that gives commitments their check due dates.
    ///   - library, keyring: when both are given, a record_corrected finding amends the licence,
    ///     issues the corrected proof and writes the correction notices (`MismatchCorrection`);
    ///     without them it changes the case record only.
    package init(
        store: any OversightStore, units: any UnitStore, audit: any AuditTrail, verifications: (any VerificationStore)? = nil,
        rule: CheckRiskRule = .standard, library: LicenceLibrary? = nil, keyring: SealKeyring? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "noproof.oversight")
    ) {
        if let library, let keyring {
            correction = MismatchCorrection(store: store, library: library, keyring: keyring, audit: audit, logger: logger, hub: notices)
        } else {
            correction = nil
        }
        self.store = store
        self.units = units
        self.audit = audit
        self.verifications = verifications
        self.rule = rule
        self.now = now
        self.logger = logger
    }

    package func register(in registry: inout RPCRegistry) {
        registry.unary(OversightMethods.recordCommitment, RecordCommitmentRequest.self, CommitmentResponse.self) { [self] request, context in
            try await recordCommitment(request, context: context)
        }
        registry.unary(OversightMethods.checkCommitment, CheckCommitmentRequest.self, CommitmentResponse.self) { [self] request, context in
            try await checkCommitment(request, context: context)
        }
        registry.unary(OversightMethods.getCommitment, GetOversightRecordRequest.self, CommitmentResponse.self) { [self] request, context in
            CommitmentResponse(commitment: message(try await readableCommitment(request.id, context: context)), replayed: false)
        }
        registry.unary(OversightMethods.listCommitments, ListCommitmentsRequest.self, ListCommitmentsResponse.self) { [self] request, context in
            let scope = try scope(request.unitCode, context: context, what: "commitments")
            let moment = now()
            let filter = try CommitmentFilter.parse(request.filter, now: moment)
            let found = try await store.commitments(unit: scope, filter: filter, limit: Self.limit(request.limit, default: 100))
            return ListCommitmentsResponse(commitments: found.map { message($0) })
        }
        registry.unary(OversightMethods.addLedgerEntry, AddLedgerEntryRequest.self, LedgerEntryResponse.self) { [self] request, context in
            try await addLedgerEntry(request, context: context)
        }
        registry.unary(OversightMethods.listLedger, ListLedgerRequest.self, ListLedgerResponse.self) { [self] request, context in
            let scope = try scope(request.unitCode, context: context, what: "ledger entries")
            let found = try await store.ledgerEntries(
                unit: scope, from: request.fromMillis == 0 ? nil : Self.date(request.fromMillis),
                to: request.toMillis == 0 ? nil : Self.date(request.toMillis),
                limit: Self.limit(request.limit, default: 1000))
            return ListLedgerResponse(entries: found.map(Self.message))
        }
        registry.unary(OversightMethods.openMismatch, OpenMismatchRequest.self, MismatchResponse.self) { [self] request, context in
            try await openMismatch(request, context: context)
        }
        registry.unary(OversightMethods.requestSupplement, MismatchSupplementRequest.self, MismatchResponse.self) { [self] request, context in
            let (existing, staff) = try await openerAction(request.mismatchID, context: context, to: "ask for supplementary material on")
            let moment = now()
            let text = request.text
            return try await mismatchTransition(existing, context: context, action: .oversightRequestSupplement, staff: staff) {
                m throws(NoProofError) in try m.requestSupplement(text, by: staff, at: moment)
            }
        }
        registry.unary(OversightMethods.recordSupplement, MismatchSupplementRequest.self, MismatchResponse.self) { [self] request, context in
            let (existing, staff) = try await openerAction(request.mismatchID, context: context, to: "record supplementary material on")
            let moment = now()
            let text = request.text
            return try await mismatchTransition(existing, context: context, action: .oversightRecordSupplement, staff: staff) {
                m throws(NoProofError) in try m.recordSupplement(text, by: staff, at: moment)
            }
        }
        registry.unary(OversightMethods.reverify, ReverifyMismatchRequest.self, MismatchResponse.self) { [self] request, context in
            let unit = try context.requireUnit()
            let existing = try await readableMismatch(request.mismatchID, context: context)
            guard unit.unitCode == existing.issuingUnit else {
                throw RPCError(
                    .permissionDenied,
                    "only the issuing unit \(existing.issuingUnitName) (\(existing.issuingUnit)) re-verifies mismatch \(existing.id); its finding prevails (Art. 11)"
                )
            }
            let finding = try MismatchFinding.parse(request.finding)
            // A correction changes the licence library: only a staff member signed in with their own credential.
            if finding == .recordCorrected, correction != nil {
                _ = try UnitService.requireSignedIn(context, to: "correct the issuing unit's record after a mismatch case")
            }
            let staff = try await member(UnitService.requireStaff(context), of: unit)
            var corrected: [String: String] = [:]
            for (index, field) in request.corrected.enumerated() {
                guard corrected.updateValue(field.value, forKey: field.key) == nil else {
                    throw RPCError(.invalidArgument, "corrected[\(index)]: \(field.key) is given twice")
                }
            }
            let (moment, note, values, credential) = (now(), request.note, corrected, unit.credentialID)
            if finding == .recordCorrected, let correction {
                // The corrected proof carries what the raising unit's item needs, and the corrected fields.
                var disclosure = FieldDisclosure.identityOnly
                if let code = try? UnifiedSocialCreditCode.parse(existing.unit, field: "unit"),
                    let list = try? await units.versionInForce(unit: code, at: moment),
                    let listed = list.item(existing.itemCode)?.proof(existing.proofType)?.disclosure
                {
                    disclosure = listed
                }
                return try await correction.correct(
                    existing, corrected: values, note: note, unit: unit, staff: staff,
                    disclosure: disclosure, at: moment)
            }
            return try await mismatchTransition(
                existing, context: context, action: .oversightReverify, staff: staff, result: AuditResult(rawValue: finding.rawValue)
            ) {
                m throws(NoProofError) in
                try m.reverify(
                    finding: finding, note: note, corrected: values, actingUnit: unit.unitCode, credential: credential,
                    by: staff, at: moment)
            }
        }
        registry.unary(OversightMethods.appeal, AppealMismatchRequest.self, MismatchResponse.self) { [self] request, context in
            let (existing, staff) = try await openerAction(request.mismatchID, context: context, to: "record the appeal of")
            let moment = now()
            if request.outcome.isEmpty {
                let reference = request.reference
                return try await mismatchTransition(existing, context: context, action: .oversightAppealFiled, staff: staff) {
                    m throws(NoProofError) in try m.fileAppeal(reference: reference, by: staff, at: moment)
                }
            }
            let outcome = try AppealOutcome.parse(request.outcome)
            let note = request.note
            return try await mismatchTransition(
                existing, context: context, action: .oversightAppealDecided, staff: staff, result: AuditResult(rawValue: outcome.rawValue)
            ) {
                m throws(NoProofError) in try m.decideAppeal(outcome, note: note, by: staff, at: moment)
            }
        }
        registry.unary(OversightMethods.getMismatch, GetOversightRecordRequest.self, MismatchResponse.self) { [self] request, context in
            MismatchResponse(mismatch: Self.message(try await readableMismatch(request.id, context: context)), replayed: false)
        }
        registry.unary(OversightMethods.listMismatches, ListMismatchesRequest.self, ListMismatchesResponse.self) { [self] request, context in
            let unit = try context.requireUnit()
            let found = try await store.mismatches(unit: unit.isTaskForce ? nil : unit.unitCode, limit: Self.limit(request.limit, default: 100))
            return ListMismatchesResponse(mismatches: found.map(Self.message))
        }
        registry.unary(OversightMethods.listCorrectionNotices, ListCorrectionNoticesRequest.self, ListCorrectionNoticesResponse.self) {
            [self] request, context in
            let scope = try scope(request.unitCode, context: context, what: "correction notices")
            let found = try await store.correctionNotices(unit: scope, limit: Self.limit(request.limit, default: 100))
            return ListCorrectionNoticesResponse(notices: found.map(Self.message))
        }
        registry.serverStreaming(
            OversightMethods.watchCorrectionNotices, WatchCorrectionNoticesRequest.self,
            CorrectionNoticeRecord.self
        ) { [self] request, context, writer in
            let scope = try scope(request.unitCode, context: context, what: "correction notices")
            // Subscribed before the stored ones are read, so none written in between is missed
            // (one may come twice: once stored, once pushed; its notice_id tells).
            let stream = notices.subscribe(unit: scope)
            if request.includeExisting {
                let stored = try await store.correctionNotices(unit: scope, limit: Self.limit(request.limit, default: 100))
                for notice in stored.reversed() { try await writer.send(Self.message(notice)) }
            }
            for await notice in stream { try await writer.send(Self.message(notice)) }
        }
        registry.unary(OversightMethods.fileComplaint, FileComplaintRequest.self, ComplaintResponse.self) { [self] request, context in
            try await fileComplaint(request, context: context)
        }
        registry.unary(OversightMethods.routeComplaint, RouteComplaintRequest.self, ComplaintResponse.self) { [self] request, context in
            let (existing, staff) = try await taskForceAction(request.complaintID, context: context, to: "route complaints")
            let target = try await activeUnit(request.unitCode.isEmpty ? existing.unit : request.unitCode, field: "unit_code")
            let moment = now()
            return try await complaintTransition(
                existing, context: context, action: .oversightRouteComplaint, staff: staff, result: .routed(to: target.code.value)
            ) {
                c throws(NoProofError) in try c.route(to: target.code.value, unitName: target.name, by: staff, at: moment)
            }
        }
        registry.unary(OversightMethods.answerComplaint, AnswerComplaintRequest.self, ComplaintResponse.self) { [self] request, context in
            let unit = try context.requireUnit()
            let existing = try await readableComplaint(request.complaintID, context: context)
            let staff = try await member(UnitService.requireStaff(context), of: unit)
            let (moment, answer) = (now(), request.answer)
            return try await complaintTransition(existing, context: context, action: .oversightAnswerComplaint, staff: staff) {
                c throws(NoProofError) in try c.answer(answer, actingUnit: unit.unitCode, by: staff, at: moment)
            }
        }
        registry.unary(OversightMethods.closeComplaint, CloseComplaintRequest.self, ComplaintResponse.self) { [self] request, context in
            let (existing, staff) = try await taskForceAction(request.complaintID, context: context, to: "close complaints")
            let (moment, substantiated, note) = (now(), request.substantiated, request.note)
            return try await complaintTransition(
                existing, context: context, action: .oversightCloseComplaint, staff: staff,
                result: substantiated ? .substantiated : .unsubstantiated
            ) {
                c throws(NoProofError) in try c.close(substantiated: substantiated, note: note, by: staff, at: moment)
            }
        }
        registry.unary(OversightMethods.getComplaint, GetOversightRecordRequest.self, ComplaintResponse.self) { [self] request, context in
            ComplaintResponse(complaint: Self.message(try await readableComplaint(request.id, context: context)), replayed: false)
        }
        registry.unary(OversightMethods.listComplaints, ListComplaintsRequest.self, ListComplaintsResponse.self) { [self] request, context in
            let scope = try scope(request.unitCode, context: context, what: "complaints")
            let status = request.status.isEmpty ? nil : try ComplaintStatus.parse(request.status)
            let found = try await store.complaints(routedTo: scope, status: status, limit: Self.limit(request.limit, default: 100))
            return ListComplaintsResponse(complaints: found.map(Self.message))
        }
        registry.unary(OversightMethods.counts, OversightCountsRequest.self, OversightCountsResponse.self) { [self] request, context in
            let unit = try context.requireUnit()
            let code = request.unitCode.isEmpty ? unit.unitCode : try UnitService.unitCode(request.unitCode).value
            guard code == unit.unitCode || unit.isTaskForce else {
                throw RPCError(.permissionDenied, "a unit reads its own figures only; this connection acts for \(unit.unitName) (\(unit.unitCode))")
            }
            let moment = now()
            // Default end: just after now, so what was recorded this very millisecond counts.
            let to = request.toMillis == 0 ? Self.date(Self.millis(moment) + 1) : Self.date(request.toMillis)
            let from = request.fromMillis == 0 ? to.addingTimeInterval(-30 * 86_400) : Self.date(request.fromMillis)
            guard from < to else { throw RPCError(.invalidArgument, "from_millis: the period must start before it ends") }
            let asOf = request.asOfMillis == 0 ? moment : Self.date(request.asOfMillis)
            let counts = try await store.counts(unit: code, from: from, to: to, asOf: asOf)
            return Self.message(counts, unit: code, from: from, to: to, asOf: asOf)
        }
    }

    // MARK: Commitments

    private func recordCommitment(_ request: RecordCommitmentRequest, context: CallContext) async throws -> CommitmentResponse {
        let unit = try context.requireUnit()
        let staff = try await member(UnitService.requireStaff(context), of: unit)
        let channel = try CommitmentChannel.parse(request.channel)
        var filing = Commitment.Filing(
            unit: unit.unitCode, unitName: unit.unitName, holderID: request.holderID, holderName: request.holderName,
            itemCode: request.itemCode, caseReference: request.caseReference, proofType: request.proofType, text: request.text,
            channel: channel, recordedBy: staff
        )
        try Commitment.validate(filing)
        let moment = now()
        let item = try await listedItem(request.itemCode, unit: unit, at: moment, purpose: "a commitment")
        guard let proof = item.proof(request.proofType) else {
            throw RPCError(
                .permissionDenied,
                "item \(item.code) (\(item.name)) does not list proof \(request.proofType); a commitment replaces only a proof the item lists as obtained by commitment"
            )
        }
        guard case .commitment = proof.method else {
            throw RPCError(
                .permissionDenied,
                "item \(item.code) obtains \(request.proofType) by \(proof.method.summary), not by notification-commitment (告知承诺); the list in force does not allow a commitment for it"
            )
        }
        filing.itemName = item.name
        filing.proofName = proof.name
        let built = filing
        // Commitments with memory: the applicant's earlier commitments found false, at any unit.
        let holderID = filing.holderID
        let earlierFalse = try await store.falseCommitments(holder: holderID, limit: 100)
        let new = try Commitment.record(built, id: Self.newID("CM"), rule: rule, earlierFalse: earlierFalse, at: moment)
        let (stored, created) = try await store.insertCommitment(new)
        if !created {
            guard filing.matches(stored) else {
                throw RPCError(
                    .alreadyExists,
                    "commitment \(stored.id) was already recorded for holder \(stored.holderID), case \(stored.caseReference) and proof \(stored.proofType) with a different text or channel; a case has one commitment per proof"
                )
            }
            return CommitmentResponse(commitment: message(stored), replayed: true)
        }
        try await audited(
            context: context, action: .oversightRecordCommitment, staff: staff, item: stored.itemCode,
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
        return CommitmentResponse(commitment: message(stored), replayed: false)
    }

    private func checkCommitment(_ request: CheckCommitmentRequest, context: CallContext) async throws -> CommitmentResponse {
        let unit = try context.requireUnit()
        let existing = try await readableCommitment(request.commitmentID, context: context)
        guard existing.unit == unit.unitCode else {
            throw RPCError(.permissionDenied, "only \(existing.unitName) (\(existing.unit)), which recorded commitment \(existing.id), records its check")
        }
        let staff = try await member(UnitService.requireStaff(context), of: unit)
        let outcome = try CheckOutcome.parse(request.outcome)
        let (moment, evidence) = (now(), request.evidence)
        let (record, changed) = try await store.updateCommitment(id: existing.id) { c throws(NoProofError) in
            try c.recordCheck(outcome: outcome, evidence: evidence, by: staff, at: moment)
        }
        guard changed else { return CommitmentResponse(commitment: message(record), replayed: true) }
        try await audited(
            context: context, action: .oversightCheckCommitment, staff: staff, item: record.itemCode,
            caseReference: record.caseReference, holder: record.holderID, type: record.proofType, id: record.id,
            result: record.checkedLate ? AuditResult(rawValue: outcome.rawValue).late : AuditResult(rawValue: outcome.rawValue), at: moment)
        if outcome == .foundFalse {
            logger.warning(
                "commitment found false: flagged for the unit and the task force office",
                metadata: ["commitment": "\(record.id)", "unit": "\(record.unit)"])
        }
        return CommitmentResponse(commitment: message(record), replayed: false)
    }

    // MARK: Ledger

    private func addLedgerEntry(_ request: AddLedgerEntryRequest, context: CallContext) async throws -> LedgerEntryResponse {
        let unit = try context.requireUnit()
        let staff = try await member(UnitService.requireStaff(context), of: unit)
        let moment = now()
        // Validate the fields before looking at the list, so a typo gets the field-level message.
        _ = try LedgerEntry.make(
            id: "check", unit: unit.unitCode, unitName: unit.unitName, holderID: request.holderID,
            holderName: request.holderName, itemCode: request.itemCode, caseReference: request.caseReference,
            proofType: request.proofType, proofName: request.proofName, listed: nil, note: request.note,
            by: staff, at: moment)
        let item = try await listedItem(request.itemCode, unit: unit, at: moment, purpose: "a ledger entry")
        let listed = item.proof(request.proofType)
        let entry = try LedgerEntry.make(
            id: Self.newID("LG"), unit: unit.unitCode, unitName: unit.unitName, holderID: request.holderID,
            holderName: request.holderName, itemCode: request.itemCode, caseReference: request.caseReference,
            proofType: request.proofType, proofName: request.proofName.isEmpty ? (listed?.name ?? "") : request.proofName,
            listed: listed?.method, note: request.note, by: staff, at: moment)
        let (stored, created) = try await store.insertLedgerEntry(entry)
        guard created else { return LedgerEntryResponse(entry: Self.message(stored), replayed: true) }
        try await audited(
            context: context, action: .oversightAddLedgerEntry, staff: staff, item: stored.itemCode,
            caseReference: stored.caseReference, holder: stored.holderID, type: stored.proofType, id: stored.id,
            result: .volunteered(list: stored.listedMethod, detail: stored.notToBeAskedFor ? " (not to be asked for)" : ""), at: moment)
        return LedgerEntryResponse(entry: Self.message(stored), replayed: false)
    }

    // MARK: Mismatches

    private func openMismatch(_ request: OpenMismatchRequest, context: CallContext) async throws -> MismatchResponse {
        let unit = try context.requireUnit()
        let staff = try await member(UnitService.requireStaff(context), of: unit)
        var opening = MismatchCase.Opening(
            unit: unit.unitCode, unitName: unit.unitName, issuingUnit: request.issuingUnitCode, issuingUnitName: "",
            holderID: request.holderID, itemCode: request.itemCode, caseReference: request.caseReference, proofType: request.proofType,
            proofSerial: request.proofSerial, auditSequence: request.auditSequence, verificationRequestID: request.verificationRequestID,
            facts: request.facts.map { MismatchedFact(key: $0.key, declared: $0.declared, fetched: $0.fetched) }, openedBy: staff
        )
        try MismatchCase.validate(opening)
        let issuing = try await activeUnit(request.issuingUnitCode, field: "issuing_unit_code")
        opening.issuingUnitName = issuing.name
        try await checkLinks(request, unit: unit)
        let moment = now()
        let built = opening
        let new = try MismatchCase.open(built, id: Self.newID("MM"), at: moment)
        let (stored, created) = try await store.insertMismatch(new)
        if !created {
            guard opening.matches(stored) else {
                throw RPCError(
                    .alreadyExists,
                    "mismatch \(stored.id) is already open for case \(stored.caseReference) and proof \(stored.proofType) with other facts; work on that case")
            }
            return MismatchResponse(mismatch: Self.message(stored), replayed: true)
        }
        try await audited(
            context: context, action: .oversightOpenMismatch, staff: staff, item: stored.itemCode, caseReference: stored.caseReference,
            holder: stored.holderID, type: stored.proofType, id: stored.id, result: .open, at: moment)
        return MismatchResponse(mismatch: Self.message(stored), replayed: false)
    }

    /// The linked lookup or verification request must be the opening unit's own and about this holder.
    private func checkLinks(_ request: OpenMismatchRequest, unit: AuthenticatedUnit) async throws {
        if request.auditSequence > 0 {
            let found = try? await audit.records(after: request.auditSequence - 1, limit: 1).first
            guard let found, found.sequence == request.auditSequence else {
                throw RPCError(.invalidArgument, "audit_sequence: no audit record \(request.auditSequence)")
            }
            guard found.unitCode == unit.unitCode, found.holderID.isEmpty || found.holderID == request.holderID else {
                throw RPCError(
                    .invalidArgument,
                    "audit_sequence: record \(request.auditSequence) is not a lookup of holder \(request.holderID) by \(unit.unitName); link your own lookup")
            }
        }
        if !request.verificationRequestID.isEmpty, let verifications {
            let found = try await verifications.request(id: request.verificationRequestID)
            guard let found else {
                throw RPCError(.invalidArgument, "verification_request_id: no verification request \(request.verificationRequestID)")
            }
            guard found.requestingUnit == unit.unitCode, found.issuingUnit == request.issuingUnitCode, found.holderID == request.holderID else {
                throw RPCError(
                    .invalidArgument,
                    "verification_request_id: \(found.id) was filed by \(found.requestingUnit) to \(found.issuingUnit) about another holder or unit; link the request this unit filed to \(request.issuingUnitCode) for \(request.holderID)"
                )
            }
        }
    }

    private func mismatchTransition(
        _ existing: MismatchCase, context: CallContext, action: AuditAction, staff: String, result: AuditResult? = nil,
        _ body: @escaping @Sendable (inout MismatchCase) throws(NoProofError) -> Bool
    ) async throws -> MismatchResponse {
        let moment = now()
        let (record, changed) = try await store.updateMismatch(id: existing.id, body)
        guard changed else { return MismatchResponse(mismatch: Self.message(record), replayed: true) }
        try await audited(
            context: context, action: action, staff: staff, item: record.itemCode, caseReference: record.caseReference,
            holder: record.holderID, type: record.proofType, id: record.id, result: result ?? AuditResult(rawValue: record.status.rawValue), at: moment)
        return MismatchResponse(mismatch: Self.message(record), replayed: false)
    }

    // MARK: Complaints

    private func fileComplaint(_ request: FileComplaintRequest, context: CallContext) async throws -> ComplaintResponse {
        let unit = try context.requireUnit()
        try UnitService.requireTaskForce(unit, to: "register complaints (Art. 18)")
        let staff = try await member(UnitService.requireStaff(context), of: unit)
        let channel = try ComplaintChannel.parse(request.channel)
        let breach = try BreachType.parse(request.breachType)
        let about = try await activeUnit(request.unitCode, field: "unit_code", requireActive: false)
        let registration = Complaint.Registration(
            channel: channel, channelReference: request.channelReference, unit: about.code.value, unitName: about.name, breachType: breach,
            summary: request.summary, complainant: request.complainant, linkedRecords: request.linkedRecords, registeredBy: staff
        )
        let moment = now()
        let new = try Complaint.register(registration, id: Self.newID("CP"), at: moment)
        let (stored, created) = try await store.insertComplaint(new)
        if !created {
            guard registration.matches(stored) else {
                throw RPCError(
                    .alreadyExists,
                    "\(stored.channel.rawValue) reference \(stored.channelReference) is already complaint \(stored.id) with other content; use the channel's reference of this complaint"
                )
            }
            return ComplaintResponse(complaint: Self.message(stored), replayed: true)
        }
        try await audited(
            context: context, action: .oversightFileComplaint, staff: staff, item: "", caseReference: stored.channelReference,
            holder: "", type: "", id: stored.id, result: .registered(breach: stored.breachType.rawValue, about: stored.unit), at: moment)
        return ComplaintResponse(complaint: Self.message(stored), replayed: false)
    }

    private func complaintTransition(
        _ existing: Complaint, context: CallContext, action: AuditAction, staff: String, result: AuditResult? = nil,
        _ body: @escaping @Sendable (inout Complaint) throws(NoProofError) -> Bool
    ) async throws -> ComplaintResponse {
        let moment = now()
        let (record, changed) = try await store.updateComplaint(id: existing.id, body)
        guard changed else { return ComplaintResponse(complaint: Self.message(record), replayed: true) }
        try await audited(
            context: context, action: action, staff: staff, item: "", caseReference: record.channelReference, holder: "",
            type: "", id: record.id, result: result ?? AuditResult(rawValue: record.status.rawValue), at: moment)
        return ComplaintResponse(complaint: Self.message(record), replayed: false)
    }

    private func taskForceAction(_ id: String, context: CallContext, to action: String) async throws -> (Complaint, String) {
        let unit = try context.requireUnit()
        try UnitService.requireTaskForce(unit, to: action)
        let existing = try await readableComplaint(id, context: context)
        return (existing, try await member(UnitService.requireStaff(context), of: unit))
    }

    // MARK: Access

    /// The unit a listing covers: a unit always its own (asking for another is refused); the task
    /// force office the one it names, or all (nil).
    private func scope(_ requested: String, context: CallContext, what: String) throws -> String? {
        let unit = try context.requireUnit()
        if unit.isTaskForce { return requested.isEmpty ? nil : try UnitService.unitCode(requested).value }
        guard requested.isEmpty || requested == unit.unitCode else {
            throw RPCError(
                .permissionDenied,
                "a unit reads its own \(what) only; the task force office reads every unit's. This connection acts for \(unit.unitName) (\(unit.unitCode))")
        }
        return unit.unitCode
    }

    private func readableCommitment(_ id: String, context: CallContext) async throws -> Commitment {
        let unit = try context.requireUnit()
        guard !id.isEmpty else { throw RPCError(.invalidArgument, "id: required — the commitment id (CM-...)") }
        guard let found = try await store.commitment(id: id) else {
            throw RPCError(.notFound, "no commitment \(id)")
        }
        guard found.unit == unit.unitCode || unit.isTaskForce else {
            throw RPCError(.permissionDenied, "commitment \(id) belongs to another unit; only it and the task force office may read it")
        }
        return found
    }

    private func readableMismatch(_ id: String, context: CallContext) async throws -> MismatchCase {
        let unit = try context.requireUnit()
        guard !id.isEmpty else { throw RPCError(.invalidArgument, "mismatch_id: required — the mismatch case id (MM-...)") }
        guard let found = try await store.mismatch(id: id) else {
            throw RPCError(.notFound, "no mismatch case \(id)")
        }
        guard found.unit == unit.unitCode || found.issuingUnit == unit.unitCode || unit.isTaskForce else {
            throw RPCError(
                .permissionDenied,
                "only the two units involved — \(found.unitName) and \(found.issuingUnitName) — and the task force office may read mismatch \(id)")
        }
        return found
    }

    private func openerAction(_ id: String, context: CallContext, to action: String) async throws -> (MismatchCase, String) {
        let unit = try context.requireUnit()
        let existing = try await readableMismatch(id, context: context)
        guard existing.unit == unit.unitCode else {
            throw RPCError(.permissionDenied, "only \(existing.unitName) (\(existing.unit)), which opened mismatch \(existing.id), may \(action) it")
        }
        return (existing, try await member(UnitService.requireStaff(context), of: unit))
    }

    private func readableComplaint(_ id: String, context: CallContext) async throws -> Complaint {
        let unit = try context.requireUnit()
        guard !id.isEmpty else { throw RPCError(.invalidArgument, "complaint_id: required — the complaint id (CP-...)") }
        guard let found = try await store.complaint(id: id) else {
            throw RPCError(.notFound, "no complaint \(id)")
        }
        guard found.routedTo == unit.unitCode || unit.isTaskForce else {
            throw RPCError(.permissionDenied, "complaint \(id) is read by the task force office and the unit it was routed to only")
        }
        return found
    }

    /// The item of the unit's published list in force, or PERMISSION_DENIED saying why not.
    private func listedItem(_ code: String, unit: AuthenticatedUnit, at moment: Date, purpose: String) async throws -> ServiceItem {
        let unitCode = try UnitService.unitCode(unit.unitCode, field: "unit")
        let list = try await units.versionInForce(unit: unitCode, at: moment)
        guard let list else {
            throw RPCError(.permissionDenied, "\(unit.unitName) (\(unit.unitCode)) has no published item list in force; \(purpose) must cite an item of it")
        }
        guard let item = list.item(code) else {
            throw RPCError(
                .permissionDenied, "item \(code) is not on \(unit.unitName)'s list in force (version \(list.version)); \(purpose) must cite an item of it")
        }
        return item
    }

    private func member(_ staffID: String, of unit: AuthenticatedUnit) async throws -> String {
        let code = try UnitService.unitCode(unit.unitCode, field: "unit")
        let found = try await units.staffMember(staffID, of: code)
        guard let found, found.active else {
            throw RPCError(
                .permissionDenied,
                "\(staffID) is not an active staff member of \(unit.unitName) (\(unit.unitCode)); name one in the staff metadata ('noproof staff list')")
        }
        return found.id
    }

    private func activeUnit(_ text: String, field: String, requireActive: Bool = true) async throws -> ServiceUnit {
        let code = try UnitService.unitCode(text, field: field)
        let found = try await units.unit(code: code)
        guard let found, found.active || !requireActive else {
            throw RPCError(.invalidArgument, "\(field): \(code.value) is not a registered, active unit; use one that 'noproof units' lists")
        }
        return found
    }

    // MARK: Audit

    /// Writes the audit record of a change made over RPC; UNAVAILABLE if it cannot be written
    /// (the change is stored, so a retry replays it and succeeds). `licence_id` carries the record id.
    private func audited(
        context: CallContext, action: AuditAction, staff: String, item: String, caseReference: String, holder: String,
        type: String, id: String, result: AuditResult, at moment: Date
    ) async throws {
        let unit = try context.requireUnit()
        let entry = AuditRecord(
            atMillis: Self.millis(moment), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff,
            action: action, itemCode: item, caseReference: caseReference, holderID: holder, typeCode: type,
            licenceID: id, result: result)
        do {
            _ = try await audit.append(entry)
        } catch {
            logger.error("audit write failed", metadata: ["record": "\(id)", "error": "\(error)"])
            throw RPCError(.unavailable, "the change to \(id) could not be recorded in the audit trail; retry (the retry is safe)")
        }
    }

    // MARK: Messages

    package func message(_ c: Commitment) -> CommitmentRecord { Self.message(c, now: now()) }

    package static func message(_ c: Commitment, now: Date) -> CommitmentRecord {
        CommitmentRecord(
            commitmentID: c.id, unitCode: c.unit, unitName: c.unitName, holderID: c.holderID, holderName: c.holderName, itemCode: c.itemCode,
            itemName: c.itemName, caseReference: c.caseReference, proofType: c.proofType, proofName: c.proofName, text: c.text,
            channel: c.channel.rawValue, recordedAtMillis: millis(c.recordedAt), recordedBy: c.recordedBy, riskLevel: c.risk.rawValue,
            checkDueAtMillis: millis(c.checkDueAt), checkOutcome: c.checkOutcome?.rawValue ?? "", checkedAtMillis: millis(c.checkedAt),
            checkedBy: c.checkedBy ?? "", evidence: c.evidence, overdue: c.isOverdue(at: now), checkedLate: c.checkedLate,
            earlierFalseCommitments: c.earlierFalse ?? [], warning: c.warning ?? "", ruleRiskLevel: c.ruleRisk?.rawValue ?? ""
        )
    }

    package static func message(_ e: LedgerEntry) -> LedgerEntryRecord {
        LedgerEntryRecord(
            entryID: e.id, unitCode: e.unit, unitName: e.unitName, holderID: e.holderID, holderName: e.holderName, itemCode: e.itemCode,
            caseReference: e.caseReference, proofType: e.proofType, proofName: e.proofName, recordedAtMillis: millis(e.recordedAt),
            recordedBy: e.recordedBy, volunteered: e.volunteered, listedMethod: e.listedMethod, notToBeAskedFor: e.notToBeAskedFor, note: e.note
        )
    }

    package static func message(_ m: MismatchCase) -> MismatchRecord {
        MismatchRecord(
            mismatchID: m.id, unitCode: m.unit, unitName: m.unitName, issuingUnitCode: m.issuingUnit, issuingUnitName: m.issuingUnitName,
            holderID: m.holderID, itemCode: m.itemCode, caseReference: m.caseReference, proofType: m.proofType, proofSerial: m.proofSerial,
            auditSequence: m.auditSequence, verificationRequestID: m.verificationRequestID,
            facts: m.facts.map { MismatchFact(key: $0.key, declared: $0.declared, fetched: $0.fetched, corrected: $0.corrected ?? "") },
            openedAtMillis: millis(m.openedAt), openedBy: m.openedBy, status: m.status.rawValue, supplementRequest: m.supplementRequest ?? "",
            supplementRequestedAtMillis: millis(m.supplementRequestedAt), supplement: m.supplement ?? "",
            supplementReceivedAtMillis: millis(m.supplementReceivedAt), finding: m.finding?.rawValue ?? "", findingNote: m.findingNote ?? "",
            reverifiedAtMillis: millis(m.reverifiedAt), reverifiedBy: m.reverifiedBy ?? "", reverifiedCredential: m.reverifiedCredential ?? "",
            appealReference: m.appealReference ?? "", appealFiledAtMillis: millis(m.appealFiledAt), appealOutcome: m.appealOutcome?.rawValue ?? "",
            appealNote: m.appealNote ?? "", appealDecidedAtMillis: millis(m.appealDecidedAt),
            correctedLicenceID: m.correctedLicenceID ?? "", correctedLicenceVersion: m.correctedLicenceVersion ?? 0,
            correctedProofSerial: m.correctedProofSerial ?? "", noticedUnits: m.noticedUnits ?? []
        )
    }

    package static func message(_ n: CorrectionNotice) -> CorrectionNoticeRecord {
        CorrectionNoticeRecord(
            noticeID: n.id, unitCode: n.unit, mismatchID: n.mismatchID, issuingUnitCode: n.issuingUnit, issuingUnitName: n.issuingUnitName,
            holderID: n.holderID, typeCode: n.typeCode, licenceID: n.licenceID, newVersion: n.newVersion, correctedFields: n.correctedFields,
            fetchCaseReferences: n.fetchCaseReferences, lastFetchSequence: n.lastFetchSequence, noticedAtMillis: millis(n.noticedAt),
            raisedTheCase: n.raisedTheCase, correctedProof: n.correctedProof.isEmpty ? nil : (try? ProtoCodec.decode(SealedProof.self, from: n.correctedProof))
        )
    }

    package static func message(_ c: Complaint) -> ComplaintRecord {
        ComplaintRecord(
            complaintID: c.id, channel: c.channel.rawValue, channelReference: c.channelReference, unitCode: c.unit, unitName: c.unitName,
            breachType: c.breachType.rawValue, summary: c.summary, complainant: c.complainant, linkedRecords: c.linkedRecords,
            registeredAtMillis: millis(c.registeredAt), registeredBy: c.registeredBy, status: c.status.rawValue, routedToCode: c.routedTo ?? "",
            routedToName: c.routedToName ?? "", routedAtMillis: millis(c.routedAt), answer: c.answer ?? "", answeredAtMillis: millis(c.answeredAt),
            answeredBy: c.answeredBy ?? "", substantiated: c.substantiated ?? false, closingNote: c.closingNote ?? "",
            closedAtMillis: millis(c.closedAt)
        )
    }

    package static func message(_ c: OversightCounts, unit: String, from: Date, to: Date, asOf: Date) -> OversightCountsResponse {
        OversightCountsResponse(
            unitCode: unit, fromMillis: millis(from), toMillis: millis(to), asOfMillis: millis(asOf),
            commitmentsRecorded: UInt64(c.commitmentsRecorded), checksConfirmed: UInt64(c.checksConfirmed),
            checksFoundFalse: UInt64(c.checksFoundFalse), checksOverdue: UInt64(c.checksOverdue), ledgerEntries: UInt64(c.ledgerEntries),
            ledgerEntriesNotToBeAskedFor: UInt64(c.ledgerEntriesNotToBeAskedFor), mismatchesOpened: UInt64(c.mismatchesOpened),
            mismatchesResolved: UInt64(c.mismatchesResolved), appealsFiled: UInt64(c.appealsFiled), appealsDecided: UInt64(c.appealsDecided),
            complaints: c.complaintsByBreach.sorted { $0.key < $1.key }.map { BreachCount(breachType: $0.key.rawValue, count: UInt64($0.value)) }
        )
    }

    // MARK: Helpers

    static func millis(_ date: Date?) -> Int64 {
        guard let date else { return 0 }
        return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    static func limit(_ limit: UInt32, default value: Int) -> Int { limit == 0 ? value : Int(min(limit, 10_000)) }

    /// PREFIX + "-" + 16 random upper-case hex digits.
    static func newID(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + "-" + String(format: "%016llX", generator.next() as UInt64)
    }

}
