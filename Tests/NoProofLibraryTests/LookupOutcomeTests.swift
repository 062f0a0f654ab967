import NoProofDomain
import NoProofDemoData
import Testing
@testable import NoProofLibrary

@Suite("LookupOutcome")
struct LookupOutcomeTests {
    static let today = CivilDate(year: 2026, month: 6, day: 1)!
    static let base = DemoDataGenerator(licenceCount: 50).makeLicences()[0]

    static func licence(serial: String, issued: CivilDate, validTo: CivilDate?, status: LicenceStatus) throws -> Licence {
        var licence = base
        licence.id = try LicenceIdentifier.make(typeCode: base.typeCode, issuer: base.issuerCode, serial: serial)
        licence.issueDate = issued
        licence.validFrom = issued
        licence.validTo = validTo
        licence.status = status
        return licence
    }

    @Test func aValidLicenceWinsOverANewerRevokedOne() throws {
        let old = try Self.licence(serial: "A1", issued: CivilDate(year: 2020, month: 1, day: 1)!, validTo: nil, status: .valid)
        let revoked = try Self.licence(serial: "A2", issued: CivilDate(year: 2025, month: 1, day: 1)!, validTo: nil, status: .revoked)
        #expect(LookupOutcome.choose(from: [revoked, old], typeCode: Self.base.typeCode, today: Self.today) == .found(old))
    }

    @Test func theNewestIsReportedWithItsStatusWhenNoneIsValid() throws {
        let expired = try Self.licence(
            serial: "B1", issued: CivilDate(year: 2010, month: 1, day: 1)!,
            validTo: CivilDate(year: 2020, month: 1, day: 1)!, status: .valid)
        let suspended = try Self.licence(serial: "B2", issued: CivilDate(year: 2021, month: 1, day: 1)!, validTo: nil, status: .suspended)
        #expect(
            LookupOutcome.choose(from: [expired, suspended], typeCode: Self.base.typeCode, today: Self.today)
                == .notInForce(suspended, status: .suspended))
        #expect(
            LookupOutcome.choose(from: [expired], typeCode: Self.base.typeCode, today: Self.today)
                == .notInForce(expired, status: .expired))
    }

    @Test func otherTypesDoNotCount() throws {
        let licence = try Self.licence(serial: "C1", issued: CivilDate(year: 2020, month: 1, day: 1)!, validTo: nil, status: .valid)
        #expect(LookupOutcome.choose(from: [licence], typeCode: "ZZZ", today: Self.today) == .notFound)
    }
}
