package import NoProofProtocol

/// Checks a unit's credential. Pluggable: the units issue brings a store-backed one.
package protocol Authenticator: Sendable {
    /// The unit the credential belongs to, or an RPCError (UNAUTHENTICATED for a bad credential).
    func authenticate(credentialID: String, secret: String) async throws(RPCError) -> AuthenticatedUnit

    /// The unit a client certificate (already verified against the client CA by the TLS
    /// handshake) is registered for, or an RPCError: UNAUTHENTICATED when no usable credential
    /// carries it (unknown, revoked, expired), PERMISSION_DENIED when its unit is not active.
    func authenticate(clientCertificate: ClientCertificate) async throws(RPCError) -> AuthenticatedUnit
}

extension Authenticator {
    package func authenticate(clientCertificate: ClientCertificate) async throws(RPCError) -> AuthenticatedUnit {
        throw RPCError(.unauthenticated, "this server does not accept client certificates; authenticate with a credential")
    }
}
