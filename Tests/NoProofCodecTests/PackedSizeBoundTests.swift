import NoProofMessages
import Testing
@testable import NoProofCodec

/// The codec packs in one pass into a buffer sized by `CArena.sizeBound` instead of asking
/// protobuf-c for the exact size first: the bound must never be below the packed size, or
/// protobuf-c would write past the buffer. Debug builds also assert it before every pack.
@Suite("The packed size bound of one-pass encoding")
struct PackedSizeBoundTests {
    /// Values at the edges of every scalar kind and of the varint length prefixes.
    @Test func theBoundCoversEveryKindOfField() {
        let long = String(repeating: "枣", count: 6_000)  // 18,000 UTF-8 bytes: a 3-byte length prefix
        let fields = [
            APILicenceField(key: "", value: ""), APILicenceField(key: "k", value: String(repeating: "v", count: 127)),
            APILicenceField(key: String(repeating: "x", count: 128), value: long),
        ]
        check(APILicence(licenceID: long, typeCode: "T", version: UInt32.max, fields: fields))
        check(APIProofBody(proofSerial: "S", licence: APILicence(), purpose: APIPurpose(), extractedAtMillis: Int64.min))
        check(APIProofBody(extractedAtMillis: -1))
        check(
            APISealedProof(
                body: [UInt8](repeating: 7, count: 300), keyID: "k", signature: [], leafIndex: UInt32.max,
                batchSize: 1, path: [[], [1], [UInt8](repeating: 2, count: 200), []]))
        check(APILicenceType(code: "C", holderKinds: ["", "person", "", String(repeating: "o", count: 200)], connected: true))
        check(
            CallHeader(
                method: "m", methodID: UInt32.max, timeoutMicros: UInt64.max,
                metadata: ["": "", "k": String(repeating: "v", count: 20_000)], payload: [0]))
        check(
            ServerSettings(
                protocolVersion: UInt32.max, maxFrameSize: UInt32.max, maxConcurrentCalls: UInt32.max,
                idleTimeoutMillis: UInt32.max, serverName: "n", authenticationRequired: true))
        check(AuthenticateResponse(unitCode: "u", unitName: "n", expiresAt: Int64.min))
        check(HealthCheckResponse(status: .notServing, serverName: "s", serverVersion: "v", uptimeSeconds: UInt64.max))
        check(
            ListMethodsResponse(methods: [
                MethodInfo(
                    path: "/a", id: UInt32.max, kind: .serverStreaming, requestType: "q", responseType: "r",
                    requiresAuthentication: true, requiredRole: "x", summary: "s"),
                MethodInfo(path: "", id: 0, kind: .unary, requestType: "", responseType: "", requiresAuthentication: false),
            ]))
        check(APILookupResponse(proof: APISealedProof()))
        check(APILookupRequest())
        check(ListMethodsRequest())
    }

    /// Random contents: strings and byte strings of every length up to a few hundred bytes,
    /// random scalars, random numbers of repeated elements.
    @Test func theBoundCoversRandomMessages() {
        var random = SplitMix64(seed: 7)
        func text() -> String {
            let count = Int(random.next() % 300)
            return String(decoding: (0..<count).map { _ in UInt8(0x21 + random.next() % 90) }, as: UTF8.self)
        }
        func bytes() -> [UInt8] { (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
        for _ in 0..<500 {
            let fields = (0..<Int(random.next() % 20)).map { _ in APILicenceField(key: text(), value: text()) }
            let licence = APILicence(
                licenceID: text(), typeCode: text(), holderID: text(), holderName: text(),
                version: UInt32(truncatingIfNeeded: random.next()), fields: fields)
            check(
                APIProofBody(
                    proofSerial: text(), licence: licence, purpose: APIPurpose(itemCode: text(), caseReference: text()),
                    extractedAtMillis: Int64(bitPattern: random.next()), staff: text()))
            check(
                APISealedProof(
                    body: bytes(), keyID: text(), signature: bytes(), leafIndex: UInt32(truncatingIfNeeded: random.next()),
                    batchSize: UInt32(truncatingIfNeeded: random.next()), path: (0..<Int(random.next() % 10)).map { _ in bytes() }))
        }
    }

    private func check<M: ProtoMessage & Equatable>(_ message: M, sourceLocation: SourceLocation = #_sourceLocation) {
        let sizes = ProtoCodec.sizes(of: message)
        #expect(
            sizes.bound >= sizes.exact, "\(M.protoName): bound \(sizes.bound) < packed size \(sizes.exact)",
            sourceLocation: sourceLocation)
        let bytes = ProtoCodec.encode(message)
        #expect(bytes.count == sizes.exact, sourceLocation: sourceLocation)
        #expect((try? ProtoCodec.decode(M.self, from: bytes)) == message, sourceLocation: sourceLocation)
    }
}
