import Testing
@testable import NoProofDomain

@Suite struct LicenceTypeCatalogueTests {
    @Test func starterCatalogueIsValid() throws {
        let types = LicenceTypeCatalogue.starter
        #expect(types.count >= 12)
        #expect(Set(types.map(\.code)).count == types.count)
        for type in types {
            try type.validate()
            // Issuer codes carry correct check characters and are Zaozhuang (3704xx) or provincial units.
            #expect(throws: Never.self) { try UnifiedSocialCreditCode.parse(type.issuerCode.value, field: "issuer_code") }
            #expect(type.issuerCode.regionCode.hasPrefix("3704") || type.issuerCode.regionCode == "370000")
            #expect(!type.fields.isEmpty)
            #expect(LicenceTypeCatalogue.type(code: type.code) == type)
        }
    }

    @Test func containsTheRequiredKinds() {
        let names = Set(LicenceTypeCatalogue.starter.map(\.nameZh))
        for name in [
            "户口簿", "居民身份证", "结婚证", "离婚证", "出生医学证明", "不动产权证书", "营业执照",
            "社会保险缴费记录", "学位证书", "残疾人证", "最低生活保障证",
        ] {
            #expect(names.contains(name), "\(name)")
        }
    }

    @Test func someTypesAreNotConnected() {
        #expect(LicenceTypeCatalogue.starter.contains { !$0.connected })
        #expect(LicenceTypeCatalogue.type(code: "XWZS")?.connected == false)
        #expect(LicenceTypeCatalogue.type(code: "HKB")?.connected == true)
    }

    @Test func businessLicenceIsForOrganisations() throws {
        let yyzz = try #require(LicenceTypeCatalogue.type(code: "YYZZ"))
        #expect(yyzz.holderKinds == [.organization])
        #expect(yyzz.accepts(try Holder.parse("91350100M000100Y43")))
        #expect(!yyzz.accepts(try Holder.parse("11010519491231002X")))
    }

    @Test func validateRejectsBadTypes() {
        var type = LicenceTypeCatalogue.starter[0]
        type.code = "hkb"
        #expect(throws: ValidationError.self) { try type.validate() }
        type = LicenceTypeCatalogue.starter[0]
        type.fields.append(type.fields[0])
        #expect(throws: ValidationError(field: "fields", reason: "field key \"household_number\" appears twice")) { try type.validate() }
    }
}
