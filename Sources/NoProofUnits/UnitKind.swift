package import NoProofDomain
/// What kind of unit handles applications (Art. 3): a government service unit, or a public
/// service unit in one sector.
package enum UnitKind: Hashable, Sendable {
    /// A government service unit (政务服务单位).
    case government
    /// A public service unit (公共服务单位) of `sector`.
    case publicService(PublicServiceSector)

    /// `government` or `public_service`, as stored and exchanged.
    package var kindName: String {
        switch self {
        case .government: "government"
        case .publicService: "public_service"
        }
    }

    /// The sector of a public service unit, `nil` for a government unit.
    package var sector: PublicServiceSector? {
        switch self {
        case .government: nil
        case .publicService(let sector): sector
        }
    }

    /// Builds a kind from its exchanged form: `kind` is `government` or `public_service`;
    /// `sector` is required for (and only for) `public_service`.
    /// - Throws: `ValidationError` on `kind` or `sector` saying what to write instead.
    package static func parse(kind: String, sector: String?) throws(ValidationError) -> UnitKind {
        switch kind {
        case "government":
            if let sector, !sector.isEmpty {
                throw ValidationError(field: "sector", reason: "a government unit has no sector; leave it empty (got \"\(sector)\")")
            }
            return .government
        case "public_service", "publicService":
            guard let sector, !sector.isEmpty else {
                throw ValidationError(
                    field: "sector",
                    reason: "a public service unit needs its sector: \(PublicServiceSector.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .publicService(try PublicServiceSector.parse(sector, field: "sector"))
        default:
            throw ValidationError(field: "kind", reason: "unit kind must be government or public_service, got \"\(kind)\"")
        }
    }
}
