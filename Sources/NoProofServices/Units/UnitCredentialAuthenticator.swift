import Crypto
package import Foundation
import NoProofDomain
package import NoProofProtocol
package import NoProofServer
package import NoProofUnitStore
import NoProofUnits
import Synchronization

/// Authenticates connections with the credentials the task force office issued (unit store:
/// salted PBKDF2 hashes). A secret verified once is remembered as its SHA-256 for the process's
/// life, so reconnecting does not pay the slow hash again; revocation and expiry are checked on
/// every authentication. Credentials of `fixed` (the demo's published ones) are tried first.
///
/// The slow hash runs on `verifications` (a few dedicated threads with a bounded queue), never
/// on the event loops or the cooperative pool, and an unknown id is checked against a dummy
/// hash of the same rounds, so that it costs (and takes) what a wrong secret does.
package final class UnitCredentialAuthenticator: Authenticator {
    private let store: any UnitStore
    private let fixed: StaticCredentialAuthenticator?
    private let fixedIDs: Set<String>
    private let verified = Mutex<[String: [UInt8]]>([:])
    private let now: @Sendable () -> Date
    /// Whether stored credentials of source "demo" (published secrets) authenticate: only when
    /// noproofd runs with --demo, so a demo folder reused for real work does not keep them open.
    private let acceptsDemoCredentials: Bool
    private let verifications: CredentialVerificationPool
    /// Checked for an unknown id, so that it takes as long as a wrong secret.
    private let dummy: CredentialHash

    /// - Parameters:
    ///   - acceptsDemoCredentials: whether the demo's stored credentials (source "demo") authenticate.
    ///   - verifications: where PBKDF2 runs (default: 2 threads, 32 waiting).
    ///   - unknownIDRounds: PBKDF2 rounds of the dummy hash for unknown ids: those of the stored credentials.
    package init(
        store: any UnitStore, fixed: [StaticCredentialAuthenticator.Credential] = [], acceptsDemoCredentials: Bool = true,
        now: @escaping @Sendable () -> Date = { Date() },
        verifications: CredentialVerificationPool = CredentialVerificationPool(),
        unknownIDRounds: Int = CredentialHash.defaultRounds
    ) {
        self.acceptsDemoCredentials = acceptsDemoCredentials
        self.store = store
        self.verifications = verifications
        self.dummy = CredentialHash(
            rounds: unknownIDRounds, salt: Base64URL.randomBytes(CredentialHash.saltByteCount),
            digest: Base64URL.randomBytes(CredentialHash.digestByteCount))
        self.fixed = fixed.isEmpty ? nil : StaticCredentialAuthenticator(fixed)
        self.fixedIDs = Set(fixed.map(\.id))
        self.now = now
    }

    package func authenticate(credentialID: String, secret: String) async throws(RPCError) -> AuthenticatedUnit {
        if let fixed, fixedIDs.contains(credentialID) {
            return try await fixed.authenticate(credentialID: credentialID, secret: secret)
        }
        let credential: Credential?
        do {
            credential = try await store.credential(id: credentialID)
        } catch {
            throw RPCError(.unavailable, "cannot read credentials: \(error); retry")
        }
        guard let credential, acceptsDemoCredentials || credential.source != "demo" else {
            // Same work, same wait and same answer as a wrong secret: timing tells no ids.
            let dummy = self.dummy
            _ = try await verifications.run { dummy.matches(secret: secret) }
            throw RPCError(.unauthenticated, "unknown credential or wrong secret")
        }
        let moment = now()
        let digest = Array(SHA256.hash(data: Array(secret.utf8)))
        let known = verified.withLock { $0[credentialID] }
        if let known, StaticCredentialAuthenticator.constantTimeEqual(known, digest) {
            // The secret was verified before: only revocation and expiry can have changed.
            if let revokedAt = credential.revokedAt { throw RPCError(.unauthenticated, CredentialCheck.revoked(revokedAt).message) }
            if moment >= credential.expiresAt { throw RPCError(.unauthenticated, CredentialCheck.expired(credential.expiresAt).message) }
        } else {
            switch try await verifications.run({ credential.check(secret: secret, at: moment) }) {
            case .valid:
                verified.withLock { $0[credentialID] = digest }
            case .unknown, .wrongSecret:
                throw RPCError(.unauthenticated, "unknown credential or wrong secret")
            case .expired, .revoked:
                throw RPCError(.unauthenticated, credential.check(secret: secret, at: moment).message)
            }
        }
        return try await session(for: credential)
    }

    /// Mutual TLS: the certificate (verified by the handshake against the client CA) must be
    /// registered on a credential (`noproof credential issue UNIT --cert FILE`) that is neither
    /// revoked nor expired; its unit must be active.
    package func authenticate(clientCertificate: ClientCertificate) async throws(RPCError) -> AuthenticatedUnit {
        let fingerprint = CertificateFingerprint.sha256(der: clientCertificate.der)
        let credential: Credential?
        do {
            credential = try await store.credential(certificateSHA256: fingerprint)
        } catch {
            throw RPCError(.unavailable, "cannot read credentials: \(error); retry")
        }
        guard let credential else {
            throw RPCError(
                .unauthenticated,
                "the client certificate (SHA-256 \(fingerprint)) is not registered on any credential; "
                    + "ask the task force office (工作专班办公室) to register it: noproof credential issue UNIT --cert FILE")
        }
        let moment = now()
        if let revokedAt = credential.revokedAt, revokedAt <= moment {
            throw RPCError(
                .unauthenticated, "the client certificate's credential \(credential.id) was revoked at \(revokedAt); ask the task force office for a new one")
        }
        if moment >= credential.expiresAt {
            throw RPCError(
                .unauthenticated,
                "the client certificate's credential \(credential.id) expired at \(credential.expiresAt); ask the task force office for a new one")
        }
        return try await session(for: credential)
    }

    private func session(for credential: Credential) async throws(RPCError) -> AuthenticatedUnit {
        let unit: ServiceUnit?
        do {
            unit = try await store.unit(code: credential.unitCode)
        } catch {
            throw RPCError(.unavailable, "cannot read units: \(error); retry")
        }
        guard let unit, unit.active else {
            throw RPCError(.permissionDenied, "the unit \(credential.unitCode.value) of this credential is not active")
        }
        if let staffID = credential.staffID {
            // A staff credential is the person: it stops working when they leave the unit's staff.
            let member: StaffMember?
            do {
                member = try await store.staffMember(staffID, of: unit.code)
            } catch {
                throw RPCError(.unavailable, "cannot read staff: \(error); retry")
            }
            guard let member, member.active else {
                throw RPCError(
                    .permissionDenied,
                    "credential \(credential.id) belongs to \(staffID), who is no longer an active staff member of \(unit.name) (\(unit.code)); ask the unit's supervisor to register them ('noproof staff set') or use a current member's credential"
                )
            }
        }
        return AuthenticatedUnit(
            unitCode: unit.code.value, unitName: unit.name, credentialID: credential.id,
            expiresAt: Int64(credential.expiresAt.timeIntervalSince1970),
            // A citizen-portal credential carries only that role: it never acts as its unit.
            roles: credential.kind == .citizenPortal ? [AuthenticatedUnit.citizenPortalRole] : unit.isTaskForceOffice ? ["taskforce"] : [],
            staffID: credential.staffID
        )
    }
}
