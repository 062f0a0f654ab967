import NoProofDomain

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
        var best: (licence: Licence, status: LicenceStatus)?
        for licence in licences where licence.typeCode == typeCode {
            let status = licence.effectiveStatus(asOf: today)
            guard let current = best else {
                best = (licence, status)
                continue
            }
            let better = (status == .valid && current.status != .valid)
                || ((status == .valid) == (current.status == .valid) && licence.issueDate > current.licence.issueDate)
            if better { best = (licence, status) }
        }
        guard let best else { return .notFound }
        return best.status == .valid ? .found(best.licence) : .notInForce(best.licence, status: best.status)
    }
}
