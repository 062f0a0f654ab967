/// What a session open with a revoked credential is told when it is closed (GOAWAY), on the
/// instance that revoked it and on every other instance of a cluster alike.
extension Credential {
    /// The closing message of the sessions of this (revoked) credential.
    package var sessionEndMessage: String {
        "credential \(id) was revoked at \(revokedAt.map { "\($0)" } ?? "now") (\(revocationReason ?? "")); "
            + "this session is closed — ask the task force office (工作专班办公室) for a new credential"
    }
}
