import Foundation
package import NoProofDomain

/// A holder produced by `DemoDataGenerator`, with its popularity rank and how many licences the
/// generator gives it.
package struct DemoHolder: Hashable, Sendable {
    /// 0-based rank; lower ranks hold more licences and should be looked up more often.
    package let rank: Int
    /// The holder's resident ID or credit code.
    package let holder: Holder
    /// Person's name or organisation's registered name.
    package let name: String
    /// Number of licences generated for this holder (≥ 1).
    package let licenceCount: Int

    /// A licence type every holder of this kind is guaranteed to hold: the resident ID card
    /// (`JMSFZ`) for persons, the business licence (`YYZZ`) for organisations. Its status may
    /// still be suspended or revoked.
    package var guaranteedTypeCode: String {
        switch holder {
        case .person: LicenceTypeCatalogue.Code.residentIDCard
        case .organization: LicenceTypeCatalogue.Code.businessLicence
        }
    }
}
