package import NoProofDomain
/// The sector of a public service unit (公共服务单位, Art. 3): the utilities and institutions that
/// handle applications alongside government service units.
package enum PublicServiceSector: String, CaseIterable, Hashable, Sendable, Codable {
    /// Water supply (供水).
    case water
    /// Electric power (供电).
    case power
    /// Gas supply (供气).
    case gas
    /// District heating (供热).
    case heating
    /// Cable television (有线电视).
    case cableTV = "cable_tv"
    /// Banks (银行).
    case bank
    /// Insurers (保险).
    case insurer
    /// Schools (学校).
    case school
    /// Hospitals (医院).
    case hospital
    /// Telecommunications (通信).
    case telecom
    /// Any other public service.
    case other

    /// Chinese name of the sector.
    package var nameZh: String {
        switch self {
        case .water: "供水"
        case .power: "供电"
        case .gas: "供气"
        case .heating: "供热"
        case .cableTV: "有线电视"
        case .bank: "银行"
        case .insurer: "保险"
        case .school: "学校"
        case .hospital: "医院"
        case .telecom: "通信"
        case .other: "其他"
        }
    }

    /// Parses a sector name as written in files and requests (`water`, `cable_tv`, ...; `cableTV`
    /// is accepted too).
    /// - Throws: `ValidationError` naming `field` and listing the accepted names.
    package static func parse(_ text: String, field: String) throws(ValidationError) -> PublicServiceSector {
        if let sector = PublicServiceSector(rawValue: text) { return sector }
        if text == "cableTV" { return .cableTV }
        throw ValidationError(
            field: field,
            reason: "unknown public service sector \"\(text)\"; use one of \(allCases.map(\.rawValue).joined(separator: ", "))")
    }
}
