import NoProofDomain

/// A licence of the starter catalogue for the PostgreSQL-only tests.
enum LicenceStoreFixtures {
    static func marriage() throws -> Licence {
        let jhz = LicenceTypeCatalogue.type(code: "JHZ")!
        let id = try LicenceIdentifier.make(typeCode: "JHZ", issuer: jhz.issuerCode, serial: "2020000001")
        return Licence(
            id: id, holder: try Holder.parse("37040219850312123X"), holderName: "张伟", issuerName: jhz.issuerName,
            issueDate: CivilDate(year: 2020, month: 5, day: 20)!, validFrom: CivilDate(year: 2020, month: 5, day: 20)!,
            validTo: nil, fields: ["spouse_name": "李娜"])
    }
}
