import NoProofMessages
import Testing
@testable import NoProofCodec

/// Strings are checked as they are read from the unpacked message (`String(protobufC:)`), and the
/// wire bytes are walked only when that cannot see everything: these are the cases where protobuf-c
/// drops or merges what it unpacked, where the error's field path comes from, and which error wins.
@Suite("Strict strings, checked while read")
struct StringCheckTests {
    /// Field 1 of HealthCheckRequest (`service`) holding `bytes`.
    private func service(_ bytes: [UInt8]) -> [UInt8] { [0x0A, UInt8(bytes.count)] + bytes }

    @Test(arguments: [
        [0x00, 0x61, 0x62] as [UInt8],  // first byte
        [0x61, 0x62, 0x00],  // last byte
        [0x00],  // the whole string
        [0x61, 0x00, 0x00, 0x62],
    ])
    func aNULAnywhereIsRefused(bad: [UInt8]) {
        #expect(throws: CodecError(.embeddedNUL, messageType: "noproof.v1.HealthCheckRequest", field: "service")) {
            try ProtoCodec.decode(HealthCheckRequest.self, from: service(bad))
        }
    }

    @Test func emptyAndAbsentStringsReadAsEmpty() throws {
        #expect(try ProtoCodec.decode(HealthCheckRequest.self, from: service([])).service == "")
        #expect(try ProtoCodec.decode(HealthCheckRequest.self, from: []).service == "")
    }

    /// protobuf-c keeps the last of a string field given twice and frees the first: the first must
    /// be checked all the same.
    @Test func aBadStringGivenFirstOfTwoIsRefused() throws {
        #expect(throws: CodecError(.invalidUTF8, messageType: "noproof.v1.HealthCheckRequest", field: "service")) {
            try ProtoCodec.decode(HealthCheckRequest.self, from: service([0xFF]) + service([0x61]))
        }
        #expect(throws: CodecError(.embeddedNUL, messageType: "noproof.v1.HealthCheckRequest", field: "service")) {
            try ProtoCodec.decode(HealthCheckRequest.self, from: service([0x61, 0x00]) + service([0x61]))
        }
        // Both good: the last one wins, as in every protobuf implementation.
        #expect(try ProtoCodec.decode(HealthCheckRequest.self, from: service([0x61]) + service([0x62])).service == "b")
    }

    /// A message field given twice is merged by protobuf-c, which drops the first one's strings
    /// that the second one sets again.
    @Test func aBadStringInAMergedMessageIsRefused() throws {
        func purpose(_ item: [UInt8]) -> [UInt8] {
            let inner: [UInt8] = [0x0A, UInt8(item.count)] + item
            return [0x1A, UInt8(inner.count)] + inner  // LookupRequest.purpose = field 3
        }
        #expect(throws: CodecError(.invalidUTF8, messageType: "noproof.v1.LookupRequest", field: "purpose.item_code")) {
            try ProtoCodec.decode(APILookupRequest.self, from: purpose([0xC0, 0x80]) + purpose([0x41]))
        }
        let merged = try ProtoCodec.decode(APILookupRequest.self, from: purpose([0x41]) + purpose([0x42]))
        #expect(merged.purpose == APIPurpose(itemCode: "B"))
    }

    /// More than 16 fields in one message: protobuf-c frees its own scratch, and the codec walks the
    /// wire bytes; a good message still decodes and a bad one is still refused with its path.
    @Test func messagesOfManyFieldsAreCheckedToo() throws {
        let fields = (0..<40).map { APILicenceField(key: "k\($0)", value: "值\($0)") }
        let licence = APILicence(licenceID: "L", fields: fields)
        #expect(try ProtoCodec.decode(APILicence.self, from: ProtoCodec.encode(licence)) == licence)
        var bytes = ProtoCodec.encode(APILicence(licenceID: "L", fields: fields))
        // The last field's value "值39" ends the encoding: make its last byte a stray 0xFF.
        bytes[bytes.count - 1] = 0xFF
        #expect(throws: CodecError(.invalidUTF8, messageType: "noproof.v1.Licence", field: "fields.value")) {
            try ProtoCodec.decode(APILicence.self, from: bytes)
        }
    }

    /// A bad string is reported before a bad enum value, wherever each is in the message, as when
    /// all the wire's strings were checked before any field was read.
    @Test func aBadStringWinsOverABadEnumValue() {
        // MethodInfo: kind (field 3) = 7, unknown to the closed enum, then path (field 1) = "\xFF".
        let bytes: [UInt8] = [0x18, 0x07, 0x0A, 0x01, 0xFF]
        #expect(throws: CodecError(.invalidUTF8, messageType: "noproof.v1.MethodInfo", field: "path")) {
            try ProtoCodec.decode(MethodInfo.self, from: bytes)
        }
        #expect(throws: CodecError(.invalidValue, messageType: "noproof.v1.MethodInfo", field: "kind")) {
            try ProtoCodec.decode(MethodInfo.self, from: [0x18, 0x07, 0x0A, 0x01, 0x61])
        }
    }

    /// Every string of a message is read, so every bad one is found: here in each field of a
    /// generated message in turn.
    @Test func everyStringFieldOfALicenceIsChecked() {
        let good = APILicence(
            licenceID: "a", typeCode: "b", holderID: "c", holderName: "d", issuerCode: "e", issuerName: "f",
            issueDate: "g", validFrom: "h", validTo: "i", status: "j", version: 1,
            fields: [APILicenceField(key: "k", value: "l")])
        let encoded = ProtoCodec.encode(good)
        for letter in UInt8(ascii: "a")...UInt8(ascii: "l") {
            var bytes = encoded
            bytes[bytes.firstIndex(of: letter)!] = 0x80
            #expect(throws: CodecError.self, "a stray continuation byte in place of '\(Character(Unicode.Scalar(letter)))'") {
                try ProtoCodec.decode(APILicence.self, from: bytes)
            }
        }
    }
}
