import Foundation
import Logging
import NoProofCodec
import NoProofDomain
import NoProofProtocol
import NoProofSeals
import NoProofServer
import NoProofUnitStore
import NoProofUnits
import NoProofVerification
import NoProofAuditChain

/// Department verification over RPC (`noproof.v1.Verification`, Art. 7, 9, 10, 11).
///
/// Who may do what:
/// - the requesting unit files a request — only for a service item of its list in force that
///   obtains this proof by department verification from that issuing unit — and re-files a
///   returned one;
/// - only the issuing unit's active staff (agents 代办员 and the supervisor 督办员) take, answer
///   and return a request; the supervisor may take over a request an agent took;
/// - only the two units involved read or watch a request.
///
/// Every transition is committed to the store and its audit record to the audit log before the
/// call is answered; filing is idempotent on `request_key`, answers and returns on their content.
package final class VerificationService: Sendable {
    let store: any VerificationStore
    let units: any UnitStore
    let keyring: SealKeyring
    let audit: any AuditTrail
    package let scheduler: VerificationScheduler
    package let events: VerificationEventHub
    let databaseBacked: @Sendable (String) -> Bool
    let now: @Sendable () -> Date
    /// The working-day calendar and office hours the Art. 10 clocks run on; nil: round the
    /// clock with the shipped calendar (tests that are not about office hours).
    let calendarBook: CalendarBook?
    let logger: Logger

    /// - Parameters:
    ///   - databaseBacked: whether a proof type is a licence type of a database that is not yet
    ///     connected (the 30-minute rule applies); free proof codes are not.
    ///   - calendar: the calendar in force (the server passes the unit store's).
    package init(
        store: any VerificationStore, units: any UnitStore, keyring: SealKeyring, audit: any AuditTrail,
        databaseBacked: @escaping @Sendable (String) -> Bool, now: @escaping @Sendable () -> Date = { Date() },
        calendar: CalendarBook? = nil, logger: Logger = Logger(label: "noproof.verification")
    ) {
        self.calendarBook = calendar
        self.store = store
        self.units = units
        self.keyring = keyring
        self.audit = audit
        self.databaseBacked = databaseBacked
        self.now = now
        self.logger = logger
        self.events = VerificationEventHub()
        self.scheduler = VerificationScheduler(store: store, now: now, clock: { calendar?.clock ?? .roundTheClock })
    }

    /// The office clock of a decision made now.
    var officeClock: OfficeClock { calendarBook?.clock ?? .roundTheClock }

    /// Hooks the scheduler to the audit log and the watch streams and re-arms every pending
    /// deadline from the store. Returns how many deadlines are armed.
    @discardableResult
    package func start() async throws(NoProofError) -> Int {
        await scheduler.setObserver { [self] request, kinds, moment in
            for kind in kinds {
                await record(
                    request, action: kind == "escalated" ? .verificationEscalate : .verificationSecondBreach,
                    unitCode: request.issuingUnit, credentialID: "", staff: "system", result: AuditResult(rawValue: kind), at: moment)
                events.publish(VerificationEvent(kind: kind, at: moment, request: request))
                logger.warning(
                    "verification request \(kind == "escalated" ? "overdue: escalated to the supervisor" : "second breach: the supervisor's 30 minutes passed")",
                    metadata: ["request": "\(request.id)", "issuing_unit": "\(request.issuingUnit)"])
            }
        }
        return try await scheduler.rearm()
    }

    package func register(in registry: inout RPCRegistry) {
        registry.unary(VerificationMethods.file, FileVerificationRequest.self, VerificationResponse.self) { [self] request, context in
            try await file(request, context: context)
        }
        registry.unary(VerificationMethods.get, GetVerificationRequest.self, VerificationResponse.self) { [self] request, context in
            let found = try await readable(request.requestID, context: context)
            return VerificationResponse(request: record(found), replayed: false)
        }
        registry.serverStreaming(VerificationMethods.watchRequest, WatchVerificationRequest.self, VerificationEvent.self) { [self] request, context, writer in
            _ = try await readable(request.requestID, context: context)
            let stream = events.subscribe(.request(id: request.requestID))
            // Subscribed before reading, so no change between the two is missed.
            let current = try await readable(request.requestID, context: context)
            try await writer.send(NoProofCodec.VerificationEvent(kind: "current", atMillis: millis(now()), request: record(current)))
            // A watch ends once the request is finished (answered or returned).
            if !current.status.isOpen { return }
            for await event in stream {
                try await writer.send(message(event))
                if event.kind == "answered" || event.kind == "returned" { return }
            }
        }
        registry.unary(VerificationMethods.listQueue, ListVerificationsRequest.self, ListVerificationsResponse.self) { [self] request, context in
            let unit = try context.requireUnit()
            let found = try await store.queue(issuingUnit: unit.unitCode, includeFinished: request.includeFinished, limit: Self.limit(request.limit))
            return ListVerificationsResponse(requests: found.map { record($0) })
        }
        registry.unary(VerificationMethods.listFiled, ListVerificationsRequest.self, ListVerificationsResponse.self) { [self] request, context in
            let unit = try context.requireUnit()
            let found = try await store.filed(requestingUnit: unit.unitCode, includeFinished: request.includeFinished, limit: Self.limit(request.limit))
            return ListVerificationsResponse(requests: found.map { record($0) })
        }
        registry.serverStreaming(VerificationMethods.watchQueue, WatchVerificationQueueRequest.self, VerificationEvent.self) {
            [self] request, context, writer in
            let unit = try context.requireUnit()
            let member = try await member(UnitService.requireStaff(context), of: unit.unitCode, unitName: unit.unitName)
            let stream = events.subscribe(.queue(unit: unit.unitCode, supervisor: member.role == .supervisor))
            if request.includeOpen {
                let open = try await store.queue(issuingUnit: unit.unitCode, includeFinished: false, limit: 1000)
                for pending in open {
                    try await writer.send(NoProofCodec.VerificationEvent(kind: "queued", atMillis: millis(now()), request: record(pending)))
                }
            }
            for await event in stream { try await writer.send(message(event)) }
        }
        registry.unary(VerificationMethods.take, TakeVerificationRequest.self, VerificationResponse.self) { [self] request, context in
            let (existing, member) = try await actionable(request.requestID, context: context, to: "take")
            let moment = now()
            return try await transition(existing, context: context, action: .verificationTake, kind: "taken", staff: member.id, at: moment) {
                request throws(NoProofError) in
                try request.take(by: member.id, isSupervisor: member.role == .supervisor, at: moment)
            }
        }
        registry.unary(VerificationMethods.answer, AnswerVerificationRequest.self, VerificationResponse.self) { [self] request, context in
            try await answer(request, context: context)
        }
        registry.unary(VerificationMethods.returnRequest, ReturnVerificationRequest.self, VerificationResponse.self) { [self] request, context in
            let suggested = try UnitService.unitCode(request.suggestedUnitCode, field: "suggested_unit_code")
            let (existing, member) = try await actionable(request.requestID, context: context, to: "return")
            guard try await registeredUnit(suggested) != nil else {
                throw RPCError(.invalidArgument, "suggested_unit_code: \(suggested) is not a registered unit; suggest one that 'noproof units' lists")
            }
            let moment = now()
            let reason = request.reason
            return try await transition(existing, context: context, action: .verificationReturn, kind: "returned", staff: member.id, at: moment) {
                request throws(NoProofError) in
                try request.returnRequest(
                    by: member.id, isSupervisor: member.role == .supervisor, reason: reason,
                    suggestedUnit: suggested.value, at: moment)
            }
        }
        registry.unary(VerificationMethods.refile, RefileVerificationRequest.self, VerificationResponse.self) { [self] request, context in
            try await refile(request, context: context)
        }
    }

    // MARK: Filing

    private func file(_ request: FileVerificationRequest, context: CallContext) async throws -> VerificationResponse {
        let unit = try context.requireUnit()
        let staff = try await member(UnitService.requireStaff(context), of: unit.unitCode, unitName: unit.unitName)
        let purpose = request.purpose ?? Purpose()
        let moment = now()
        var filing = VerificationRequest.Filing(
            requestKey: request.requestKey, requestingUnit: unit.unitCode, requestingUnitName: unit.unitName,
            issuingUnit: request.issuingUnitCode, issuingUnitName: "", proofType: request.proofType, holderID: request.holderID,
            holderName: request.holderName, declared: request.declared.map { DeclaredFact(key: $0.key, value: $0.value) },
            itemCode: purpose.itemCode, caseReference: purpose.caseReference, itemKind: .immediate, promisedCompletionAt: nil,
            databaseBacked: databaseBacked(request.proofType),
            caseAcceptedAt: request.caseAcceptedAtMillis == 0 ? nil : Self.date(request.caseAcceptedAtMillis), filedBy: staff.id
        )
        try VerificationRequest.validate(filing)
        do {
            _ = try Holder.parse(request.holderID, field: "holder_id")
        } catch {
            throw RPCError(.invalidArgument, error.description)
        }
        let issuing = try UnitService.unitCode(request.issuingUnitCode, field: "issuing_unit_code")
        let requester = try UnitService.unitCode(unit.unitCode, field: "unit")
        // The item must list this proof as obtained by department verification from that unit (Art. 5, 10);
        // a refusal is audited (result "denied") like a refused lookup.
        let item: ServiceItem
        do {
            item = try await listedItem(
                unit: unit, requester: requester, purpose: purpose, proofType: request.proofType,
                issuing: issuing, at: moment)
        } catch let refusal as RPCError where refusal.code == .permissionDenied {
            await record(
                AuditRecord(
                    atMillis: millis(moment), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff.id,
                    action: .verificationFile, itemCode: String(purpose.itemCode.prefix(64)),
                    caseReference: String(purpose.caseReference.prefix(128)),
                    holderID: (try? Holder.parse(request.holderID))?.key ?? String(request.holderID.prefix(64)),
                    typeCode: String(request.proofType.prefix(32)), result: .denied))
            throw refusal
        }
        guard let issuingUnit = try await registeredUnit(issuing), issuingUnit.active else {
            throw RPCError(
                .failedPrecondition,
                "the issuing unit \(issuing) is not a registered, active unit of the system, so it cannot receive requests; ask the task force office to register it"
            )
        }
        filing.issuingUnitName = issuingUnit.name
        switch item.kind {
        case .immediate:
            filing.itemKind = .immediate
            if request.promisedCompletionAtMillis != 0 {
                throw RPCError(
                    .invalidArgument,
                    "promised_completion_at_millis: item \(item.code) (\(item.name)) is an immediate item (即办件) of \(unit.unitName)'s published list and has no promised completion time; omit the field"
                )
            }
        case .commitment(let promised):
            filing.itemKind = .commitment
            // The promised completion time is the published item's, counted from the case's start
            // (never later than now), not the caller's (Art. 10: the issuing unit's limit depends on it).
            let start = min(filing.caseAcceptedAt ?? moment, moment)
            let calendar = calendarBook?.calendar ?? .default
            let served = try VerificationDeadlines.promisedCompletion(promised, acceptedAt: start, calendar: calendar)
            if request.promisedCompletionAtMillis != 0, abs(request.promisedCompletionAtMillis - millis(served)) > 60_000 {
                throw RPCError(
                    .invalidArgument,
                    "promised_completion_at_millis: item \(item.code) (\(item.name)) promises \(promised) in \(unit.unitName)'s published list, so the case accepted \(Self.format(start)) must be finished by \(Self.format(served)) (\(millis(served))); omit the field (0) to let the server compute it from the list, or send that time"
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
                throw RPCError(
                    .alreadyExists,
                    "request_key \(request.requestKey) was already used for request \(stored.id) with different content; use a new key for a new request")
            }
            return VerificationResponse(request: record(stored), replayed: true)
        }
        try await audited(stored, context: context, action: .verificationFile, staff: staff.id, result: .filed, at: moment)
        await scheduler.arm(stored)
        events.publish(NoProofVerification.VerificationEvent(kind: "new", at: moment, request: stored))
        logger.info(
            "verification request filed",
            metadata: [
                "request": "\(stored.id)", "from": "\(stored.requestingUnit)",
                "to": "\(stored.issuingUnit)", "rule": "\(stored.deadlineRule.rawValue)",
            ])
        return VerificationResponse(request: record(stored), replayed: false)
    }

    /// The item of the requester's list in force that obtains `proofType` by department
    /// verification from `issuing`; PERMISSION_DENIED saying what is wrong otherwise.
    private func listedItem(
        unit: AuthenticatedUnit, requester: UnifiedSocialCreditCode, purpose: Purpose, proofType: String,
        issuing: UnifiedSocialCreditCode, at moment: Date, refiling returned: VerificationRequest? = nil
    ) async throws -> ServiceItem {
        let list = try await units.versionInForce(unit: requester, at: moment)
        guard let list else {
            throw RPCError(
                .permissionDenied, "\(unit.unitName) (\(unit.unitCode)) has no published item list in force; a verification request must cite an item of it")
        }
        guard let item = list.item(purpose.itemCode) else {
            throw RPCError(
                .permissionDenied,
                "item \(purpose.itemCode) is not on \(unit.unitName)'s list in force (version \(list.version)); a verification request must cite an item of it")
        }
        guard let proof = item.proof(proofType) else {
            throw RPCError(.permissionDenied, "item \(item.code) (\(item.name)) does not list proof \(proofType); only proofs the item lists may be asked for")
        }
        guard case .departmentVerification(let listed) = proof.method else {
            // A cancelled or excluded proof: the list's answer, with its version and what to do.
            if let refusal = ProofGuidance(itemCode: item.code, proof: proof, listVersion: list.version).refusal {
                throw RPCError(.permissionDenied, refusal)
            }
            throw RPCError(.permissionDenied, "item \(item.code) obtains \(proofType) by \(proof.method.summary), not by department verification")
        }
        guard listed == issuing else {
            let listedName = (try? await registeredUnit(listed))?.name ?? "the listed unit"
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
            throw RPCError(.permissionDenied, message)
        }
        return item
    }

    private func record(_ entry: AuditRecord) async {
        do {
            _ = try await audit.append(entry)
        } catch {
            logger.error("audit write failed", metadata: ["action": "\(entry.action)", "error": "\(error)"])
        }
    }

    private func refile(_ request: RefileVerificationRequest, context: CallContext) async throws -> VerificationResponse {
        let unit = try context.requireUnit()
        if !request.issuingUnitCode.isEmpty { _ = try UnitService.unitCode(request.issuingUnitCode, field: "issuing_unit_code") }
        let existing = try await readable(request.requestID, context: context)
        guard existing.requestingUnit == unit.unitCode else {
            throw RPCError(.permissionDenied, "only the requesting unit \(existing.requestingUnitName) (\(existing.requestingUnit)) re-files its request")
        }
        let staff = try await member(UnitService.requireStaff(context), of: unit.unitCode, unitName: unit.unitName)
        if let next = existing.refiledAs, let already = try await store.request(id: next) {
            return VerificationResponse(request: record(already), replayed: true)
        }
        guard existing.status == .returned else {
            throw RPCError(.failedPrecondition, "only a returned request can be re-filed; \(existing.id) is \(existing.status.rawValue)")
        }
        let targetText = request.issuingUnitCode.isEmpty ? (existing.suggestedUnit ?? "") : request.issuingUnitCode
        let target = try UnitService.unitCode(targetText, field: "issuing_unit_code")
        let moment = now()
        // The same rule as filing: the cited item of the requester's list in force must name the
        // target as the proof's verifier. A return's suggestion does not widen it (Art. 5, 10).
        let requester = try UnitService.unitCode(unit.unitCode, field: "unit")
        do {
            _ = try await listedItem(
                unit: unit, requester: requester,
                purpose: Purpose(itemCode: existing.itemCode, caseReference: existing.caseReference),
                proofType: existing.proofType, issuing: target, at: moment, refiling: existing)
        } catch let refusal as RPCError where refusal.code == .permissionDenied {
            await record(
                Self.auditRecord(
                    existing, action: .verificationRefile, unitCode: unit.unitCode, credentialID: unit.credentialID,
                    staff: staff.id, result: .denied, at: moment))
            throw refusal
        }
        guard let targetUnit = try await registeredUnit(target), targetUnit.active else {
            throw RPCError(.failedPrecondition, "\(target) is not a registered, active unit of the system; it cannot receive requests")
        }
        let id = Self.newID()
        let backed = existing.databaseBacked, clock = officeClock
        let (new, created) = try await store.refile(id: existing.id) { old throws(NoProofError) in
            try old.refiling(to: target.value, unitName: targetUnit.name, id: id, by: staff.id, databaseBacked: backed, at: moment, clock: clock)
        }
        guard created else { return VerificationResponse(request: record(new), replayed: true) }
        try await audited(new, context: context, action: .verificationRefile, staff: staff.id, result: .filed, at: moment)
        await scheduler.arm(new)
        events.publish(NoProofVerification.VerificationEvent(kind: "new", at: moment, request: new))
        if let old = try? await store.request(id: existing.id) {
            events.publish(NoProofVerification.VerificationEvent(kind: "refiled", at: moment, request: old))
        }
        return VerificationResponse(request: record(new), replayed: false)
    }

    // MARK: Answers

    private func answer(_ request: AnswerVerificationRequest, context: CallContext) async throws -> VerificationResponse {
        let outcome: VerificationOutcome
        switch request.outcome {
        case "verified": outcome = .verified
        case "not_on_record": outcome = .notOnRecord
        default: throw RPCError(.invalidArgument, "outcome: must be verified or not_on_record, got \"\(request.outcome.prefix(40))\"")
        }
        let (existing, member) = try await actionable(request.requestID, context: context, to: "answer")
        var content = request
        content.requestID = ""
        let fingerprint = Data(ProtoCodec.encode(content)).base64EncodedString()
        let moment = now()
        var sealed: SealedAnswer?
        var checks: [FactComparison] = []
        if outcome == .verified {
            guard var licence = request.licence else {
                throw RPCError(.invalidArgument, "licence: required for a verified answer — the verified record (holder_name and fields)")
            }
            if !licence.typeCode.isEmpty, licence.typeCode != existing.proofType {
                throw RPCError(.invalidArgument, "licence.type_code: the request is for \(existing.proofType), not \(licence.typeCode)")
            }
            if !licence.holderID.isEmpty, licence.holderID != existing.holderID {
                throw RPCError(
                    .invalidArgument, "licence.holder_id: the record must be the requested holder's (\(PersonalDataMask.residentID(existing.holderID)))")
            }
            licence.typeCode = existing.proofType
            licence.holderID = existing.holderID
            if licence.holderName.isEmpty { licence.holderName = existing.holderName }
            licence.issuerCode = existing.issuingUnit
            licence.issuerName = existing.issuingUnitName
            if licence.status.isEmpty { licence.status = "valid" }
            checks = existing.declared.map { fact in
                let recorded = fact.key == "holder_name" ? licence.holderName : licence.fields.first { $0.key == fact.key }?.value
                guard let recorded else { return FactComparison(key: fact.key, result: .notOnRecord) }
                return FactComparison(key: fact.key, result: recorded == fact.value ? .match : .mismatch)
            }
            // Annotated by the system (Art. 9): extracting unit (the requesting unit and its staff
            // member who filed), producing unit (the issuing unit and its verifier), extraction time.
            // The licence carries only what the answer gave: no version or validity is made up.
            let body = ProofBody(
                proofSerial: existing.id, sealKind: SealKind.verification.rawValue, licence: licence,
                purpose: Purpose(itemCode: existing.itemCode, caseReference: existing.caseReference),
                extractingUnitCode: existing.requestingUnit, extractingUnitName: existing.requestingUnitName,
                producingUnitCode: existing.issuingUnit, producingUnitName: existing.issuingUnitName,
                extractedAtMillis: millis(moment), staff: existing.filedBy, verifierStaff: member.id
            )
            let bytes = ProtoCodec.encode(body)
            let seal = keyring.seal(bytes, kind: .verification)
            sealed = SealedAnswer(body: Data(bytes), keyID: seal.keyID, signature: Data(seal.signature))
        }
        let proof = sealed
        let comparisons = checks
        let note = request.note
        return try await transition(existing, context: context, action: .verificationAnswer, kind: "answered", staff: member.id, at: moment) {
            request throws(NoProofError) in
            try request.answer(
                by: member.id, isSupervisor: member.role == .supervisor, outcome: outcome, proof: proof,
                checks: comparisons, note: note, content: fingerprint, at: moment)
        }
    }

    // MARK: Transitions

    private func transition(
        _ existing: VerificationRequest, context: CallContext, action: AuditAction, kind: String, staff: String, at moment: Date,
        _ body: @escaping @Sendable (inout VerificationRequest) throws(NoProofError) -> Bool
    ) async throws -> VerificationResponse {
        let (request, changed) = try await store.update(id: existing.id, body)
        guard changed else { return VerificationResponse(request: record(request), replayed: true) }
        let result = AuditResult(rawValue: kind == "answered" ? (request.outcome?.rawValue ?? kind) : kind)
        try await audited(request, context: context, action: action, staff: staff, result: request.finishedLate ? result.late : result, at: moment)
        await scheduler.arm(request)
        events.publish(NoProofVerification.VerificationEvent(kind: kind, at: moment, request: request))
        return VerificationResponse(request: record(request), replayed: false)
    }

    /// Writes the audit record of a transition made over RPC; UNAVAILABLE if it cannot be written
    /// (the transition is stored, so a retry replays it and succeeds).
    private func audited(_ request: VerificationRequest, context: CallContext, action: AuditAction, staff: String, result: AuditResult, at moment: Date)
        async throws
    {
        let unit = try context.requireUnit()
        var entry = Self.auditRecord(
            request, action: action, unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff,
            result: result, at: moment)
        entry.proofSerial = request.proof != nil ? request.id : ""
        do {
            _ = try await audit.append(entry)
        } catch {
            logger.error("audit write failed", metadata: ["request": "\(request.id)", "error": "\(error)"])
            throw RPCError(.unavailable, "the change to request \(request.id) could not be recorded in the audit trail; retry (the retry is safe)")
        }
    }

    private func record(
        _ request: VerificationRequest, action: AuditAction, unitCode: String, credentialID: String, staff: String,
        result: AuditResult, at moment: Date
    ) async {
        do {
            _ = try await audit.append(
                Self.auditRecord(
                    request, action: action, unitCode: unitCode, credentialID: credentialID,
                    staff: staff, result: result, at: moment))
        } catch {
            logger.error("audit write failed", metadata: ["request": "\(request.id)", "error": "\(error)"])
        }
    }

    /// The audit record of a transition; `licence_id` carries the request id.
    static func auditRecord(
        _ request: VerificationRequest, action: AuditAction, unitCode: String, credentialID: String, staff: String,
        result: AuditResult, at moment: Date
    ) -> AuditRecord {
        AuditRecord(
            atMillis: Int64((moment.timeIntervalSince1970 * 1000).rounded(.down)), unitCode: unitCode, credentialID: credentialID,
            staff: staff, action: action, itemCode: request.itemCode, caseReference: request.caseReference,
            // The holder's canonical key when the id parses, so "who looked at my data" finds it.
            holderID: (try? Holder.parse(request.holderID))?.key ?? request.holderID, typeCode: request.proofType,
            licenceID: request.id, result: result,
            counterpartUnit: unitCode == request.requestingUnit ? request.issuingUnit : request.requestingUnit)
    }

    // MARK: Checks

    /// The request, if the connection's unit is one of the two units involved.
    private func readable(_ id: String, context: CallContext) async throws -> VerificationRequest {
        let unit = try context.requireUnit()
        guard !id.isEmpty else { throw RPCError(.invalidArgument, "request_id: required") }
        guard Self.isRequestID(id) else {
            throw RPCError(.invalidArgument, "request_id: \"\(id.prefix(40))\" is not a verification request id ('VR-' and 16 hex digits, as File answered)")
        }
        guard let request = try await store.request(id: id) else {
            throw RPCError(.notFound, "no verification request \(id)")
        }
        guard unit.unitCode == request.requestingUnit || unit.unitCode == request.issuingUnit else {
            throw RPCError(
                .permissionDenied,
                "only the two units involved — \(request.requestingUnitName) and \(request.issuingUnitName) — may read request \(id); this connection acts for \(unit.unitName) (\(unit.unitCode))"
            )
        }
        return request
    }

    /// The request and the acting member, if the connection acts for the issuing unit and the
    /// staff member is one of its active agents or its supervisor.
    private func actionable(_ id: String, context: CallContext, to action: String) async throws -> (VerificationRequest, StaffMember) {
        let unit = try context.requireUnit()
        let request = try await readable(id, context: context)
        guard unit.unitCode == request.issuingUnit else {
            throw RPCError(
                .permissionDenied,
                "only the issuing unit's agents (代办员) and supervisor (督办员) — \(request.issuingUnitName) (\(request.issuingUnit)) — may \(action) request \(id)")
        }
        // Answering and returning carry the issuing unit's word (Art. 11: it answers for the
        // truth of the proof), and a supervisor's powers are a person's: both need the staff
        // member's own credential. Taking a request is routine work a departmental system may do
        // for a named agent.
        let staffID =
            action == "take"
            ? try UnitService.requireStaff(context)
            : try UnitService.requireSignedIn(context, to: "\(action) a verification request")
        var member = try await member(staffID, of: unit.unitCode, unitName: unit.unitName)
        if unit.staffID == nil, member.role == .supervisor {
            // Named by a system credential: it may act as an agent, never with the supervisor's powers.
            member.role = .agent
        }
        return (request, member)
    }

    private func member(_ staffID: String, of unitCode: String, unitName: String) async throws -> StaffMember {
        let code = try UnitService.unitCode(unitCode, field: "unit")
        let found = try await units.staffMember(staffID, of: code)
        guard let found, found.active else {
            throw RPCError(
                .permissionDenied,
                "\(staffID) is not an active staff member of \(unitName) (\(unitCode)); name one in the staff metadata ('noproof staff list')")
        }
        return found
    }

    private func registeredUnit(_ code: UnifiedSocialCreditCode) async throws -> ServiceUnit? {
        try await units.unit(code: code)
    }

    // MARK: Messages

    package func record(_ request: VerificationRequest) -> VerificationRecord {
        Self.record(request, now: now())
    }

    package static func record(_ request: VerificationRequest, now: Date) -> VerificationRecord {
        VerificationRecord(
            requestID: request.id, requestKey: request.requestKey, requestingUnitCode: request.requestingUnit,
            requestingUnitName: request.requestingUnitName, issuingUnitCode: request.issuingUnit, issuingUnitName: request.issuingUnitName,
            proofType: request.proofType, holderID: request.holderID, holderName: request.holderName,
            declared: request.declared.map { LicenceField(key: $0.key, value: $0.value) },
            purpose: Purpose(itemCode: request.itemCode, caseReference: request.caseReference), itemKind: request.itemKind.rawValue,
            promisedCompletionAtMillis: millis(request.promisedCompletionAt), deadlineRule: request.deadlineRule.rawValue,
            filedAtMillis: millis(request.filedAt), filedBy: request.filedBy, answerByMillis: millis(request.answerBy),
            returnByMillis: millis(request.returnBy), escalationByMillis: millis(request.escalationBy), status: request.status.rawValue,
            takenBy: request.takenBy ?? "", takenAtMillis: millis(request.takenAt), overdueAtMillis: millis(request.overdueAt),
            secondBreachAtMillis: millis(request.secondBreachAt), finishedAtMillis: millis(request.finishedAt),
            finishedBy: request.finishedBy ?? "", finishedLate: request.finishedLate, outcome: request.outcome?.rawValue ?? "",
            proof: request.proof.map { SealedProof(body: [UInt8]($0.body), keyID: $0.keyID, signature: [UInt8]($0.signature)) },
            note: request.note,
            checks: request.checks.map {
                FieldCheck(key: $0.key, result: $0.result == .match ? .match : $0.result == .mismatch ? .mismatch : .notOnRecord)
            },
            returnReason: request.returnReason ?? "", suggestedUnitCode: request.suggestedUnit ?? "", refiledFrom: request.refiledFrom ?? "",
            refiledAs: request.refiledAs ?? "", verificationMillis: Int64((request.verificationTime(at: now) * 1000).rounded(.down)),
            caseAcceptedAtMillis: millis(request.caseAcceptedAt),
            itemProcessingMillis: Int64((request.itemProcessingTime(at: now) * 1000).rounded(.down)),
            deadlineNote: DeadlineRule.note(rule: request.deadlineRule, promisedCompletionAt: request.promisedCompletionAt)
        )
    }

    private func message(_ event: NoProofVerification.VerificationEvent) -> NoProofCodec.VerificationEvent {
        NoProofCodec.VerificationEvent(kind: event.kind, atMillis: Self.millis(event.at), request: record(event.request))
    }

    // MARK: Helpers

    static func millis(_ date: Date?) -> Int64 {
        guard let date else { return 0 }
        return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    private func millis(_ date: Date) -> Int64 { Self.millis(date) }

    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// A moment in China Standard Time, ISO 8601 (as the deadlines are stated).
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: date)
    }

    static func limit(_ limit: UInt32) -> Int { limit == 0 ? 100 : Int(min(limit, 10_000)) }

    /// Whether `id` has the form `newID()` gives.
    static func isRequestID(_ id: String) -> Bool {
        let utf8 = Array(id.utf8)
        guard utf8.count == 19, utf8.starts(with: Array("VR-".utf8)) else { return false }
        return utf8.dropFirst(3).allSatisfy { (48...57).contains($0) || (65...70).contains($0) }
    }

    /// "VR-" and 16 random upper-case hex digits.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "VR-" + String(format: "%016llX", generator.next() as UInt64)
    }

}
