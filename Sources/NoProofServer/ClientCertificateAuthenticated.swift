import NoProofProtocol

/// Sent down the pipeline by `TLSSessionHandler` when the client's certificate identified a
/// unit: the connection handler marks the connection authenticated before it reads a byte.
struct ClientCertificateAuthenticated: Sendable {
    var unit: AuthenticatedUnit
}
