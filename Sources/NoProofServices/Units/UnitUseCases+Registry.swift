import Foundation
import NoProofAuditChain
package import NoProofDomain
import NoProofUnitStore
package import NoProofUnits
import Logging
import NoProofProtocol

extension UnitUseCases {
    /// Every registered unit (public: Art. 5).
    package func units() async throws -> [ServiceUnit] {
        try await store.units()
    }

    /// The registered unit `code`, for an authenticated caller.
    package func unit(_ code: UnifiedSocialCreditCode, caller: Caller) async throws -> ServiceUnit {
        try await existingUnit(code)
    }

    /// The staff of `unitCode` (empty: the caller's unit), for an authenticated caller.
    package func staff(of unitCode: String, includeInactive: Bool, caller: Caller) async throws -> (unit: UnifiedSocialCreditCode, staff: [StaffMember]) {
        let code = try RequestFields.unitCode(unitCode.isEmpty ? caller.unit.unitCode : unitCode)
        return (code, try await store.staff(of: code, includeInactive: includeInactive))
    }

    /// Registers a unit with its staff: the task force office's staff signed in; fail closed
    /// (`Unit.Create`: `intended`, then `created`).
    package func createUnit(_ unit: Result<(ServiceUnit, [StaffMember]), any Error>, caller: Caller) async throws -> ServiceUnit {
        let staff = try await taskForceStaff(caller, to: "register units")
        let (created, members) = try unit.get()
        let moment = now()
        let intent = auditRecord(caller, action: .unitCreate, staff: staff, subject: created.code.value, counterpart: created.code.value, at: moment)
        try await audited(
            [intent],
            { () async throws in
                try await store.createUnit(created, staff: members, at: moment)
            }, outcome: { _ in [intent.with(result: .created)] })
        logger.info("unit registered", metadata: ["unit": "\(created.code)", "by": "\(staff)"])
        try? await gate.refresh(publishingDue: false)
        return created
    }

    /// Changes a unit's registration (or deactivates it): the task force office's staff signed in;
    /// fail closed (`Unit.Update`: `intended`, then `updated` or `deactivated`).
    package func updateUnit(_ unit: Result<ServiceUnit, any Error>, caller: Caller) async throws -> ServiceUnit {
        let staff = try await taskForceStaff(caller, to: "change units")
        let changed = try unit.get()
        let moment = now()
        let intent = auditRecord(caller, action: .unitUpdate, staff: staff, subject: changed.code.value, counterpart: changed.code.value, at: moment)
        try await audited(
            [intent],
            { () async throws in
                try await store.updateUnit(changed, at: moment)
            }, outcome: { _ in [intent.with(result: changed.active ? .updated : .deactivated)] })
        logger.info("unit changed", metadata: ["unit": "\(changed.code)", "by": "\(staff)", "active": "\(changed.active)"])
        await reloadGate()
        return changed
    }

    /// Replaces the staff set of `unitCode` (empty: the caller's unit) — the unit's or the task
    /// force office's supervisor (督办员) signed in; members left out are deactivated by the store,
    /// which enforces the Art. 10 rule; fail closed (`Staff.Set`: `intended`, then `replaced`).
    /// Returns every member, inactive ones too.
    package func setStaff(
        of unitCode: String, to staff: Result<[StaffMember], any Error>, caller: Caller
    ) async throws -> (unit: UnifiedSocialCreditCode, staff: [StaffMember]) {
        let unit = caller.unit
        let code = try RequestFields.unitCode(unitCode.isEmpty ? unit.unitCode : unitCode)
        guard unit.unitCode == code.value || unit.isTaskForce else {
            throw NoProofError(
                .forbidden,
                "only \(code) itself or the task force office (工作专班办公室) sets its staff; this connection acts for \(unit.unitName) (\(unit.unitCode))")
        }
        if case .success(let members) = staff, members.isEmpty {
            throw NoProofError.invalid("staff", "give the whole new staff set — one supervisor (督办员) and at least one agent (代办员) (Art. 10)")
        }
        // Who serves a unit is the supervisor's decision (the unit's own, or the task force office's),
        // made by the person signed in — never by a system credential naming someone.
        let actor = try await member(caller.signedInStaff(to: "set a unit's staff"), of: unit, roles: [.supervisor])
        let members = try staff.get()
        let moment = now()
        let intent = auditRecord(caller, action: .staffSet, staff: actor, subject: code.value, counterpart: code.value, at: moment)
        try await audited(
            [intent],
            { () async throws in
                try await store.replaceStaff(of: code, with: members, at: moment)
            }, outcome: { _ in [intent.with(result: .replaced)] })
        let all = try await store.staff(of: code, includeInactive: true)
        logger.info("staff replaced", metadata: ["unit": "\(code)", "by": "\(unit.unitCode)/\(actor)", "members": "\(members.count)"])
        await reloadGate()
        return (code, all)
    }
}
