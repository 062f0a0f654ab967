import Testing
@testable import NoProofCodec

@Suite("ProtoCodec: protobuf-c round trips and refusals")
struct ProtoCodecTests {
    @Test func callHeaderRoundTrips() throws {
        let header = CallHeader(
            method: "/noproof.v1.Health/Check", methodID: 7, timeoutMicros: 1_500_000,
            metadata: ["staff": "agent-0042", "purpose": "办理户口迁移 case 2026-001"],
            payload: [0, 1, 2, 255, 0]
        )
        let bytes = ProtoCodec.encode(header)
        #expect(try ProtoCodec.decode(CallHeader.self, from: bytes) == header)
    }

    @Test func emptyMessageEncodesToNoBytesAndDecodesToDefaults() throws {
        #expect(ProtoCodec.encode(CallHeader()).isEmpty)
        #expect(try ProtoCodec.decode(CallHeader.self, from: []) == CallHeader())
        #expect(try ProtoCodec.decode(ListMethodsRequest.self, from: []) == ListMethodsRequest())
    }

    @Test func everyEnvelopeRoundTrips() throws {
        let status = CallStatus(code: 5, message: "未找到 not found", metadata: ["retry": "no"])
        #expect(try ProtoCodec.decode(CallStatus.self, from: ProtoCodec.encode(status)) == status)
        let goAway = GoAway(lastCallID: UInt32.max, code: 14, message: "bye")
        #expect(try ProtoCodec.decode(GoAway.self, from: ProtoCodec.encode(goAway)) == goAway)
        let settings = ServerSettings(
            protocolVersion: 1, maxFrameSize: 4096, maxConcurrentCalls: 10,
            idleTimeoutMillis: 300_000, serverName: "n", authenticationRequired: true)
        #expect(try ProtoCodec.decode(ServerSettings.self, from: ProtoCodec.encode(settings)) == settings)
        let health = HealthCheckResponse(status: .notServing, serverName: "s", serverVersion: "1", uptimeSeconds: 9)
        #expect(try ProtoCodec.decode(HealthCheckResponse.self, from: ProtoCodec.encode(health)) == health)
        let listing = ListMethodsResponse(methods: [
            MethodInfo(
                path: "/a.B/C", id: 1, kind: .serverStreaming, requestType: "a.Req", responseType: "a.Res",
                requiresAuthentication: true, requiredRole: "agent", summary: "s"),
            MethodInfo(path: "/a.B/D", id: 2, kind: .unary, requestType: "", responseType: "", requiresAuthentication: false),
        ])
        #expect(try ProtoCodec.decode(ListMethodsResponse.self, from: ProtoCodec.encode(listing)) == listing)
        let auth = AuthenticateRequest(credentialID: "id", secret: "s3cret")
        #expect(try ProtoCodec.decode(AuthenticateRequest.self, from: ProtoCodec.encode(auth)) == auth)
        let session = AuthenticateResponse(unitCode: "11370400MB0000001R", unitName: "专班", expiresAt: -1)
        #expect(try ProtoCodec.decode(AuthenticateResponse.self, from: ProtoCodec.encode(session)) == session)
    }

    @Test func knownWireBytes() throws {
        // field 1 (string) "ab", field 2 (varint) 300 — as any protobuf implementation writes them.
        let bytes: [UInt8] = [0x0A, 0x02, 0x61, 0x62, 0x10, 0xAC, 0x02]
        let header = try ProtoCodec.decode(CallHeader.self, from: bytes)
        #expect(header.method == "ab")
        #expect(header.methodID == 300)
        #expect(ProtoCodec.encode(header) == bytes)
    }

    @Test func unknownFieldsAreSkipped() throws {
        // field 15 varint 1, then field 1 "x"
        let bytes: [UInt8] = [0x78, 0x01, 0x0A, 0x01, 0x78]
        #expect(try ProtoCodec.decode(HealthCheckRequest.self, from: bytes).service == "x")
    }

    @Test(arguments: [
        ([0x0A, 0x05, 0x61] as [UInt8], "length past the end"),
        ([0x0A] as [UInt8], "tag without value"),
        ([0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] as [UInt8], "varint longer than 10 bytes"),
        ([0x0B] as [UInt8], "start-group wire type"),
        ([0x0F] as [UInt8], "wire type 7"),
        ([0x00, 0x01] as [UInt8], "field number 0"),
    ])
    func malformedBytesAreRefused(bytes: [UInt8], why: String) {
        #expect(throws: CodecError(.malformed, messageType: "noproof.v1.CallHeader"), "\(why)") {
            try ProtoCodec.decode(CallHeader.self, from: bytes)
        }
    }

    @Test(arguments: [
        [0xFF] as [UInt8],  // never valid
        [0xC0, 0x80],  // overlong NUL
        [0xE0, 0x80, 0x80],  // overlong
        [0xED, 0xA0, 0x80],  // UTF-16 surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xE4, 0xB8],  // truncated sequence
        [0x61, 0x80],  // stray continuation byte
    ])
    func invalidUTF8IsRefusedWithTheFieldName(bad: [UInt8]) {
        let bytes: [UInt8] = [0x0A, UInt8(bad.count)] + bad
        #expect(throws: CodecError(.invalidUTF8, messageType: "noproof.v1.HealthCheckRequest", field: "service")) {
            try ProtoCodec.decode(HealthCheckRequest.self, from: bytes)
        }
    }

    @Test func embeddedNULIsRefused() {
        let bytes: [UInt8] = [0x0A, 0x03, 0x61, 0x00, 0x62]
        #expect(throws: CodecError(.embeddedNUL, messageType: "noproof.v1.HealthCheckRequest", field: "service")) {
            try ProtoCodec.decode(HealthCheckRequest.self, from: bytes)
        }
    }

    @Test func badStringInANestedMessageNamesThePath() {
        // CallHeader.metadata (field 4) = MetadataEntry { key "k", value "\xFF" }
        let entry: [UInt8] = [0x0A, 0x01, 0x6B, 0x12, 0x01, 0xFF]
        let bytes: [UInt8] = [0x22, UInt8(entry.count)] + entry
        #expect(throws: CodecError(.invalidUTF8, messageType: "noproof.v1.CallHeader", field: "metadata.value")) {
            try ProtoCodec.decode(CallHeader.self, from: bytes)
        }
    }

    @Test func bytesFieldsMayHoldAnything() throws {
        let header = CallHeader(payload: [0x00, 0xFF, 0xC0, 0x80])
        #expect(try ProtoCodec.decode(CallHeader.self, from: ProtoCodec.encode(header)).payload == header.payload)
    }

    @Test func multilingualTextSurvives() throws {
        let request = HealthCheckRequest(service: "服务 — ✓ 𠀀 emoji 😀")
        #expect(try ProtoCodec.decode(HealthCheckRequest.self, from: ProtoCodec.encode(request)) == request)
    }

    @Test func unknownEnumValueOfAnOpenEnumReadsAsUnknown() throws {
        #expect(try ProtoCodec.decode(HealthCheckResponse.self, from: [0x08, 0x09]).status == .unknown)
        #expect(throws: CodecError(.invalidValue, messageType: "noproof.v1.MethodInfo", field: "kind")) {
            try ProtoCodec.decode(MethodInfo.self, from: [0x18, 0x07])
        }
    }

    /// Random inputs never crash the decoder, and whatever does decode survives a round trip:
    /// re-encoded and decoded again, it is the same value.
    @Test func randomBytesNeverCrash() throws {
        var generator = SplitMix64(seed: 42)
        var decodedHeaders = 0
        var decodedListings = 0
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 48)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if let header = try? ProtoCodec.decode(CallHeader.self, from: bytes) {
                decodedHeaders += 1
                #expect(try ProtoCodec.decode(CallHeader.self, from: ProtoCodec.encode(header)) == header, "\(bytes)")
            }
            if let listing = try? ProtoCodec.decode(ListMethodsResponse.self, from: bytes) {
                decodedListings += 1
                #expect(try ProtoCodec.decode(ListMethodsResponse.self, from: ProtoCodec.encode(listing)) == listing, "\(bytes)")
            }
        }
        // The empty input (one in 48) always decodes, so both counts are well above zero; a
        // decoder that refused everything would fail here instead of passing vacuously.
        #expect(decodedHeaders > 0, "CallHeader decoded from \(decodedHeaders) of 20,000 inputs")
        #expect(decodedListings > 0, "ListMethodsResponse decoded from \(decodedListings) of 20,000 inputs")
    }

    @Test func errorsReadWell() {
        let error = CodecError(.invalidUTF8, messageType: "noproof.v1.CallHeader", field: "metadata.value")
        #expect(error.description == "noproof.v1.CallHeader field 'metadata.value': string is not valid UTF-8")
    }
}

/// Deterministic generator for the random-input test.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
