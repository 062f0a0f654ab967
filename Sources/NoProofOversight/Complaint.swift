package import Foundation
package import NoProofDomain

/// A complaint or report (Art. 18) and its state machine:
///
///     registered ─route─▶ routed ─answer (the routed unit)─▶ answered ─close─▶ closed
///                           └─route (to another unit)─▶ routed
///
/// The task force office registers, routes and closes; the unit it was routed to answers.
/// `(channel, channelReference)` identifies a complaint: registering it again returns it.
/// Replays of a transition already made return `false`; other illegal transitions are refused.
package struct Complaint: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var channel: ComplaintChannel
    /// The channel's own reference (12345 ticket, letter number, review id).
    package var channelReference: String
    /// The unit complained about.
    package var unit: String
    package var unitName: String
    package var breachType: BreachType
    package var summary: String
    /// Who complained and how to reach them (may be empty for anonymous reports).
    package var complainant: String
    /// Ids of related records: verification requests, proof serials, ledger entries, mismatch cases.
    package var linkedRecords: [String]
    package var registeredAt: Date
    package var registeredBy: String
    package var status: ComplaintStatus
    package var routedTo: String?
    package var routedToName: String?
    package var routedAt: Date?
    package var routedBy: String?
    package var answer: String?
    package var answeredAt: Date?
    package var answeredBy: String?
    package var substantiated: Bool?
    package var closingNote: String?
    package var closedAt: Date?
    package var closedBy: String?

    package struct Registration: Hashable, Sendable {
        package var channel: ComplaintChannel
        package var channelReference: String
        package var unit: String
        package var unitName: String
        package var breachType: BreachType
        package var summary: String
        package var complainant: String
        package var linkedRecords: [String]
        package var registeredBy: String

        package init(
            channel: ComplaintChannel, channelReference: String, unit: String, unitName: String, breachType: BreachType,
            summary: String, complainant: String = "", linkedRecords: [String] = [], registeredBy: String
        ) {
            self.channel = channel
            self.channelReference = channelReference
            self.unit = unit
            self.unitName = unitName
            self.breachType = breachType
            self.summary = summary
            self.complainant = complainant
            self.linkedRecords = linkedRecords
            self.registeredBy = registeredBy
        }

        package func matches(_ existing: Complaint) -> Bool {
            existing.channel == channel && existing.channelReference == channelReference && existing.unit == unit
                && existing.breachType == breachType && existing.summary == summary && existing.linkedRecords == linkedRecords
        }
    }

    package static func register(_ registration: Registration, id: String, at now: Date) throws(NoProofError) -> Complaint {
        try OversightValidation.text(
            registration.channelReference, "channel_reference",
            "the channel's own reference (12345 ticket, letter number, review id), so a complaint is registered once",
            limit: 128)
        try OversightValidation.unit(registration.unit, "unit_code")
        try OversightValidation.text(registration.summary, "summary", "what the complainant reports")
        try OversightValidation.optional(registration.complainant, "complainant", limit: 200)
        if registration.linkedRecords.count > 32 { throw .invalid("linked_records", "at most 32 linked records") }
        for (index, record) in registration.linkedRecords.enumerated() {
            try OversightValidation.text(record, "linked_records[\(index)]", "a record id", limit: 128)
        }
        try OversightValidation.staff(registration.registeredBy)
        return Complaint(
            id: id, channel: registration.channel, channelReference: registration.channelReference, unit: registration.unit,
            unitName: registration.unitName, breachType: registration.breachType, summary: registration.summary,
            complainant: registration.complainant, linkedRecords: registration.linkedRecords, registeredAt: now,
            registeredBy: registration.registeredBy, status: .registered
        )
    }

    /// The task force office routes the complaint to `unit` (re-routing while unanswered is allowed).
    package mutating func route(to unit: String, unitName: String, by staff: String, at now: Date) throws(NoProofError) -> Bool {
        switch status {
        case .registered:
            break
        case .routed:
            if routedTo == unit { return false }
        case .answered, .closed:
            if routedTo == unit { return false }
            throw .conflict("complaint \(id) is already \(status.rawValue); it can no longer be routed")
        }
        try OversightValidation.unit(unit, "unit_code")
        routedTo = unit
        routedToName = unitName
        routedAt = now
        routedBy = staff
        status = .routed
        return true
    }

    /// The unit it was routed to answers. `actingUnit` is the unit of the call's credential.
    package mutating func answer(_ text: String, actingUnit: String, by staff: String, at now: Date) throws(NoProofError) -> Bool {
        if status == .registered {
            throw .conflict("complaint \(id) has not been routed to a unit yet; the task force office routes it first")
        }
        guard actingUnit == routedTo else {
            throw NoProofError(.forbidden, "complaint \(id) was routed to \(routedToName ?? "") (\(routedTo ?? "?")); only that unit answers it")
        }
        if status == .answered || status == .closed {
            if answer == text { return false }
            throw .conflict("complaint \(id) was already answered by \(answeredBy ?? "?"); an answer cannot be changed")
        }
        try OversightValidation.text(text, "answer", "the unit's answer to the complaint")
        answer = text
        answeredAt = now
        answeredBy = staff
        status = .answered
        return true
    }

    /// The task force office closes an answered complaint, saying whether it was substantiated.
    package mutating func close(substantiated: Bool, note: String, by staff: String, at now: Date) throws(NoProofError) -> Bool {
        if status == .closed {
            if self.substantiated == substantiated && closingNote == note { return false }
            throw .conflict("complaint \(id) is already closed")
        }
        guard status == .answered else {
            throw .conflict("complaint \(id) is \(status.rawValue); it is closed once the unit has answered")
        }
        try OversightValidation.optional(note, "note")
        self.substantiated = substantiated
        closingNote = note
        closedAt = now
        closedBy = staff
        status = .closed
        return true
    }
}
