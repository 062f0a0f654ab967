package import Foundation
package import Logging
package import NoProofAuditChain
package import NoProofDomain
package import NoProofSeals
package import NoProofUnitStore
package import NoProofUnits
package import NoProofVerification
import NoProofProtocol

/// Department verification's policy (Art. 7, 9, 10, 11), apart from the RPC adapter
/// (`VerificationService`): who may file, read, take, answer, return and re-file a request, the
/// store calls, the audit record of every transition and refusal, the events the watches see.
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
/// method returns; filing is idempotent on `request_key`, answers and returns on their content.
/// Methods take domain values and a `Caller` and throw `NoProofError`.
package struct VerificationUseCases: Sendable {
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

    /// A request after a use case, and whether the call replayed an earlier one (nothing changed).
    package struct Handled: Sendable {
        package var request: VerificationRequest
        package var replayed: Bool
    }

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

    // MARK: Reading

    /// The request `id`, if the caller's unit is one of the two units involved.
    package func request(_ id: String, caller: Caller) async throws(NoProofError) -> VerificationRequest {
        try await readable(id, caller: caller)
    }

    /// The request `id` as it is now and the stream of its later events; the stream is subscribed
    /// before the request is read, so no change between the two is missed.
    package func watch(_ id: String, caller: Caller) async throws(NoProofError) -> (
        current: VerificationRequest, events: AsyncStream<VerificationEvent>
    ) {
        _ = try await readable(id, caller: caller)
        let stream = events.subscribe(.request(id: id))
        let current = try await readable(id, caller: caller)
        return (current, stream)
    }

    /// The requests addressed to the caller's unit.
    package func queue(caller: Caller, includeFinished: Bool, limit: Int) async throws(NoProofError) -> [VerificationRequest] {
        try await store.queue(issuingUnit: caller.unit.unitCode, includeFinished: includeFinished, limit: limit)
    }

    /// The requests the caller's unit filed.
    package func filed(caller: Caller, includeFinished: Bool, limit: Int) async throws(NoProofError) -> [VerificationRequest] {
        try await store.filed(requestingUnit: caller.unit.unitCode, includeFinished: includeFinished, limit: limit)
    }

    /// The events of the caller's unit's queue, for one of its active staff members (a supervisor
    /// also sees escalations).
    package func watchQueue(caller: Caller) async throws(NoProofError) -> AsyncStream<VerificationEvent> {
        let unit = caller.unit
        let member = try await member(caller.staff(), of: unit.unitCode, unitName: unit.unitName)
        return events.subscribe(.queue(unit: unit.unitCode, supervisor: member.role == .supervisor))
    }

    // MARK: Taking and returning

    /// The issuing unit's agent or supervisor takes request `id`.
    package func take(_ id: String, caller: Caller) async throws(NoProofError) -> Handled {
        let (existing, member) = try await actionable(id, caller: caller, to: "take")
        let moment = now()
        return try await transition(existing, caller: caller, action: .verificationTake, kind: "taken", staff: member.id, at: moment) {
            request throws(NoProofError) in
            try request.take(by: member.id, isSupervisor: member.role == .supervisor, at: moment)
        }
    }

    /// The issuing unit returns request `id` as not its duty, suggesting `suggested` instead.
    package func returnRequest(
        _ id: String, reason: String, suggested: UnifiedSocialCreditCode, caller: Caller
    ) async throws(NoProofError) -> Handled {
        let (existing, member) = try await actionable(id, caller: caller, to: "return")
        guard try await units.unit(code: suggested) != nil else {
            throw .invalid("suggested_unit_code", "\(suggested) is not a registered unit; suggest one that 'noproof units' lists")
        }
        let moment = now()
        return try await transition(existing, caller: caller, action: .verificationReturn, kind: "returned", staff: member.id, at: moment) {
            request throws(NoProofError) in
            try request.returnRequest(
                by: member.id, isSupervisor: member.role == .supervisor, reason: reason,
                suggestedUnit: suggested.value, at: moment)
        }
    }

    // MARK: Transitions

    func transition(
        _ existing: VerificationRequest, caller: Caller, action: AuditAction, kind: String, staff: String, at moment: Date,
        _ body: @escaping @Sendable (inout VerificationRequest) throws(NoProofError) -> Bool
    ) async throws(NoProofError) -> Handled {
        let (request, changed) = try await store.update(id: existing.id, body)
        guard changed else { return Handled(request: request, replayed: true) }
        let result = AuditResult(rawValue: kind == "answered" ? (request.outcome?.rawValue ?? kind) : kind)
        try await audited(request, caller: caller, action: action, staff: staff, result: request.finishedLate ? result.late : result, at: moment)
        await scheduler.arm(request)
        events.publish(VerificationEvent(kind: kind, at: moment, request: request))
        return Handled(request: request, replayed: false)
    }

    /// Writes the audit record of a transition made by `caller`; `unavailable` if it cannot be
    /// written (the transition is stored, so a retry replays it and succeeds).
    func audited(_ request: VerificationRequest, caller: Caller, action: AuditAction, staff: String, result: AuditResult, at moment: Date)
        async throws(NoProofError)
    {
        var entry = Self.auditRecord(
            request, action: action, unitCode: caller.unit.unitCode, credentialID: caller.unit.credentialID, staff: staff,
            result: result, at: moment)
        entry.proofSerial = request.proof != nil ? request.id : ""
        do {
            _ = try await audit.append(entry)
        } catch {
            logger.error("audit write failed", metadata: ["request": "\(request.id)", "error": "\(error)"])
            throw NoProofError(
                .unavailable, "the change to request \(request.id) could not be recorded in the audit trail; retry (the retry is safe)",
                cause: error)
        }
    }

    /// Appends `entry`, logging (not throwing) a failure: for refusals and the deadline watch.
    func record(_ entry: AuditRecord) async {
        do {
            _ = try await audit.append(entry)
        } catch {
            logger.error("audit write failed", metadata: ["action": "\(entry.action)", "error": "\(error)"])
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
            atMillis: millis(moment), unitCode: unitCode, credentialID: credentialID,
            staff: staff, action: action, itemCode: request.itemCode, caseReference: request.caseReference,
            // The holder's canonical key when the id parses, so "who looked at my data" finds it.
            holderID: (try? Holder.parse(request.holderID))?.key ?? request.holderID, typeCode: request.proofType,
            licenceID: request.id, result: result,
            counterpartUnit: unitCode == request.requestingUnit ? request.issuingUnit : request.requestingUnit)
    }

    // MARK: Checks

    /// The request, if the caller's unit is one of the two units involved.
    func readable(_ id: String, caller: Caller) async throws(NoProofError) -> VerificationRequest {
        let unit = caller.unit
        guard !id.isEmpty else { throw .invalid("request_id", "required") }
        guard Self.isRequestID(id) else {
            throw .invalid("request_id", "\"\(id.prefix(40))\" is not a verification request id ('VR-' and 16 hex digits, as File answered)")
        }
        guard let request = try await store.request(id: id) else {
            throw NoProofError(.notFound, "no verification request \(id)")
        }
        guard unit.unitCode == request.requestingUnit || unit.unitCode == request.issuingUnit else {
            throw NoProofError(
                .forbidden,
                "only the two units involved — \(request.requestingUnitName) and \(request.issuingUnitName) — may read request \(id); this connection acts for \(unit.unitName) (\(unit.unitCode))"
            )
        }
        return request
    }

    /// The request and the acting member, if the caller acts for the issuing unit and the staff
    /// member is one of its active agents or its supervisor.
    func actionable(_ id: String, caller: Caller, to action: String) async throws(NoProofError) -> (VerificationRequest, StaffMember) {
        let unit = caller.unit
        let request = try await readable(id, caller: caller)
        guard unit.unitCode == request.issuingUnit else {
            throw NoProofError(
                .forbidden,
                "only the issuing unit's agents (代办员) and supervisor (督办员) — \(request.issuingUnitName) (\(request.issuingUnit)) — may \(action) request \(id)")
        }
        // Answering and returning carry the issuing unit's word (Art. 11: it answers for the
        // truth of the proof), and a supervisor's powers are a person's: both need the staff
        // member's own credential. Taking a request is routine work a departmental system may do
        // for a named agent.
        let staffID = action == "take" ? try caller.staff() : try caller.signedInStaff(to: "\(action) a verification request")
        var member = try await member(staffID, of: unit.unitCode, unitName: unit.unitName)
        if unit.staffID == nil, member.role == .supervisor {
            // Named by a system credential: it may act as an agent, never with the supervisor's powers.
            member.role = .agent
        }
        return (request, member)
    }

    func member(_ staffID: String, of unitCode: String, unitName: String) async throws(NoProofError) -> StaffMember {
        let code = try Self.unitCode(unitCode, field: "unit")
        let found = try await units.staffMember(staffID, of: code)
        guard let found, found.active else {
            throw NoProofError(
                .forbidden,
                "\(staffID) is not an active staff member of \(unitName) (\(unitCode)); name one in the staff metadata ('noproof staff list')")
        }
        return found
    }

    // MARK: Helpers

    /// A unit's code from `text`, the error naming `field`.
    package static func unitCode(_ text: String, field: String) throws(NoProofError) -> UnifiedSocialCreditCode {
        guard !text.isEmpty else { throw .invalid(field, "required — the unit's unified social credit code") }
        do {
            return try UnifiedSocialCreditCode.parse(text, field: field)
        } catch {
            throw .invalid(error)
        }
    }

    static func millis(_ date: Date?) -> Int64 {
        guard let date else { return 0 }
        return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// A moment in China Standard Time, ISO 8601 (as the deadlines are stated).
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: date)
    }

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
