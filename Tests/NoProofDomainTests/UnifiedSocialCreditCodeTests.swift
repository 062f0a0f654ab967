import Testing
@testable import NoProofDomain

@Suite struct UnifiedSocialCreditCodeTests {
    /// `91350100M000100Y43` is the example used in GB 32100 explanations; the others were
    /// computed with an independent Python implementation of the check.
    static let valid = [
        "91350100M000100Y43", "11370400004315203J", "113704020043171504", "12370400MB1234567B",
        "12370000495570452X", "11370400MB0F00012L", "11370402MB0F00030D",
    ]

    @Test(arguments: valid)
    func acceptsValidCodes(_ text: String) throws {
        let code = try UnifiedSocialCreditCode.parse(text, field: "issuer_code")
        #expect(code.value == text)
        #expect(code.masked == text)
    }

    @Test func decodesParts() throws {
        let code = try UnifiedSocialCreditCode.parse("91350100M000100Y43", field: "f")
        #expect(code.registrationAuthority == "9")
        #expect(code.kind == "1")
        #expect(code.regionCode == "350100")
    }

    @Test func checkCharacterMatchesReference() {
        #expect(UnifiedSocialCreditCode.makeCheckCharacter(for: "91350100M000100Y4") == "3")
        #expect(UnifiedSocialCreditCode.makeCheckCharacter(for: "11370400004315203") == "J")
        #expect(UnifiedSocialCreditCode.makeCheckCharacter(for: "11370402004317150") == "4")
        #expect(UnifiedSocialCreditCode.makeCheckCharacter(for: "12370000495570452") == "X")
        #expect(UnifiedSocialCreditCode.makeCheckCharacter(for: "9135010OM000100Y4") == nil)
        #expect(UnifiedSocialCreditCode.makeCheckCharacter(for: "91350100M000100Y") == nil)
    }

    @Test func checkValue31IsWrittenAsZero() throws {
        // Find a body whose weighted sum is divisible by 31 and confirm the check is "0".
        var found = false
        for n in 0..<31 {
            let body = "9137040000000000" + String(UnifiedSocialCreditCode.alphabet[n])
            if UnifiedSocialCreditCode.makeCheckCharacter(for: body) == "0" {
                #expect(throws: Never.self) { try UnifiedSocialCreditCode.parse(body + "0", field: "f") }
                found = true
            }
        }
        #expect(found)
    }

    @Test func wrongCheckCharacterNamesExpectedValue() {
        #expect(throws: ValidationError(field: "issuer_code", reason: "check character is 4, expected 3")) {
            try UnifiedSocialCreditCode.parse("91350100M000100Y44", field: "issuer_code")
        }
    }

    @Test func everySingleCharacterTypoIsRejected() {
        let base = Array("91350100M000100Y43")
        for position in 0..<18 {
            for c in UnifiedSocialCreditCode.alphabet where c != base[position] {
                var typo = base
                typo[position] = c
                #expect(throws: ValidationError.self, "\(String(typo))") { try UnifiedSocialCreditCode.parse(String(typo), field: "f") }
            }
        }
    }

    @Test func everyAdjacentTranspositionIsRejected() {
        let base = Array("12370400MB1234567B")
        for i in 0..<17 where base[i] != base[i + 1] {
            var swapped = base
            swapped.swapAt(i, i + 1)
            #expect(throws: ValidationError.self, "\(String(swapped))") { try UnifiedSocialCreditCode.parse(String(swapped), field: "f") }
        }
    }

    @Test func rejectsWrongLengthAndAlphabet() {
        #expect(throws: ValidationError(field: "issuer_code", reason: "unified social credit code must be 18 characters, got 17")) {
            try UnifiedSocialCreditCode.parse("91350100M000100Y4", field: "issuer_code")
        }
        #expect(
            throws: ValidationError(
                field: "issuer_code",
                reason: "unified social credit code character 9 \"I\" is not in the code alphabet 0-9A-Y without I, O, S, V")
        ) {
            try UnifiedSocialCreditCode.parse("91350100I000100Y43", field: "issuer_code")
        }
        #expect(
            throws: ValidationError(
                field: "issuer_code",
                reason: "unified social credit code registration-authority code (character 1) \"Z\" is not in the code alphabet 0-9A-Y without I, O, S, V")
        ) {
            try UnifiedSocialCreditCode.parse("Z1350100M000100Y43", field: "issuer_code")
        }
        #expect(
            throws: ValidationError(
                field: "issuer_code",
                reason: "unified social credit code organisation-kind code (character 2) \"O\" is not in the code alphabet 0-9A-Y without I, O, S, V")
        ) {
            try UnifiedSocialCreditCode.parse("9O350100M000100Y43", field: "issuer_code")
        }
        // lowercase is not part of the alphabet
        #expect(throws: ValidationError.self) { try UnifiedSocialCreditCode.parse("91350100m000100y43", field: "issuer_code") }
    }

    @Test func regionCodeMustBeDigits() {
        let body = "9135A100M000100Y4"
        let text = body + String(UnifiedSocialCreditCode.makeCheckCharacter(for: body)!)
        #expect(throws: ValidationError(field: "f", reason: "unified social credit code region code (characters 3-8) must be digits, got \"35A100\"")) {
            try UnifiedSocialCreditCode.parse(text, field: "f")
        }
    }

    @Test func makeAppendsCheck() throws {
        #expect(try UnifiedSocialCreditCode.make(first17: "91350100M000100Y4").value == "91350100M000100Y43")
        #expect(throws: ValidationError.self) { try UnifiedSocialCreditCode.make(first17: "91350100M000100Y") }
    }
}
