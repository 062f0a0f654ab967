package import NoProofDomain

/// What the library knows about "does this holder hold a valid licence of this type".
package enum LookupOutcome: Hashable, Sendable {
    /// The valid licence (the most recently issued, if several).
    case found(Licence)
    /// The holder holds no licence of the type.
    case notFound
    /// The holder's licence of the type exists but is not in force: `status` says why.
    case notInForce(Licence, status: LicenceStatus)

    /// Chooses among a holder's current licences: a valid one wins (latest issue date first);
    /// otherwise the latest one, with its effective status (expired when past valid_to).
    package static func choose(from licences: [Licence], typeCode: String, today: CivilDate) -> LookupOutcome {
        // Indices, not copies: a Licence is a large value, and copying the best-so-far on every
        // candidate showed up as memmove in the lookup's profile.
        var best: (index: Int, status: LicenceStatus)?
        for index in licences.indices where licences[index].typeCode == typeCode {
            let status = licences[index].effectiveStatus(asOf: today)
            guard let current = best else {
                best = (index, status)
                continue
            }
            let better =
                (status == .valid && current.status != .valid)
                || ((status == .valid) == (current.status == .valid) && licences[index].issueDate > licences[current.index].issueDate)
            if better { best = (index, status) }
        }
        guard let best else { return .notFound }
        let licence = licences[best.index]
        return best.status == .valid ? .found(licence) : .notInForce(licence, status: best.status)
    }
}
