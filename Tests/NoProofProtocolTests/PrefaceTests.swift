import Testing
@testable import NoProofProtocol

@Suite("Preface")
struct PrefaceTests {
    @Test func bytesAreNOPROOFThenVersion() {
        #expect(Preface.bytes == [0x4E, 0x4F, 0x50, 0x52, 0x4F, 0x4F, 0x46, 0x01])
    }

    @Test func verdicts() {
        #expect(Preface.check(Preface.bytes) == .accepted)
        #expect(Preface.check(Array("NOPROOF".utf8) + [2]) == .unsupportedVersion(2))
        #expect(Preface.check(Array("GET / HT".utf8)) == .notNoProof)
        #expect(Preface.check([0x4E]) == .notNoProof)
    }

    @Test func allSeventeenStatusCodesHaveTheirNames() {
        #expect(StatusCode.allKnown.count == 17)
        #expect(StatusCode.ok.name == "OK")
        #expect(StatusCode.unauthenticated.name == "UNAUTHENTICATED")
        #expect(StatusCode(rawValue: 8).name == "RESOURCE_EXHAUSTED")
        #expect(StatusCode(rawValue: 99).name == "CODE_99")
    }
}
