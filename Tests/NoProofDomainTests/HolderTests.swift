import Testing
@testable import NoProofDomain

@Suite struct HolderTests {
    @Test func parsesPersonsAndOrganisations() throws {
        #expect(try Holder.parse("11010519491231002x") == .person(try ResidentID.parse("11010519491231002X", field: "f")))
        #expect(try Holder.parse("91350100M000100Y43") == .organization(try UnifiedSocialCreditCode.parse("91350100M000100Y43", field: "f")))
        #expect(try Holder.parse("91350100M000100Y43").kind == .organization)
        #expect(try Holder.parse("11010519491231002X").kind == .person)
    }

    @Test func allDigitCreditCodeIsAnOrganisation() throws {
        // Digits only, but not a valid resident ID (its "birth year" would be 0200): a credit code.
        let holder = try Holder.parse("113704020043171504")
        #expect(holder.kind == .organization)
    }

    @Test func keyAndMasking() throws {
        let person = try Holder.parse("37040219850312123X")
        #expect(person.key == "37040219850312123X")
        #expect(person.masked == "370402********123X")
        let org = try Holder.parse("91350100M000100Y43")
        #expect(org.key == "91350100M000100Y43")
        #expect(org.masked == "91350100M000100Y43")
    }

    @Test func errorsNameTheField() {
        #expect(throws: ValidationError(field: "holder_id", reason: "check digit is 1, expected X")) {
            try Holder.parse("110105194912310021")
        }
        #expect(
            throws: ValidationError(
                field: "applicant_id",
                reason: "holder must be an 18-character resident ID or unified social credit code, got 5 characters")
        ) {
            try Holder.parse("12345", field: "applicant_id")
        }
        #expect(throws: ValidationError(field: "holder_id", reason: "check character is 4, expected 3")) {
            try Holder.parse("91350100M000100Y44")
        }
    }
}
