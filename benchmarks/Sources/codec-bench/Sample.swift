import Foundation
import LicencesGRPC
import NoProofCodec
import NoProofMessages
import SwiftProtobuf

/// One message in both representations, with the four timed operations.
struct Sample {
    var name: String
    /// Encoded size in bytes (the same for both codecs; checked).
    var size: Int
    var oursEncode: (Int) -> Int
    var oursDecode: (Int) -> Int
    var theirsEncode: (Int) -> Int
    var theirsDecode: (Int) -> Int

    struct Mismatch: Error, CustomStringConvertible {
        var description: String
    }

    /// The messages of a lookup's hot path: the request the server decodes, the proof body it
    /// encodes and seals, and the response carrying the sealed proof with its Merkle path.
    static func cases() throws -> [Sample] {
        let fields = [("gender", "女"), ("ethnicity", "回族"), ("birth_date", "1993-06-10"),
                      ("address", "山东省枣庄市市中区光明路街道建设路88号"), ("issuing_authority", "枣庄市公安局市中分局")]
        let licence = APILicence(
            licenceID: "1.2.156.3005.2.JMSFZ.11370400004315203J.20230000000000.001.P", typeCode: "JMSFZ",
            holderID: "370404199306107807", holderName: "王秀英", issuerCode: "11370400004315203J", issuerName: "枣庄市公安局",
            issueDate: "2023-03-01", validFrom: "2023-03-01", validTo: "2043-03-01", status: "valid", version: 1,
            fields: fields.map { APILicenceField(key: $0.0, value: $0.1) })
        let purpose = APIPurpose(itemCode: "SW-KH-001", caseReference: "CASE-2026-000123")
        let body = APIProofBody(
            proofSerial: "DS-20261127-000000001234", sealKind: "data-sharing", licence: licence, purpose: purpose,
            extractingUnitCode: "91370400MA3C5XXXX1", extractingUnitName: "枣庄市自来水有限公司",
            producingUnitCode: "11370400004315203J", producingUnitName: "枣庄市公安局",
            extractedAtMillis: 1_795_000_000_123, staff: "agent-0001")
        let bodyBytes = ProtoCodec.encode(body)
        let sealed = APISealedProof(body: bodyBytes, keyID: "ds-2026-01", signature: [UInt8](repeating: 0xA5, count: 64),
                                 leafIndex: 37, batchSize: 64, path: (0..<6).map { [UInt8](repeating: UInt8($0), count: 32) })
        let response = APILookupResponse(proof: sealed)
        let request = APILookupRequest(holderID: "370404199306107807", typeCode: "JMSFZ", purpose: purpose)

        var pLicence = Noproof_V1_Licence()
        pLicence.licenceID = licence.licenceID
        pLicence.typeCode = licence.typeCode
        pLicence.holderID = licence.holderID
        pLicence.holderName = licence.holderName
        pLicence.issuerCode = licence.issuerCode
        pLicence.issuerName = licence.issuerName
        pLicence.issueDate = licence.issueDate
        pLicence.validFrom = licence.validFrom
        pLicence.validTo = licence.validTo
        pLicence.status = licence.status
        pLicence.version = licence.version
        pLicence.fields = fields.map { key, value in
            var field = Noproof_V1_LicenceField()
            field.key = key
            field.value = value
            return field
        }
        var pPurpose = Noproof_V1_Purpose()
        pPurpose.itemCode = purpose.itemCode
        pPurpose.caseReference = purpose.caseReference
        var pBody = Noproof_V1_ProofBody()
        pBody.proofSerial = body.proofSerial
        pBody.sealKind = body.sealKind
        pBody.licence = pLicence
        pBody.purpose = pPurpose
        pBody.extractingUnitCode = body.extractingUnitCode
        pBody.extractingUnitName = body.extractingUnitName
        pBody.producingUnitCode = body.producingUnitCode
        pBody.producingUnitName = body.producingUnitName
        pBody.extractedAtMillis = body.extractedAtMillis
        pBody.staff = body.staff
        var pSealed = Noproof_V1_SealedProof()
        pSealed.body = Data(bodyBytes)
        pSealed.keyID = sealed.keyID
        pSealed.signature = Data(sealed.signature)
        pSealed.leafIndex = sealed.leafIndex
        pSealed.batchSize = sealed.batchSize
        pSealed.path = sealed.path.map { Data($0) }
        var pResponse = Noproof_V1_LookupResponse()
        pResponse.proof = pSealed
        var pRequest = Noproof_V1_LookupRequest()
        pRequest.holderID = request.holderID
        pRequest.typeCode = request.typeCode
        pRequest.purpose = pPurpose

        return [
            try make("LookupRequest", request, pRequest) { $0.holderID.utf8.count } _: { $0.holderID.utf8.count },
            try make("ProofBody (with Licence)", body, pBody) { $0.licence!.holderName.utf8.count }
                _: { $0.licence.holderName.utf8.count },
            try make("LookupResponse (sealed)", response, pResponse) { $0.proof!.path.count + $0.proof!.body.count }
                _: { $0.proof.path.count + $0.proof.body.count },
        ]
    }

    /// Checks both encodings decode to the same content in the other codec, then builds the timed closures.
    static func make<M: ProtoMessage & Equatable, P: SwiftProtobuf.Message & Equatable>(
        _ name: String, _ ours: M, _ theirs: P, _ readOurs: @escaping (M) -> Int, _ readTheirs: @escaping (P) -> Int
    ) throws -> Sample {
        let oursBytes = ProtoCodec.encode(ours)
        let theirsBytes: [UInt8] = try theirs.serializedBytes()
        guard try ProtoCodec.decode(M.self, from: theirsBytes) == ours else {
            throw Mismatch(description: "\(name): swift-protobuf's encoding decodes to something else in NoProofCodec")
        }
        guard try P(serializedBytes: oursBytes) == theirs else {
            throw Mismatch(description: "\(name): NoProofCodec's encoding decodes to something else in swift-protobuf")
        }
        guard oursBytes.count == theirsBytes.count else {
            throw Mismatch(description: "\(name): encoded sizes differ (\(oursBytes.count) vs \(theirsBytes.count))")
        }
        return Sample(
            name: name, size: oursBytes.count,
            oursEncode: { n in
                var sum = 0
                for _ in 0..<n { sum &+= ProtoCodec.encode(ours).count }
                return sum
            },
            oursDecode: { n in
                var sum = 0
                for _ in 0..<n { sum &+= readOurs(try! ProtoCodec.decode(M.self, from: oursBytes)) }
                return sum
            },
            theirsEncode: { n in
                var sum = 0
                for _ in 0..<n { sum &+= (try! theirs.serializedBytes() as [UInt8]).count }
                return sum
            },
            theirsDecode: { n in
                var sum = 0
                for _ in 0..<n { sum &+= readTheirs(try! P(serializedBytes: theirsBytes)) }
                return sum
            })
    }
}
