import NoProofProtocol

/// Checks a unit's credential. Pluggable: the units issue brings a store-backed one.
package protocol Authenticator: Sendable {
    /// The unit the credential belongs to, or an RPCError (UNAUTHENTICATED for a bad credential).
    func authenticate(credentialID: String, secret: String) async throws(RPCError) -> AuthenticatedUnit
}
