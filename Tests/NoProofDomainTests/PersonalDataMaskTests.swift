import Testing
@testable import NoProofDomain

@Suite("Personal data masking")
struct PersonalDataMaskTests {
    @Test func residentIDsKeepRegionAndLastFour() {
        #expect(PersonalDataMask.residentID("370404199306107807") == "370404********7807")
        #expect(PersonalDataMask.residentID("37040419930610780X") == "370404********780X")
        #expect(PersonalDataMask.residentID("12345") == "*****")
    }

    @Test func namesKeepTheirFirstCharacter() {
        #expect(PersonalDataMask.name("张三") == "张*")
        #expect(PersonalDataMask.name("欧阳娜娜") == "欧***")
        #expect(PersonalDataMask.name("李") == "李*")
        #expect(PersonalDataMask.name("") == "")
    }

    @Test func freeTextHasEveryResidentIDMaskedAndNothingElseTouched() {
        let text = "lookup of 370404199306107807 and 11010519491231002X by unit 91370400MA3C7WX81E failed"
        let redacted = PersonalDataMask.redact(text)
        #expect(redacted == "lookup of 370404********7807 and 110105********002X by unit 91370400MA3C7WX81E failed")
        // Longer digit runs (serials, timestamps) are not IDs.
        #expect(PersonalDataMask.redact("serial 1370404199306107807") == "serial 1370404199306107807")
        #expect(PersonalDataMask.redact("short") == "short")
    }
}
