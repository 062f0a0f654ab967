import Foundation
import NoProofAuditChain
import NoProofDomain
package import NoProofUnitStore
package import NoProofUnits
import Logging
import NoProofServer

extension UnitUseCases {
    /// A credential to issue, as the request gives it.
    package struct CredentialInput: Hashable, Sendable {
        package var unitCode: String
        package var label: String
        /// 0: `defaultCredentialDays`.
        package var expiresInDays: UInt32
        /// "": a secret credential.
        package var certificateSHA256: String
        /// "": a departmental system's credential (unless `kind` says otherwise).
        package var staffID: String
        /// A `CredentialKind` name; "": `staff` with a staff id, else the unit's.
        package var kind: String

        package init(unitCode: String, label: String = "", expiresInDays: UInt32 = 0, certificateSHA256: String = "", staffID: String = "", kind: String = "") {
            self.unitCode = unitCode
            self.label = label
            self.expiresInDays = expiresInDays
            self.certificateSHA256 = certificateSHA256
            self.staffID = staffID
            self.kind = kind
        }
    }

    /// Issues a credential to a registered unit: the task force office's staff signed in; fail
    /// closed (`Credential.Issue`: `intended`, then `issued`). Returns it with its secret, shown
    /// once ("" for a certificate credential, which authenticates by its certificate only).
    package func issueCredential(_ input: CredentialInput, caller: Caller) async throws -> (credential: Credential, secret: String) {
        let staff = try await taskForceStaff(caller, to: "issue credentials")
        let target = try await existingUnit(RequestFields.unitCode(input.unitCode))
        let days = input.expiresInDays == 0 ? Self.defaultCredentialDays : input.expiresInDays
        guard days <= Self.maxCredentialDays else {
            throw NoProofError.invalid("expires_in_days", "at most \(Self.maxCredentialDays) days, got \(days)")
        }
        let moment = now()
        let certificate = input.certificateSHA256.isEmpty ? nil : input.certificateSHA256
        let staffID = input.staffID.isEmpty ? nil : input.staffID
        let kind = try input.kind.isEmpty && staffID != nil ? CredentialKind.staff : CredentialKind.parse(input.kind)
        let (credential, secret) = try Credential.issue(
            unitCode: target.code, label: input.label, issuedBy: staff, issuedAt: moment,
            expiresAt: moment.addingTimeInterval(Double(days) * 86_400), kind: kind,
            rounds: credentialRounds, certificateSHA256: certificate, staffID: staffID)
        let intent = auditRecord(caller, action: .credentialIssue, staff: staff, subject: credential.id, counterpart: target.code.value, at: moment)
        try await audited(
            [intent],
            { () async throws in
                try await store.insertCredential(credential)
            }, outcome: { _ in [intent.with(result: credential.kind == .unit ? .issued : .issued(kind: credential.kind.rawValue))] })
        logger.info(
            "credential issued",
            metadata: [
                "credential": "\(credential.id)", "unit": "\(target.code)", "by": "\(staff)",
                "kind": "\(credential.certificateSHA256 == nil ? "secret" : "client certificate")",
            ])
        return (credential, credential.certificateSHA256 == nil ? secret : "")
    }

    /// Revokes credential `id`: the task force office's staff signed in; fail closed
    /// (`Credential.Revoke`: `intended`, then `revoked`); the sessions already open with it end now.
    package func revokeCredential(_ id: String, reason: String, caller: Caller) async throws -> Credential {
        let staff = try await taskForceStaff(caller, to: "revoke credentials")
        guard !id.isEmpty else { throw NoProofError.invalid("credential_id", "required") }
        let moment = now()
        let target = try await store.credential(id: id)
        let intent = auditRecord(
            caller, action: .credentialRevoke, staff: staff, subject: String(id.prefix(128)), counterpart: target?.unitCode.value ?? "", at: moment)
        let revoked = try await audited(
            [intent],
            { () async throws in
                try await store.revokeCredential(id: id, by: staff, reason: reason, at: moment)
            }, outcome: { _ in [intent.with(result: .revoked)] })
        // Sessions already open with it end now, not just new authentications.
        let closed =
            sessions?.revoke(credentialID: revoked.id, message: revoked.sessionEndMessage) ?? 0
        logger.info(
            "credential revoked",
            metadata: [
                "credential": "\(revoked.id)", "unit": "\(revoked.unitCode)", "by": "\(staff)", "sessions_closed": "\(closed)",
            ])
        return revoked
    }

    /// The credentials of `unitCode` (empty: every unit's), for the task force office only.
    package func credentials(of unitCode: String, caller: Caller) async throws -> [Credential] {
        try caller.requireTaskForce(to: "list credentials")
        let codes = try await unitCode.isEmpty ? store.units().map(\.code) : [existingUnit(RequestFields.unitCode(unitCode)).code]
        var credentials: [Credential] = []
        for code in codes {
            credentials += try await store.credentials(of: code)
        }
        return credentials
    }

    /// The access gate's denial log of `unitCode` (empty: every unit), newest first, at most
    /// `limit`, for the task force office only.
    package func denials(of unitCode: String, limit: Int, caller: Caller) async throws -> [DenialRecord] {
        try caller.requireTaskForce(to: "read the denial log")
        let code = try unitCode.isEmpty ? nil : RequestFields.unitCode(unitCode)
        return try await store.denials(unit: code, limit: limit)
    }
}
