package import Foundation
package import NoProofDomain

/// A credential with which a unit's departmental system connects (Art. 8). Issued by the task
/// force office; the secret is shown once at issue and only its salted slow hash is kept.
package struct Credential: Hashable, Sendable, Identifiable {
    /// Prefix of credential identifiers.
    package static let idPrefix = "cred_"
    /// Random bytes in an identifier (after the prefix).
    package static let idByteCount = 12
    /// Random bytes in a secret.
    package static let secretByteCount = 32

    /// Random URL-safe identifier (`cred_` + 16 base64url characters); not secret.
    package var id: String
    /// The unit the credential authenticates as.
    package var unitCode: UnifiedSocialCreditCode
    /// Salted slow hash of the secret.
    package var secretHash: CredentialHash
    /// Free label (for example the name of the departmental system).
    package var label: String
    /// When it was issued.
    package var issuedAt: Date
    /// Identifier of the task force staff member who issued it.
    package var issuedBy: String
    /// When it stops being accepted.
    package var expiresAt: Date
    /// When it was revoked, if it was.
    package var revokedAt: Date?
    /// Who revoked it, if it was.
    package var revokedBy: String?
    /// Why it was revoked, if it was.
    package var revocationReason: String?
    /// A unit's system (default) or the citizen portal.
    package var kind: CredentialKind
    /// SHA-256 fingerprint (64 lowercase hex digits) of the client certificate registered on
    /// this credential for mutual TLS; such a credential authenticates by its certificate only
    /// (its secret is never shown).
    package var certificateSHA256: String?
    /// The staff member of `unitCode` a `staff` credential belongs to (nil for other kinds): a
    /// connection authenticated with it acts as that person and no other.
    package var staffID: String?
    /// Where it came from: "" when issued over RPC, "config" for one declared in noproofd's config
    /// file, "demo" for the demo's published ones.
    package var source: String

    /// Creates a credential from stored parts.
    package init(
        id: String, unitCode: UnifiedSocialCreditCode, secretHash: CredentialHash, label: String,
        issuedAt: Date, issuedBy: String, expiresAt: Date, revokedAt: Date? = nil,
        revokedBy: String? = nil, revocationReason: String? = nil, kind: CredentialKind = .unit,
        certificateSHA256: String? = nil, staffID: String? = nil, source: String = ""
    ) {
        self.id = id
        self.unitCode = unitCode
        self.secretHash = secretHash
        self.label = label
        self.issuedAt = issuedAt
        self.issuedBy = issuedBy
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
        self.revocationReason = revocationReason
        self.kind = kind
        self.certificateSHA256 = certificateSHA256
        self.staffID = staffID
        self.source = source
    }

    /// Issues a credential for `unitCode` with a fresh random identifier and secret.
    /// - Parameters:
    ///   - issuedBy: the task force staff member issuing it.
    ///   - expiresAt: must be after `issuedAt`.
    ///   - rounds: PBKDF2 rounds for the stored hash (lower only in tests).
    ///   - certificateSHA256: a client certificate's fingerprint for mutual TLS (any case, ':' allowed).
    /// - Returns: the credential to store and the secret to show once; the secret is not kept.
    /// - Throws: `ValidationError` when the expiry is not after the issue time or a text is invalid.
    package static func issue(
        unitCode: UnifiedSocialCreditCode, label: String = "", issuedBy: String,
        issuedAt: Date, expiresAt: Date, kind: CredentialKind = .unit,
        rounds: Int = CredentialHash.defaultRounds,
        certificateSHA256: String? = nil, staffID: String? = nil
    ) throws(ValidationError) -> (credential: Credential, secret: String) {
        guard expiresAt > issuedAt else {
            throw ValidationError(field: "expires_at", reason: "expiry must be after the issue time \(issuedAt)")
        }
        try StaffMember.validateID(issuedBy, field: "issued_by")
        if label.count > 100 { throw ValidationError(field: "label", reason: "label must be at most 100 characters") }
        try checkStaffBinding(kind: kind, staffID: staffID)
        let id = idPrefix + Base64URL.encode(Base64URL.randomBytes(idByteCount))
        let secret = Base64URL.encode(Base64URL.randomBytes(secretByteCount))
        let fingerprint = try certificateSHA256.map { (text: String) throws(ValidationError) in try CertificateFingerprint.normalised(text) }
        let credential = Credential(
            id: id, unitCode: unitCode, secretHash: CredentialHash.make(secret: secret, rounds: rounds),
            label: label, issuedAt: issuedAt, issuedBy: issuedBy, expiresAt: expiresAt, kind: kind,
            certificateSHA256: fingerprint, staffID: staffID)
        return (credential, secret)
    }

    /// A `staff` credential names its staff member (a valid staff id); no other kind names one.
    /// - Throws: `ValidationError` on `staff_id`.
    package static func checkStaffBinding(kind: CredentialKind, staffID: String?) throws(ValidationError) {
        switch (kind, staffID) {
        case (.staff, nil):
            throw ValidationError(
                field: "staff_id", reason: "a staff credential belongs to one staff member: name them (noproof credential issue UNIT --staff-member ID)")
        case (.staff, let id?):
            try StaffMember.validateID(id, field: "staff_id")
        case (_, nil):
            break
        case (_, .some):
            throw ValidationError(field: "staff_id", reason: "only a staff credential (kind staff) names a staff member")
        }
    }

    /// Checks a presented `secret` at time `now`. The secret is compared first (in constant
    /// time); a matching secret of a revoked or expired credential is reported as such.
    package func check(secret: String, at now: Date) -> CredentialCheck {
        guard secretHash.matches(secret: secret) else { return .wrongSecret }
        if let revokedAt, revokedAt <= now { return .revoked(revokedAt) }
        if now >= expiresAt { return .expired(expiresAt) }
        return .valid
    }

    /// Whether the credential is neither revoked nor expired at `now` (the secret is not checked).
    package func isUsable(at now: Date) -> Bool {
        (revokedAt.map { $0 > now } ?? true) && now < expiresAt
    }

    /// The credential revoked at `at` by `by` for `reason`.
    /// - Throws: `ValidationError` on `credential_id` when it is already revoked, on `reason`
    ///   when the reason is empty.
    package func revoked(at: Date, by: String, reason: String) throws(ValidationError) -> Credential {
        if let revokedAt { throw ValidationError(field: "credential_id", reason: "credential \(id) was already revoked at \(revokedAt)") }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(field: "reason", reason: "say why the credential is revoked")
        }
        var copy = self
        copy.revokedAt = at
        copy.revokedBy = by
        copy.revocationReason = reason
        return copy
    }

    /// The `id.secret` token a client presents, joining the two with a dot (neither contains one).
    package static func token(id: String, secret: String) -> String { "\(id).\(secret)" }

    /// Splits a presented `id.secret` token.
    /// - Throws: `ValidationError` on `credential` when the token is malformed.
    package static func parseToken(_ token: String) throws(ValidationError) -> (id: String, secret: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].hasPrefix(idPrefix), !parts[1].isEmpty,
            parts[0].utf8.allSatisfy(Base64URL.isAlphabet), parts[1].utf8.allSatisfy(Base64URL.isAlphabet)
        else {
            throw ValidationError(field: "credential", reason: "expected <credential id>.<secret> as printed when the credential was issued")
        }
        return (String(parts[0]), String(parts[1]))
    }
}
