import NoProofCodec
import Testing
@testable import NoProofWeb

@Suite("HTML escaping")
struct HTMLTests {
    @Test func everyMarkupCharacterIsEscaped() {
        #expect(HTML.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTML.escape("枣庄水务集团有限公司") == "枣庄水务集团有限公司")
    }
}
