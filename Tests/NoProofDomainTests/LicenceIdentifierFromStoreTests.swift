import Testing
@testable import NoProofDomain

@Suite struct LicenceIdentifierFromStoreTests {
    let issuer = try! UnifiedSocialCreditCode.parse("91350100M000100Y43", field: "issuer_code")

    @Test func rebuildsWhatParseBuilds() throws {
        for (type, serial, version) in [("HKB", "1", 1), ("JMSFZ", "20220000000000", 2), ("11100000000000000001", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", 999)] {
            let id = try LicenceIdentifier.make(typeCode: type, issuer: issuer, serial: serial, version: version)
            let stored = try LicenceIdentifier.fromStore(id.description)
            #expect(stored == id)
            #expect(stored.typeCode == type)
            #expect(stored.issuerCode == issuer)
            #expect(stored.serial == serial)
            #expect(stored.version == version)
            #expect(stored.check == id.check)
            #expect(stored.description == id.description)
        }
    }

    @Test func textWithoutTheShapeIsParsedInFullAndRejected() {
        for text in [
            "", "1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.001", "1.2.156.3005.2.HJDJ.9135.SN0001.001.2",
            "1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.01.2", "1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.000.2",
            "1.2.156.3005.2..91350100M000100Y43.SN0001.001.2", "1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.0a1.2",
        ] {
            #expect(throws: ValidationError.self) { try LicenceIdentifier.fromStore(text) }
        }
    }
}
