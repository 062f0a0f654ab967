import NIOCore
import NoProofClient
import NoProofCodec
import NoProofProtocol
import Testing
@testable import NoProofServer

/// Every malformed input of the foundation issue, over a real socket: each gets a clear status
/// or GOAWAY, and the server keeps serving a well-behaved client afterwards.
@Suite("Bad input over the socket")
struct BadInputTests {
    /// Runs `attack` against a fresh server, then checks that a normal client is still served.
    func afterwardsTheServerStillServes(
        configuration: ServerConfiguration = TestServices.configuration,
        _ attack: @Sendable (Int) async throws -> Void
    ) async throws {
        try await withTestServer(configuration: configuration) { _, port in
            try await attack(port)
            let client = try await NoProofClient.connect(.init(port: port))
            #expect(try await client.health().status == .serving)
            await client.close()
        }
    }

    @Test func garbagePrefaceIsRefusedWithGoAway() async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            try await raw.send(Array("GET / HTTP/1.1\r\n\r\n".utf8))
            #expect(await raw.read(count: 8) == Preface.bytes)
            let frame = await raw.readFrame()
            #expect(frame?.type == .goAway)
            #expect(frame?.goAway?.code == StatusCode.invalidArgument.rawValue)
            #expect(frame?.goAway?.message.contains("not a NoProof client") == true)
            #expect(await raw.closedByServer())
        }
    }

    @Test func wrongVersionIsRefusedWithGoAway() async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            try await raw.send(Array("NOPROOF".utf8) + [2])
            _ = await raw.read(count: 8)
            let frame = await raw.readFrame()
            #expect(frame?.goAway?.code == StatusCode.failedPrecondition.rawValue)
            #expect(frame?.goAway?.message.contains("version 2") == true)
            #expect(await raw.closedByServer())
        }
    }

    @Test func oversizeFrameIsRefusedBeforeItsPayloadArrives() async throws {
        var configuration = TestServices.configuration
        configuration.maxFramePayload = 4096
        try await afterwardsTheServerStillServes(configuration: configuration) { port in
            let raw = try await RawConnection(port: port)
            #expect(try await raw.handshake().maxFrameSize == 4096)
            // Only the header: the server must not wait for the 1 GiB it announces.
            try await raw.send([0x40, 0, 0, 0, FrameType.call.rawValue, 0, 0, 0, 0, 1])
            let frame = await raw.readFrame()
            #expect(frame?.goAway?.code == StatusCode.resourceExhausted.rawValue)
            #expect(frame?.goAway?.message.contains("exceeds the limit of 4096") == true)
            #expect(await raw.closedByServer())
        }
    }

    @Test func unknownFrameTypeEndsTheConnection() async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            try await raw.send([0, 0, 0, 0, 0x42, 0, 0, 0, 0, 0])
            let frame = await raw.readFrame()
            #expect(frame?.goAway?.code == StatusCode.unimplemented.rawValue)
            #expect(frame?.goAway?.message.contains("0x42") == true)
            #expect(await raw.closedByServer())
        }
    }

    @Test func truncatedFrameIsReportedWhenTheClientStopsSending() async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            try await raw.send(Array(RawConnection.call(1, method: "/noproof.v1.Health/Check").prefix(13)))
            try await raw.shutdownOutput()
            let frame = await raw.readFrame()
            #expect(frame?.goAway?.code == StatusCode.invalidArgument.rawValue)
            #expect(frame?.goAway?.message.contains("truncated frame") == true)
            #expect(await raw.closedByServer())
        }
    }

    @Test func unknownMethodGetsUnimplementedAndTheConnectionLives() async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            try await raw.send(RawConnection.call(1, method: "/noproof.v1.Nope/Nothing"))
            let status = await raw.readFrame()
            #expect(status?.callID == 1)
            #expect(status?.status?.code == StatusCode.unimplemented.rawValue)
            try await raw.send(RawConnection.call(2, method: "/noproof.v1.Health/Check"))
            #expect(await raw.readFrame()?.type == .message)
            await raw.close()
        }
    }

    @Test func callOnAnUnauthenticatedConnectionIsUnauthenticated() async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            try await raw.send(RawConnection.call(1, method: "/noproof.v1.Reflection/ListMethods"))
            let status = await raw.readFrame()
            #expect(status?.status?.code == StatusCode.unauthenticated.rawValue)
            #expect(status?.status?.message.contains("Session/Authenticate") == true)
            await raw.close()
        }
    }

    @Test func duplicateCallIDEndsTheConnectionWithAReason() async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            let forever = RawConnection.call(4, methodID: TestServices.forever.id)
            try await raw.send(forever + forever)
            let frame = await raw.readFrame()
            #expect(frame?.goAway?.code == StatusCode.invalidArgument.rawValue)
            #expect(frame?.goAway?.message.contains("duplicate call id 4") == true)
            #expect(await raw.closedByServer())
        }
    }

    @Test func headerThatProtobufCCannotUnpackIsInvalidArgument() async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            try await raw.send(RawConnection.frame(.call, callID: 1, [0x0A, 0x7F, 0x01]))
            let status = await raw.readFrame()
            #expect(status?.status?.code == StatusCode.invalidArgument.rawValue)
            #expect(status?.status?.message.contains("bad CALL header") == true)
            await raw.close()
        }
    }

    @Test func requestMessageThatCannotBeUnpackedIsInvalidArgument() async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            try await raw.send(RawConnection.call(1, method: "/noproof.v1.Health/Check", payload: [0x0A, 0x05, 0x61]))
            let status = await raw.readFrame()
            #expect(status?.status?.code == StatusCode.invalidArgument.rawValue)
            #expect(status?.status?.message.contains("noproof.v1.HealthCheckRequest") == true)
            await raw.close()
        }
    }

    @Test(arguments: [
        ([0x0A, 0x02, 0x61, 0xFF] as [UInt8], "not valid UTF-8"),
        ([0x0A, 0x03, 0x61, 0x00, 0x62] as [UInt8], "NUL byte"),
    ])
    func badStringsInTheRequestAreInvalidArgumentNamingTheField(payload: [UInt8], reason: String) async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            try await raw.send(RawConnection.call(1, method: "/noproof.v1.Health/Check", payload: payload))
            let status = await raw.readFrame()
            #expect(status?.status?.code == StatusCode.invalidArgument.rawValue)
            #expect(status?.status?.message.contains("field 'service'") == true)
            #expect(status?.status?.message.contains(reason) == true)
            await raw.close()
        }
    }

    @Test func badStringInTheCallMetadataIsInvalidArgument() async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            // CallHeader { method "/noproof.v1.Health/Check", metadata { key "staff", value "\xC0\x80" } }
            let method = Array("/noproof.v1.Health/Check".utf8)
            let entry: [UInt8] = [0x0A, 0x05] + Array("staff".utf8) + [0x12, 0x02, 0xC0, 0x80]
            let header: [UInt8] = [0x0A, UInt8(method.count)] + method + [0x22, UInt8(entry.count)] + entry
            try await raw.send(RawConnection.frame(.call, callID: 1, header))
            let status = await raw.readFrame()
            #expect(status?.status?.code == StatusCode.invalidArgument.rawValue)
            #expect(status?.status?.message.contains("metadata.value") == true)
            await raw.close()
        }
    }

    @Test func pingIsAnsweredWithTheSameBytes() async throws {
        try await afterwardsTheServerStillServes { port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            try await raw.send(RawConnection.frame(.ping, callID: 0, [9, 8, 7, 6, 5, 4, 3, 2]))
            let pong = await raw.readFrame()
            #expect(pong?.type == .pong)
            #expect(pong.map { Array($0.payload.readableBytesView) } == [9, 8, 7, 6, 5, 4, 3, 2])
            await raw.close()
        }
    }

    @Test func callFloodPastTheLimitIsResourceExhausted() async throws {
        var configuration = TestServices.configuration
        configuration.maxConcurrentCallsPerConnection = 3
        try await afterwardsTheServerStillServes(configuration: configuration) { port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            var flood: [UInt8] = []
            for id in UInt32(1)...4 { flood += RawConnection.call(id, methodID: TestServices.forever.id) }
            try await raw.send(flood)
            let status = await raw.readFrame()
            #expect(status?.callID == 4)
            #expect(status?.status?.code == StatusCode.resourceExhausted.rawValue)
            await raw.close()
        }
    }
}
