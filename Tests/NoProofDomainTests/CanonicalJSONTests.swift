import Testing
@testable import NoProofDomain

@Suite struct CanonicalJSONTests {
    static let maps: [[String: String]] = [
        [:], ["a": "1"], ["b": "2", "a": "1"], ["名称": "福州市", "q": "say \"hi\"\\ \n\t\u{1}", "e": ""],
    ]

    @Test func parsesWhatItWritesFromTextAndFromBytes() {
        for map in Self.maps {
            let text = CanonicalJSON.object(map)
            #expect(CanonicalJSON.parseObject(text) == map)
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { CanonicalJSON.parseObject(utf8: $0) } == map)
        }
    }

    @Test func readsOtherWritersEscapesAndRejectsTheRest() {
        #expect(CanonicalJSON.parseObject(#" { "k" : "a\/b\u00e9\ud83d\ude00" } "#) == ["k": "a/bé😀"])
        for text in ["", "{", "[]", #"{"k":1}"#, #"{"k":"v"} x"#, #"{"k":"v",}"#, "{\"k\":\"\u{1}\"}"] {
            #expect(CanonicalJSON.parseObject(text) == nil)
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { CanonicalJSON.parseObject(utf8: $0) } == nil)
        }
    }
}
