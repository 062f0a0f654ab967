package import Foundation
import NoProofAuditChain
import NoProofDomain
package import NoProofOversight
import NoProofProtocol
import NoProofUnits

extension OversightUseCases {
    /// A complaint to register (Art. 18), as the request gives it.
    package struct ComplaintInput: Hashable, Sendable {
        /// A `ComplaintChannel` name.
        package var channel: String
        package var channelReference: String
        /// The unit complained about.
        package var unitCode: String
        /// A `BreachType` name.
        package var breachType: String
        package var summary: String
        package var complainant: String
        package var linkedRecords: [String]

        package init(
            channel: String, channelReference: String, unitCode: String, breachType: String, summary: String, complainant: String,
            linkedRecords: [String] = []
        ) {
            self.channel = channel
            self.channelReference = channelReference
            self.unitCode = unitCode
            self.breachType = breachType
            self.summary = summary
            self.complainant = complainant
            self.linkedRecords = linkedRecords
        }
    }

    /// The task force office's active staff register a complaint about a registered unit;
    /// audited `Oversight.FileComplaint` (`registered`, with the breach and the unit).
    package func fileComplaint(_ input: ComplaintInput, caller: Caller) async throws -> Stored<Complaint> {
        let unit = caller.unit
        try caller.requireTaskForce(to: "register complaints (Art. 18)")
        let staff = try await member(caller.staff(), of: unit)
        let channel = try ComplaintChannel.parse(input.channel)
        let breach = try BreachType.parse(input.breachType)
        let about = try await activeUnit(input.unitCode, field: "unit_code", requireActive: false)
        let registration = Complaint.Registration(
            channel: channel, channelReference: input.channelReference, unit: about.code.value, unitName: about.name, breachType: breach,
            summary: input.summary, complainant: input.complainant, linkedRecords: input.linkedRecords, registeredBy: staff
        )
        let moment = now()
        let new = try Complaint.register(registration, id: Self.newID("CP"), at: moment)
        let (stored, created) = try await store.insertComplaint(new)
        if !created {
            guard registration.matches(stored) else {
                throw NoProofError(
                    .alreadyExists,
                    "\(stored.channel.rawValue) reference \(stored.channelReference) is already complaint \(stored.id) with other content; use the channel's reference of this complaint"
                )
            }
            return Stored(record: stored, replayed: true)
        }
        try await audited(
            caller: caller, action: .oversightFileComplaint, staff: staff, item: "", caseReference: stored.channelReference,
            holder: "", type: "", id: stored.id, result: .registered(breach: stored.breachType.rawValue, about: stored.unit), at: moment)
        return Stored(record: stored, replayed: false)
    }

    /// The task force office routes complaint `id` to an active unit (`unitCode` empty: the unit
    /// complained about); audited `Oversight.RouteComplaint` (`routed <unit>`).
    package func routeComplaint(_ id: String, to unitCode: String, caller: Caller) async throws -> Stored<Complaint> {
        let (existing, staff) = try await taskForceAction(id, caller: caller, to: "route complaints")
        let target = try await activeUnit(unitCode.isEmpty ? existing.unit : unitCode, field: "unit_code")
        let moment = now()
        return try await complaintTransition(
            existing, caller: caller, action: .oversightRouteComplaint, staff: staff, result: .routed(to: target.code.value)
        ) {
            c throws(NoProofError) in try c.route(to: target.code.value, unitName: target.name, by: staff, at: moment)
        }
    }

    /// The unit the complaint was routed to answers it; audited `Oversight.AnswerComplaint`.
    package func answerComplaint(_ id: String, answer: String, caller: Caller) async throws -> Stored<Complaint> {
        let unit = caller.unit
        let existing = try await readableComplaint(id, caller: caller)
        let staff = try await member(caller.staff(), of: unit)
        let moment = now()
        return try await complaintTransition(existing, caller: caller, action: .oversightAnswerComplaint, staff: staff) {
            c throws(NoProofError) in try c.answer(answer, actingUnit: unit.unitCode, by: staff, at: moment)
        }
    }

    /// The task force office closes complaint `id`; audited `Oversight.CloseComplaint`
    /// (`substantiated` or `unsubstantiated`).
    package func closeComplaint(_ id: String, substantiated: Bool, note: String, caller: Caller) async throws -> Stored<Complaint> {
        let (existing, staff) = try await taskForceAction(id, caller: caller, to: "close complaints")
        let moment = now()
        return try await complaintTransition(
            existing, caller: caller, action: .oversightCloseComplaint, staff: staff,
            result: substantiated ? .substantiated : .unsubstantiated
        ) {
            c throws(NoProofError) in try c.close(substantiated: substantiated, note: note, by: staff, at: moment)
        }
    }

    /// Complaint `id`, to the task force office and the unit it was routed to.
    package func complaint(_ id: String, caller: Caller) async throws -> Complaint {
        try await readableComplaint(id, caller: caller)
    }

    /// The complaints routed to `unitCode` (see `scope`) with `status` (a `ComplaintStatus` name;
    /// empty: any), at most `limit`.
    package func complaints(unitCode: String, status text: String, limit: Int, caller: Caller) async throws -> [Complaint] {
        let scope = try scope(unitCode, caller: caller, what: "complaints")
        let status = try text.isEmpty ? nil : ComplaintStatus.parse(text)
        return try await store.complaints(routedTo: scope, status: status, limit: limit)
    }

    private func complaintTransition(
        _ existing: Complaint, caller: Caller, action: AuditAction, staff: String, result: AuditResult? = nil,
        _ body: @escaping @Sendable (inout Complaint) throws(NoProofError) -> Bool
    ) async throws -> Stored<Complaint> {
        let moment = now()
        let (record, changed) = try await store.updateComplaint(id: existing.id, body)
        guard changed else { return Stored(record: record, replayed: true) }
        try await audited(
            caller: caller, action: action, staff: staff, item: "", caseReference: record.channelReference, holder: "",
            type: "", id: record.id, result: result ?? AuditResult(rawValue: record.status.rawValue), at: moment)
        return Stored(record: record, replayed: false)
    }

    // MARK: Figures

    /// A unit's oversight counts over a period, as `counts` answers them.
    package struct Counts: Sendable {
        package var unitCode: String
        package var from: Date
        package var to: Date
        package var asOf: Date
        package var counts: OversightCounts
    }

    /// The oversight counts of `unitCode` (empty: the caller's; another unit's for the task force
    /// office only) over `from`..`to` (nil `to`: just after now; nil `from`: 30 days before `to`)
    /// as of `asOf` (nil: now).
    package func counts(unitCode text: String, from: Date?, to: Date?, asOf: Date?, caller: Caller) async throws -> Counts {
        let unit = caller.unit
        let code = try text.isEmpty ? unit.unitCode : RequestFields.unitCode(text).value
        guard code == unit.unitCode || unit.isTaskForce else {
            throw NoProofError(.forbidden, "a unit reads its own figures only; this connection acts for \(unit.unitName) (\(unit.unitCode))")
        }
        let moment = now()
        // Default end: just after now, so what was recorded this very millisecond counts.
        let end = to ?? Date(timeIntervalSince1970: Double(Self.millis(moment) + 1) / 1000)
        let start = from ?? end.addingTimeInterval(-30 * 86_400)
        guard start < end else { throw NoProofError.invalid("from_millis", "the period must start before it ends") }
        let asOf = asOf ?? moment
        let counts = try await store.counts(unit: code, from: start, to: end, asOf: asOf)
        return Counts(unitCode: code, from: start, to: end, asOf: asOf, counts: counts)
    }
}
