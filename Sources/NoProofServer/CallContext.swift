package import Logging
package import NIOCore
package import NoProofCodec
package import NoProofProtocol

/// What a method implementation knows about the call it is serving.
package struct CallContext: Sendable {
    package var callID: UInt32
    package var method: MethodDescriptor
    package var metadata: Metadata
    /// When the caller stops waiting, if it set a deadline.
    package var deadline: NIODeadline?
    /// The unit the connection authenticated as (nil before Session/Authenticate).
    package var unit: AuthenticatedUnit?
    package var remoteAddress: String
    /// The peer's IP address alone (no port): the key of per-source limits.
    package var sourceAddress: String = "?"
    package var logger: Logger
    let session: ConnectionSession
    /// The call's hand-off times, for a method registered with `stages: true` (the per-stage
    /// latency breakdown, `StageLatencies`); nil for every other method.
    package var stamps: CallStamps? = nil

    /// The acting staff member named in the "staff" metadata entry, if any.
    package var staff: String? { metadata["staff"] }

    /// The authenticated unit, or UNAUTHENTICATED; PERMISSION_DENIED for the citizen portal's
    /// credential, which never acts as a unit (its methods use `requireCitizenPortal()`).
    package func requireUnit() throws(RPCError) -> AuthenticatedUnit {
        guard let unit else {
            throw RPCError(.unauthenticated, "authenticate the connection with /noproof.v1.Session/Authenticate first")
        }
        if unit.isCitizenPortal {
            throw RPCError(
                .permissionDenied,
                "a citizen-portal credential may only call the citizen portal's methods (/noproof.v1.Supervision/WhoLooked), not \(method.path)")
        }
        return unit
    }

    /// The citizen portal's identity, or UNAUTHENTICATED / PERMISSION_DENIED for any other.
    package func requireCitizenPortal() throws(RPCError) -> AuthenticatedUnit {
        guard let unit else {
            throw RPCError(.unauthenticated, "authenticate the connection with /noproof.v1.Session/Authenticate first")
        }
        guard unit.isCitizenPortal else {
            throw RPCError(
                .permissionDenied,
                "only the citizen portal's credential (role \(AuthenticatedUnit.citizenPortalRole)) may call \(method.path); this connection acts for \(unit.unitName) (\(unit.unitCode))"
            )
        }
        return unit
    }
}
