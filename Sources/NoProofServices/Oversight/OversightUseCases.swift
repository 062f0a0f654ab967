import Foundation
import Logging
import NoProofAuditChain
import NoProofDomain
import NoProofOversight
import NoProofProtocol
import NoProofUnitStore
import NoProofUnits
import NoProofVerification

/// The oversight records' policy (Art. 2, 7, 11, 12, 18), apart from the RPC adapter
/// `OversightService`: who records, checks, reads and works on commitments, ledger entries,
/// mismatch cases and complaints, the store calls, and the audit record of every change (written
/// before the call is answered; `unavailable` when it cannot be). Takes the request's values and a
/// `Caller`, returns the domain records with whether the call was a replay; throws `NoProofError`.
///
/// A request's text fields (codes, ids, channels, outcomes) are parsed here, in the order the
/// checks run: who the caller is and what they may touch comes first, so a unit that may not act
/// is refused before its fields are read.
package struct OversightUseCases: Sendable {
    let store: any OversightStore
    let units: any UnitStore
    let audit: any AuditTrail
    let verifications: (any VerificationStore)?
    let rule: CheckRiskRule
    let correction: MismatchCorrection?
    /// Correction notices pushed to the watch streams as they are written.
    let notices: CorrectionNoticeHub
    let now: @Sendable () -> Date
    let logger: Logger

    init(
        store: any OversightStore, units: any UnitStore, audit: any AuditTrail, verifications: (any VerificationStore)?, rule: CheckRiskRule,
        correction: MismatchCorrection?, notices: CorrectionNoticeHub, now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.store = store
        self.units = units
        self.audit = audit
        self.verifications = verifications
        self.rule = rule
        self.correction = correction
        self.notices = notices
        self.now = now
        self.logger = logger
    }

    /// A record and whether the call only replayed it (a retry with the same content changes nothing).
    package struct Stored<Record: Sendable>: Sendable {
        package var record: Record
        package var replayed: Bool
    }

    // MARK: Access

    /// The unit a listing covers: a unit always its own (asking for another is refused); the task
    /// force office the one it names, or all (nil).
    func scope(_ requested: String, caller: Caller, what: String) throws(NoProofError) -> String? {
        let unit = caller.unit
        if unit.isTaskForce { return requested.isEmpty ? nil : try RequestFields.unitCode(requested).value }
        guard requested.isEmpty || requested == unit.unitCode else {
            throw NoProofError(
                .forbidden,
                "a unit reads its own \(what) only; the task force office reads every unit's. This connection acts for \(unit.unitName) (\(unit.unitCode))")
        }
        return unit.unitCode
    }

    func readableCommitment(_ id: String, caller: Caller) async throws -> Commitment {
        let unit = caller.unit
        guard !id.isEmpty else { throw NoProofError.invalid("id", "required — the commitment id (CM-...)") }
        guard let found = try await store.commitment(id: id) else {
            throw NoProofError(.notFound, "no commitment \(id)")
        }
        guard found.unit == unit.unitCode || unit.isTaskForce else {
            throw NoProofError(.forbidden, "commitment \(id) belongs to another unit; only it and the task force office may read it")
        }
        return found
    }

    func readableMismatch(_ id: String, caller: Caller) async throws -> MismatchCase {
        let unit = caller.unit
        guard !id.isEmpty else { throw NoProofError.invalid("mismatch_id", "required — the mismatch case id (MM-...)") }
        guard let found = try await store.mismatch(id: id) else {
            throw NoProofError(.notFound, "no mismatch case \(id)")
        }
        guard found.unit == unit.unitCode || found.issuingUnit == unit.unitCode || unit.isTaskForce else {
            throw NoProofError(
                .forbidden,
                "only the two units involved — \(found.unitName) and \(found.issuingUnitName) — and the task force office may read mismatch \(id)")
        }
        return found
    }

    /// The case and the acting staff member, for a step only the unit that opened it takes.
    func openerAction(_ id: String, caller: Caller, to action: String) async throws -> (MismatchCase, String) {
        let unit = caller.unit
        let existing = try await readableMismatch(id, caller: caller)
        guard existing.unit == unit.unitCode else {
            throw NoProofError(.forbidden, "only \(existing.unitName) (\(existing.unit)), which opened mismatch \(existing.id), may \(action) it")
        }
        return (existing, try await member(caller.staff(), of: unit))
    }

    func readableComplaint(_ id: String, caller: Caller) async throws -> Complaint {
        let unit = caller.unit
        guard !id.isEmpty else { throw NoProofError.invalid("complaint_id", "required — the complaint id (CP-...)") }
        guard let found = try await store.complaint(id: id) else {
            throw NoProofError(.notFound, "no complaint \(id)")
        }
        guard found.routedTo == unit.unitCode || unit.isTaskForce else {
            throw NoProofError(.forbidden, "complaint \(id) is read by the task force office and the unit it was routed to only")
        }
        return found
    }

    /// The complaint and the acting staff member, for a step only the task force office takes.
    func taskForceAction(_ id: String, caller: Caller, to action: String) async throws -> (Complaint, String) {
        try caller.requireTaskForce(to: action)
        let existing = try await readableComplaint(id, caller: caller)
        return (existing, try await member(caller.staff(), of: caller.unit))
    }

    /// The item of the unit's published list in force, or `forbidden` saying why not.
    func listedItem(_ code: String, unit: AuthenticatedUnit, at moment: Date, purpose: String) async throws -> ServiceItem {
        let unitCode = try RequestFields.unitCode(unit.unitCode, field: "unit")
        let list = try await units.versionInForce(unit: unitCode, at: moment)
        guard let list else {
            throw NoProofError(.forbidden, "\(unit.unitName) (\(unit.unitCode)) has no published item list in force; \(purpose) must cite an item of it")
        }
        guard let item = list.item(code) else {
            throw NoProofError(
                .forbidden, "item \(code) is not on \(unit.unitName)'s list in force (version \(list.version)); \(purpose) must cite an item of it")
        }
        return item
    }

    /// `staffID` if it is an active staff member of `unit`, else `forbidden`.
    func member(_ staffID: String, of unit: AuthenticatedUnit) async throws -> String {
        let code = try RequestFields.unitCode(unit.unitCode, field: "unit")
        let found = try await units.staffMember(staffID, of: code)
        guard let found, found.active else {
            throw NoProofError(
                .forbidden,
                "\(staffID) is not an active staff member of \(unit.unitName) (\(unit.unitCode)); name one in the staff metadata ('noproof staff list')")
        }
        return found.id
    }

    func activeUnit(_ text: String, field: String, requireActive: Bool = true) async throws -> ServiceUnit {
        let code = try RequestFields.unitCode(text, field: field)
        let found = try await units.unit(code: code)
        guard let found, found.active || !requireActive else {
            throw NoProofError.invalid(field, "\(code.value) is not a registered, active unit; use one that 'noproof units' lists")
        }
        return found
    }

    // MARK: Audit

    /// Writes the audit record of a change by `caller`; `unavailable` if it cannot be written
    /// (the change is stored, so a retry replays it and succeeds). `licence_id` carries the record id.
    func audited(
        caller: Caller, action: AuditAction, staff: String, item: String, caseReference: String, holder: String,
        type: String, id: String, result: AuditResult, at moment: Date
    ) async throws(NoProofError) {
        let unit = caller.unit
        let entry = AuditRecord(
            atMillis: Self.millis(moment), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff,
            action: action, itemCode: item, caseReference: caseReference, holderID: holder, typeCode: type,
            licenceID: id, result: result)
        do {
            _ = try await audit.append(entry)
        } catch {
            logger.error("audit write failed", metadata: ["record": "\(id)", "error": "\(error)"])
            throw NoProofError(.unavailable, "the change to \(id) could not be recorded in the audit trail; retry (the retry is safe)")
        }
    }

    // MARK: Helpers

    static func millis(_ date: Date?) -> Int64 {
        guard let date else { return 0 }
        return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func limit(_ limit: UInt32, default value: Int) -> Int { limit == 0 ? value : Int(min(limit, 10_000)) }

    /// PREFIX + "-" + 16 random upper-case hex digits.
    static func newID(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + "-" + String(format: "%016llX", generator.next() as UInt64)
    }
}
