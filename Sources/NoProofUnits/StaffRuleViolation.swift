package import NoProofDomain
/// Why a unit's staff set breaks the Art. 10 rule (one supervisor, at least one agent) or is
/// otherwise inconsistent. `message` says it in words, including what to do.
package enum StaffRuleViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// No active supervisor (督办员).
    case noSupervisor
    /// More than one active supervisor; the identifiers of all of them.
    case multipleSupervisors([String])
    /// No active agent (代办员).
    case noAgent
    /// Two members share an identifier.
    case duplicateID(String)
    /// A member's own data is invalid.
    case invalidMember(ValidationError)

    /// A sentence naming the broken rule and the way out.
    package var message: String {
        switch self {
        case .noSupervisor:
            "Art. 10: an active unit must have exactly one supervisor (督办员); this change leaves none — name a new supervisor in the same change"
        case .multipleSupervisors(let ids):
            "Art. 10: a unit names exactly one supervisor (督办员); this change leaves \(ids.count) (\(ids.joined(separator: ", "))) — to hand over, replace the staff set so the old supervisor is deactivated in the same change"
        case .noAgent:
            "Art. 10: an active unit must have at least one agent (代办员); this change leaves none — add another agent first"
        case .duplicateID(let id):
            "staff id \(id) appears more than once; each member of a unit needs its own id"
        case .invalidMember(let error):
            error.description
        }
    }

    /// The input field the violation concerns (for `INVALID_ARGUMENT` / `FAILED_PRECONDITION` details).
    package var field: String {
        switch self {
        case .invalidMember(let error): error.field
        default: "staff"
        }
    }

    package var description: String { message }
}
