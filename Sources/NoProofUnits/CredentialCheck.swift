package import Foundation

/// The outcome of presenting a credential secret.
package enum CredentialCheck: Hashable, Sendable {
    /// The secret matches and the credential is neither revoked nor expired.
    case valid
    /// No credential has the presented identifier.
    case unknown
    /// The secret does not match.
    case wrongSecret
    /// The credential expired at the given time.
    case expired(Date)
    /// The credential was revoked at the given time.
    case revoked(Date)

    /// Whether the credential may be used.
    package var isValid: Bool { self == .valid }

    /// A message for the refused connection (never echoes the secret).
    package var message: String {
        switch self {
        case .valid: "credential accepted"
        case .unknown: "unknown credential id; ask the task force office (工作专班办公室) to issue a credential"
        case .wrongSecret: "credential secret does not match; use the secret shown when the credential was issued"
        case .expired(let at): "credential expired at \(at); ask the task force office for a new one"
        case .revoked(let at): "credential was revoked at \(at); ask the task force office for a new one"
        }
    }
}
