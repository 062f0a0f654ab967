import Testing
@testable import NoProofWeb

@Suite("Form bodies")
struct FormBodyTests {
    @Test func fieldsAreDecoded() throws {
        let form = try FormBody("credential=demo-water%2Fagent-0001&secret=a+b%26c&name=%E6%9E%A3%E5%BA%84&empty=")
        #expect(form["credential"] == "demo-water/agent-0001")
        #expect(form["secret"] == "a b&c")
        #expect(form["name"] == "枣庄")
        #expect(form["empty"] == "")
        #expect(form["missing"] == nil)
    }

    @Test func malformedFormsAreRefusedWithTheReason() {
        #expect(throws: FormBody.Invalid.self) { try FormBody("a=%Z1") }
        #expect(throws: FormBody.Invalid.self) { try FormBody("a=%E6") }
        #expect(throws: FormBody.Invalid.self) { try FormBody("a=%FF") }
        #expect(throws: FormBody.Invalid.self) { try FormBody("csrf=1&csrf=2") }
    }
}
