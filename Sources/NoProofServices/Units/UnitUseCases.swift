package import Foundation
package import Logging
package import NoProofAuditChain
import NoProofDomain
import NoProofProtocol
package import NoProofServer
package import NoProofUnitStore
import NoProofUnits

/// The policy of units, staff, credentials, the item lists and the working-day calendar, apart
/// from the RPC adapter `UnitService`: who may read and change what (docs/SECURITY.md), the store
/// calls, the fail-closed audit of every change (`AuditedChange`), reloading the access gate after
/// a change to the lists, and closing the sessions of a revoked credential. Takes domain values
/// (a request's values, and what its messages convert to) and a `Caller`; returns domain values;
/// throws `NoProofError`.
///
/// A value the adapter converts from a request message arrives as a `Result`, unwrapped after the
/// caller's authority is checked, so a caller who may not act is refused before its fields are
/// read (as the service always answered).
package struct UnitUseCases: Sendable {
    let store: any UnitStore
    let gate: AccessGate
    let audit: any AuditTrail
    let now: @Sendable () -> Date
    let credentialRounds: Int
    let logger: Logger
    /// Open sessions by credential: a revocation closes them (nil when not wired, e.g. some tests).
    let sessions: LiveSessions?

    /// Longest credential validity accepted, in days.
    static let maxCredentialDays: UInt32 = 3650
    /// Validity of a credential when the request gives none, in days.
    static let defaultCredentialDays: UInt32 = 365

    /// - Parameters:
    ///   - gate: reloaded after list changes so lookups see new published lists.
    ///   - credentialRounds: PBKDF2 rounds of issued credentials (lower only in tests).
    package init(
        store: any UnitStore, gate: AccessGate, audit: any AuditTrail, credentialRounds: Int = CredentialHash.defaultRounds,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "noproof.units"),
        sessions: LiveSessions? = nil
    ) {
        self.store = store
        self.gate = gate
        self.audit = audit
        self.now = now
        self.credentialRounds = credentialRounds
        self.logger = logger
        self.sessions = sessions
    }

    // MARK: Checks

    /// The registered unit with `code`, or `notFound`.
    func existingUnit(_ code: UnifiedSocialCreditCode) async throws -> ServiceUnit {
        guard let unit = try await store.unit(code: code) else {
            throw NoProofError(.notFound, "unit \(code) is not registered; 'noproof units' lists the registered units")
        }
        return unit
    }

    /// `staffID` if it is an active member of `unit` with one of `roles` (any role when nil);
    /// `forbidden` otherwise.
    func member(_ staffID: String, of unit: AuthenticatedUnit, roles: Set<StaffRole>?) async throws -> String {
        let code = try RequestFields.unitCode(unit.unitCode)
        let found = try await store.staffMember(staffID, of: code)
        guard let found, found.active else {
            throw NoProofError(
                .forbidden,
                "\(staffID) is not an active staff member of \(unit.unitName) (\(unit.unitCode)); name one in the staff metadata ('noproof staff list')")
        }
        if let roles, !roles.contains(found.role) {
            let wanted = roles.sorted { $0.rawValue < $1.rawValue }.map { "\($0.rawValue) (\($0.nameZh))" }.joined(separator: " or ")
            throw NoProofError(
                .forbidden,
                "this needs the \(wanted) of \(unit.unitName); \(staffID) is \(found.role == .agent ? "an" : "a") \(found.role.rawValue) (\(found.role.nameZh))"
            )
        }
        return staffID
    }

    /// The task force office's staff member signed in, active in the office, for `action`.
    func taskForceStaff(_ caller: Caller, to action: String) async throws -> String {
        try caller.requireTaskForce(to: action)
        return try await member(caller.signedInStaff(to: action), of: caller.unit, roles: nil)
    }

    // MARK: Audit

    /// The audit record of an administrative change by the caller's unit (its result is set by
    /// `audited`: `intended`, then the outcome).
    func auditRecord(_ caller: Caller, action: AuditAction, staff: String, subject: String, counterpart: String, at moment: Date) -> AuditRecord {
        let unit = caller.unit
        return AuditRecord(
            atMillis: Self.millis(moment), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff,
            action: action, itemCode: "", caseReference: subject, holderID: "", typeCode: "", licenceID: "",
            result: .unset, counterpartUnit: counterpart == unit.unitCode ? "" : counterpart)
    }

    /// Makes a privileged change fail closed (`AuditedChange`): `intent` is durable before `change`
    /// runs, else UNAVAILABLE and nothing is changed; then the records `outcome` builds are written.
    func audited<T>(_ intent: [AuditRecord], _ change: () async throws -> T, outcome: (T) -> [AuditRecord]) async throws -> T {
        try await AuditedChange.run(audit: audit, logger: logger, intent: intent, change: change, outcome: outcome)
    }

    /// Reloads the access gate's lists after a change, so lookups follow at once (a failure is logged).
    func reloadGate() async {
        do {
            try await gate.refresh(publishingDue: false)
        } catch {
            logger.warning("item lists not reloaded after a change", metadata: ["error": "\(error)"])
        }
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
