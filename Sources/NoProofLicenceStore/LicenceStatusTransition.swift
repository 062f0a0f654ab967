package import NoProofDomain

/// The status changes a licence store makes (`LicenceStore.suspend`, `reinstate`, `revoke`): the
/// status each leads to and the statuses it may start from — one rule for every backend.
package enum LicenceStatusTransition: Sendable, CaseIterable {
    case suspend
    case reinstate
    case revoke

    /// The status the licence has afterwards.
    package var target: LicenceStatus {
        switch self {
        case .suspend: .suspended
        case .reinstate: .valid
        case .revoke: .revoked
        }
    }

    /// Whether a licence in `status` may make this change: a valid or expired licence may be
    /// suspended, only a suspended one reinstated, anything but a revoked one revoked (revocation
    /// is final).
    package func isAllowed(from status: LicenceStatus) -> Bool {
        switch self {
        case .suspend: status == .valid || status == .expired
        case .reinstate: status == .suspended
        case .revoke: status != .revoked
        }
    }

    /// The refusal when `isAllowed(from:)` is false (FAILED_PRECONDITION).
    package func refusal(_ id: LicenceIdentifier, from status: LicenceStatus) -> NoProofError {
        NoProofError(.conflict, "licence \(id) is \(status) and cannot be \(pastParticiple)")
    }

    private var pastParticiple: String {
        switch self {
        case .suspend: "suspended"
        case .reinstate: "reinstated"
        case .revoke: "revoked"
        }
    }
}
