import NoProofMessages
import Testing
@testable import NoProofCodec

@Suite("Generated Swift messages (scripts/gen-swift-messages.py)")
struct GeneratedMessagesTests {
    @Test func nestedRepeatedAndBytesFieldsRoundTrip() throws {
        let licence = APILicence(
            licenceID: "1.2.156.3005.2.HJDJ.11370400MB0000001R.0001.001.X", typeCode: "HJDJ",
            holderID: "370402199001011234", holderName: "张三", issuerCode: "11370400MB0000001R", issuerName: "枣庄市公安局",
            issueDate: "2020-01-01", validFrom: "2020-01-01", validTo: "", status: "valid", version: 3,
            fields: [APILicenceField(key: "address", value: "薛城区"), APILicenceField(key: "relation", value: "户主")]
        )
        let body = APIProofBody(
            proofSerial: "P1", sealKind: "data-sharing", licence: licence,
            purpose: APIPurpose(itemCode: "ITEM-1", caseReference: "C-9"), extractedAtMillis: -5)
        let sealed = APISealedProof(
            body: ProtoCodec.encode(body), keyID: "k1", signature: [1, 2, 3], leafIndex: 2, batchSize: 4,
            path: [[0xAA], [], [0x00, 0xFF]])
        let decoded = try ProtoCodec.decode(APISealedProof.self, from: ProtoCodec.encode(sealed))
        #expect(decoded == sealed)
        #expect(try ProtoCodec.decode(APIProofBody.self, from: decoded.body) == body)
        let type = APILicenceType(code: "HJDJ", holderKinds: ["person", "organization"], connected: true)
        #expect(try ProtoCodec.decode(APILicenceType.self, from: ProtoCodec.encode(type)) == type)
    }

    @Test func absentMessageFieldIsNil() throws {
        #expect(try ProtoCodec.decode(APILookupRequest.self, from: []).purpose == nil)
        let request = APILookupRequest(holderID: "x", typeCode: "T", purpose: APIPurpose())
        #expect(try ProtoCodec.decode(APILookupRequest.self, from: ProtoCodec.encode(request)).purpose == APIPurpose())
    }

    @Test func closedEnumRefusesUnknownValues() throws {
        let check = APIFieldCheck(key: "a", result: .notOnRecord)
        #expect(try ProtoCodec.decode(APIFieldCheck.self, from: ProtoCodec.encode(check)) == check)
        #expect(throws: CodecError(.invalidValue, messageType: "noproof.v1.FieldCheck", field: "result")) {
            try ProtoCodec.decode(APIFieldCheck.self, from: [0x10, 0x09])
        }
    }

    @Test func badStringDeepInsideANestedMessageNamesTheWholePath() {
        // LookupRequest.purpose (3) = Purpose { item_code (1) = "\xFF" }
        #expect(throws: CodecError(.invalidUTF8, messageType: "noproof.v1.LookupRequest", field: "purpose.item_code")) {
            try ProtoCodec.decode(APILookupRequest.self, from: [0x1A, 0x03, 0x0A, 0x01, 0xFF])
        }
    }
}
