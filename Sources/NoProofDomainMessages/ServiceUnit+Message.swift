import Foundation
import NoProofCodec
package import NoProofDomain
package import NoProofMessages
package import NoProofUnits

extension APIUnitInfo {
    /// The message of a unit.
    package init(_ unit: ServiceUnit) {
        self.init(
            code: unit.code.value, name: unit.name, kind: unit.kind.kindName, sector: unit.kind.sector?.rawValue ?? "",
            district: unit.district, taskForceOffice: unit.isTaskForceOffice, active: unit.active)
    }
}

extension ServiceUnit {
    /// A unit from a request; errors name the field (`unit.code`, `unit.kind`, ...).
    package init(message: APIUnitInfo) throws(ValidationError) {
        let code = try UnifiedSocialCreditCode.parse(message.code, field: "unit.code")
        let kind: UnitKind
        do {
            kind = try UnitKind.parse(kind: message.kind, sector: message.sector.isEmpty ? nil : message.sector)
        } catch {
            throw ValidationError(field: "unit.\(error.field)", reason: error.reason)
        }
        self.init(
            code: code, name: message.name, kind: kind, district: message.district,
            isTaskForceOffice: message.taskForceOffice, active: message.active)
        do {
            try validate()
        } catch {
            throw ValidationError(field: "unit.\(error.field)", reason: error.reason)
        }
    }
}

extension APIStaffEntry {
    /// The message of a staff member.
    package init(_ member: StaffMember) {
        self.init(staffID: member.id, name: member.name, role: member.role.rawValue, active: member.active)
    }
}

extension StaffMember {
    /// A staff member from a request; `active` is taken as given by the caller.
    /// - Parameter field: prefix for error fields (for example `staff[1]`).
    /// - Throws: `ValidationError` naming the field.
    package init(message: APIStaffEntry, active: Bool, field: String) throws(ValidationError) {
        let role = try StaffRole.parse(message.role, field: "\(field).role")
        self.init(id: message.staffID, name: message.name, role: role, active: active)
        do { try validate() } catch { throw ValidationError(field: "\(field).\(error.field)", reason: error.reason) }
    }
}

extension APICredentialInfo {
    /// The message of a credential: identity, validity and revocation; never the secret or its hash.
    package init(_ credential: Credential) {
        self.init(
            credentialID: credential.id, unitCode: credential.unitCode.value, label: credential.label,
            issuedAtMillis: Self.millis(credential.issuedAt), issuedBy: credential.issuedBy,
            expiresAtMillis: Self.millis(credential.expiresAt), revokedAtMillis: credential.revokedAt.map(Self.millis) ?? 0,
            revokedBy: credential.revokedBy ?? "", revocationReason: credential.revocationReason ?? "", kind: credential.kind.rawValue,
            certificateSha256: credential.certificateSHA256 ?? "", staffID: credential.staffID ?? "", source: credential.source)
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
