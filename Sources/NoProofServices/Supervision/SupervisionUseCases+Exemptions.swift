import Foundation
import NoProofAuditChain
package import NoProofDomain
package import NoProofOversight
import NoProofProtocol
import Logging
import NoProofUnitStore
import NoProofUnits

extension SupervisionUseCases {
    /// An Art. 17 exemption to record, as the request gives it (each field is checked after the
    /// caller's authority, so a unit that may not record one is refused before its fields are read).
    package struct ExemptionInput: Hashable, Sendable {
        package var unitCode: String
        package var flag: String
        package var fromDate: String
        package var toDate: String
        package var ground: String
        package var reason: String

        package init(unitCode: String, flag: String, fromDate: String, toDate: String, ground: String, reason: String) {
            self.unitCode = unitCode
            self.flag = flag
            self.fromDate = fromDate
            self.toDate = toDate
            self.ground = ground
            self.reason = reason
        }
    }

    /// Records an Art. 17 exemption: the task force office's staff member signed in with their own
    /// credential, active in the office; fail closed (`AuditedChange`, `Supervision.Exempt`:
    /// `intended`, then `exempted` or `already_exempted`). Returns the stored exemption and
    /// whether it is new.
    package func exempt(_ input: ExemptionInput, caller: Caller) async throws -> (exemption: FlagExemption, created: Bool) {
        let unit = caller.unit
        try caller.requireTaskForce(to: "record Art. 17 exemptions")
        let staffID = try caller.signedInStaff(to: "record Art. 17 exemptions")
        let taskForce = try RequestFields.unitCode(unit.unitCode, field: "connection unit")
        let member = try await units.staffMember(staffID, of: taskForce)
        guard let member, member.active else {
            throw NoProofError(.forbidden, "\(staffID) is not an active staff member of the task force office (\(unit.unitCode))")
        }
        guard let exemptions else {
            throw NoProofError(.unavailable, "this server keeps no exemption records (no oversight store); nothing was recorded")
        }
        let exempted = try RequestFields.unitCode(input.unitCode)
        guard try await units.unit(code: exempted) != nil else {
            throw NoProofError(.notFound, "unit \(exempted) is not registered; 'noproof units' lists the registered units")
        }
        guard SupervisionThresholds.defaults[input.flag] != nil else {
            throw NoProofError.invalid(
                "flag", "\"\(input.flag.prefix(64))\" is not a flag code; use one of \(SupervisionThresholds.defaults.keys.sorted().joined(separator: ", "))")
        }
        let from = try RequestFields.civilDate(input.fromDate, field: "from_date")
        let to = try RequestFields.civilDate(input.toDate, field: "to_date")
        let moment = now()
        let exemption = try FlagExemption.make(
            id: OversightUseCases.newID("EX"), unit: exempted.value, flag: input.flag, from: from, through: to,
            ground: input.ground, reason: input.reason, by: staffID, credentialID: unit.credentialID, at: moment)
        let intent = AuditRecord(
            atMillis: Self.millis(moment), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staffID,
            action: .supervisionExempt, itemCode: input.flag, caseReference: "\(from)..\(to)", holderID: "",
            typeCode: exemption.ground, licenceID: exemption.id, result: .intended,
            counterpartUnit: exempted.value)
        let stored = try await AuditedChange.run(
            audit: audit, logger: logger, intent: [intent],
            change: { () async throws -> (record: FlagExemption, created: Bool) in
                try await exemptions.insertExemption(exemption)
            },
            outcome: { result in
                var record = intent.with(result: result.created ? .exempted : .alreadyExempted)
                record.licenceID = result.record.id
                return [record]
            })
        logger.info("flag exempted", metadata: ["unit": "\(exempted)", "flag": "\(input.flag)", "by": "\(staffID)", "id": "\(stored.record.id)"])
        return (stored.record, stored.created)
    }

    /// The exemptions of `unitCode` (nil: every unit, for the task force office only; a unit lists
    /// its own) over `from`...`to`, audited as `Supervision.ListExemptions` (`listed <count>`).
    /// None when this server keeps no exemption records (and nothing is audited).
    package func exemptions(from: CivilDate, to: CivilDate, unitCode requested: UnifiedSocialCreditCode?, caller: Caller) async throws -> [FlagExemption] {
        let unit = caller.unit
        let unitCode = try scope(
            requested, caller: caller,
            everyUnit: "only the task force office lists every unit's exemptions; give your own unit_code \(unit.unitCode)",
            ownOnly: "a unit lists only its own exemptions (\(unit.unitCode)); the task force office lists any")
        guard let exemptions else { return [] }
        let found = try await exemptions.exemptions(unit: unitCode, from: from, through: to)
        await record(
            AuditRecord(
                atMillis: Self.millis(now()), unitCode: unit.unitCode, credentialID: unit.credentialID,
                staff: caller.claimedStaff ?? "", action: .supervisionListExemptions, itemCode: "",
                caseReference: "\(from)..\(to)", holderID: "", typeCode: "", licenceID: unitCode ?? "all units",
                result: .listed(count: found.count)))
        return found
    }
}
