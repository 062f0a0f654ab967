import Foundation
import Logging
import NoProofDomain
import NoProofProtocol
import NoProofServer
import NoProofUnitStore
import NoProofUnits

/// Puts the credentials noproofd is told about at start — the config file's and the demo's
/// published ones — into the unit store, where they are like any other credential: kept as
/// salted PBKDF2 hashes, bound to a registered unit and its real role (the task force role comes
/// from the unit being the task force office, never from the file), listed by
/// `ListCredentials`, expiring, and revocable (a revoked one stays revoked across restarts: an
/// existing credential is never re-activated from the file).
enum CredentialProvisioning {
    /// What provisioning did, for the start-up log.
    struct Outcome {
        var added: [String] = []
        var kept: [String] = []
    }

    /// Stores the config file's credentials that are not stored yet.
    /// - Throws: `ConfigurationError` naming the credential and what to change.
    static func provision(
        _ entries: [DaemonConfiguration.Credential], configPath: String?, into store: any UnitStore,
        now: Date, logger: Logger
    ) async throws -> Outcome {
        guard !entries.isEmpty else { return Outcome() }
        if let configPath {
            // The file holds secrets (or their hashes): owner-only, like the seal keys.
            do {
                try OwnerOnlyFile.check(configPath, what: "config file with credentials")
            } catch {
                throw ConfigurationError("\(error)")
            }
        }
        var outcome = Outcome()
        for (index, entry) in entries.enumerated() {
            let label = "config file credentials[\(index)] (\(entry.id))"
            guard !entry.id.isEmpty, entry.id.count <= 64, !entry.id.contains(":"), !entry.id.contains(".") else {
                throw ConfigurationError("\(label): id must be 1-64 characters without ':' or '.'")
            }
            let unitCode: UnifiedSocialCreditCode
            do {
                unitCode = try UnifiedSocialCreditCode.parse(entry.unitCode, field: "unitCode")
            } catch {
                throw ConfigurationError("\(label): \(error)")
            }
            guard let unit = try await store.unit(code: unitCode) else {
                throw ConfigurationError("\(label): unit \(unitCode) is not registered; register it first (noproof unit create) or fix unitCode")
            }
            let roles = Set(entry.roles ?? [])
            let unknownRoles = roles.subtracting([AuthenticatedUnit.citizenPortalRole])
            guard unknownRoles.isEmpty else {
                throw ConfigurationError(
                    "\(label): roles \(unknownRoles.sorted()) cannot be given in the config file — a credential has its unit's role (the task force role belongs to the task force office's credentials); only \"citizen-portal\" may be set"
                )
            }
            let kind: CredentialKind = roles.contains(AuthenticatedUnit.citizenPortalRole) ? .citizenPortal : (entry.staffId != nil ? .staff : .unit)
            let hash: CredentialHash
            switch (entry.secret, entry.secretHash) {
            case (let secret?, nil):
                guard secret.count >= 12 else { throw ConfigurationError("\(label): the secret must be at least 12 characters") }
                hash = CredentialHash.make(secret: secret)
            case (nil, let text?):
                do { hash = try CredentialHash.parse(text, field: "secretHash") } catch {
                    throw ConfigurationError("\(label): secretHash: \(error) (the form is pbkdf2-sha256$ROUNDS$SALT$DIGEST)")
                }
            default:
                throw ConfigurationError("\(label): give exactly one of secret and secretHash")
            }
            if let existing = try await store.credential(id: entry.id) {
                guard existing.source == "config", existing.unitCode == unitCode, existing.kind == kind, existing.staffID == entry.staffId else {
                    throw ConfigurationError(
                        "\(label): a different credential \(entry.id) is already stored (unit \(existing.unitCode), kind \(existing.kind.rawValue)); give this one another id"
                    )
                }
                if let secret = entry.secret, !existing.secretHash.matches(secret: secret) {
                    logger.warning(
                        "the config file's secret differs from the stored credential's; the stored one stays in force (revoke it and use a new id to rotate)",
                        metadata: ["credential": "\(entry.id)"])
                }
                outcome.kept.append(entry.id)
                continue
            }
            let expiresAt: Date
            if let text = entry.expiresAt {
                expiresAt = try date(text, label: label)
            } else {
                expiresAt = now.addingTimeInterval(365 * 86_400)
            }
            guard expiresAt > now else { throw ConfigurationError("\(label): expiresAt \(text(expiresAt)) is already past") }
            do {
                try Credential.checkStaffBinding(kind: kind, staffID: entry.staffId)
            } catch {
                throw ConfigurationError("\(label): \(error)")
            }
            let credential = Credential(
                id: entry.id, unitCode: unit.code, secretHash: hash, label: entry.label ?? "from the config file",
                issuedAt: now, issuedBy: "config", expiresAt: expiresAt, kind: kind, staffID: entry.staffId,
                source: "config")
            do {
                try await store.insertCredential(credential)
            } catch {
                throw ConfigurationError("\(label): \(error)")
            }
            outcome.added.append(entry.id)
        }
        return outcome
    }

    static func text(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// A civil date (midnight China Standard Time) or an ISO 8601 time.
    static func date(_ text: String, label: String) throws -> Date {
        if let instant = ISO8601DateFormatter().date(from: text) { return instant }
        if let day = try? CivilDate.parse(text, field: "expiresAt") {
            return Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400 - 8 * 3600)
        }
        throw ConfigurationError("\(label): expiresAt must be a date (2027-06-30) or an ISO 8601 time, got \(text)")
    }
}
