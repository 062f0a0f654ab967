import NIOCore
import NoProofClient
import NoProofCodec
import NoProofProtocol
import NoProofTestSupport
import Testing
@testable import NoProofServer

@Suite("Server and client over loopback")
struct NoProofServerTests {
    static func client(_ port: Int, authenticated: Bool = true) async throws -> NoProofClient {
        var configuration = NoProofClient.Configuration(port: port)
        if authenticated { configuration.credential = ("test-unit", "test-secret") }
        return try await NoProofClient.connect(configuration)
    }

    @Test func healthNeedsNoCredentialButTheListingDoes() async throws {
        try await withTestServer { _, port in
            let client = try await Self.client(port, authenticated: false)
            #expect(client.settings.protocolVersion == 1)
            #expect(client.settings.authenticationRequired)
            #expect(try await client.health().status == .serving)
            #expect(await failureCode { _ = try await client.listMethods() } == .unauthenticated)
            #expect(await failureCode { _ = try await client.health(service: "no.such.Service") } == .notFound)
            #expect(try await client.health(service: "noproof.v1.Test").status == .serving)
            await client.close()
        }
    }

    @Test func authenticationAcceptsTheRightSecretOnly() async throws {
        try await withTestServer { _, port in
            let client = try await Self.client(port, authenticated: false)
            #expect(await failureCode { _ = try await client.authenticate(credentialID: "test-unit", secret: "wrong") } == .unauthenticated)
            #expect(await failureCode { _ = try await client.authenticate(credentialID: "nobody", secret: "test-secret") } == .unauthenticated)
            #expect(await failureCode { _ = try await client.authenticate(credentialID: "", secret: "") } == .invalidArgument)
            let session = try await client.authenticate(credentialID: "test-unit", secret: "test-secret")
            #expect(session.unitCode == "11370400MB0000001R")
            let listing = try await client.listMethods()
            #expect(listing.methods.map(\.id) == [1, 2, 3, 100, 101, 102, 103, 104, 105, 106])
            #expect(listing.methods.first { $0.id == 102 }?.kind == .serverStreaming)
            await client.close()
        }
    }

    @Test func methodsCanBeAddressedByNumericID() async throws {
        try await withTestServer { _, port in
            let client = try await Self.client(port)
            let answer = try await client.unary(
                .id(100), request: HealthCheckRequest(service: "hello"), as: HealthCheckResponse.self,
                metadata: ["staff": "agent-7"])
            #expect(answer.serverName == "hello")
            #expect(answer.serverVersion == "agent-7")
            #expect(
                await failureCode {
                    _ = try await client.unary(.id(9999), request: HealthCheckRequest(), as: HealthCheckResponse.self)
                } == .unimplemented)
            await client.close()
        }
    }

    @Test func concurrentCallsOnOneConnectionAreAnsweredOutOfOrder() async throws {
        try await withTestServer { _, port in
            let client = try await Self.client(port)
            let order = try await withThrowingTaskGroup(of: String.self) { group in
                for milliseconds in [300, 10, 150] {
                    group.addTask {
                        try await client.unary(
                            .path("/noproof.v1.Test/Sleep"), request: HealthCheckRequest(service: "\(milliseconds)"),
                            as: HealthCheckResponse.self
                        ).serverName
                    }
                }
                var order: [String] = []
                for try await name in group { order.append(name) }
                return order
            }
            #expect(order == ["10", "150", "300"])
            // Many more, interleaved with inline calls, all answered correctly.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        let method: MethodAddress = [.id(100), .id(101), .id(105)][index % 3]
                        let argument = index % 3 == 0 ? "echo-\(index)" : "\(index % 7)"
                        let answer = try await client.unary(method, request: HealthCheckRequest(service: argument), as: HealthCheckResponse.self)
                        #expect(answer.serverName == argument)
                    }
                }
                try await group.waitForAll()
            }
            await client.close()
        }
    }

    @Test func deadlineExceededComesBackAndTheServerStopsTheWork() async throws {
        let (cancelled, continuation) = AsyncStream<String>.makeStream()
        try await withTestServer(cancelled: continuation) { _, port in
            let client = try await Self.client(port)
            #expect(
                await failureCode {
                    _ = try await client.unary(
                        .path("/noproof.v1.Test/Forever"), request: HealthCheckRequest(service: "deadline"),
                        as: HealthCheckResponse.self, timeout: .milliseconds(200))
                } == .deadlineExceeded)
            var iterator = cancelled.makeAsyncIterator()
            #expect(await iterator.next() == "deadline")
            // The connection is still good.
            #expect(try await client.health().status == .serving)
            await client.close()
        }
    }

    @Test func cancellingTheCallingTaskCancelsTheServerWork() async throws {
        let (cancelled, continuation) = AsyncStream<String>.makeStream()
        try await withTestServer(cancelled: continuation) { _, port in
            let client = try await Self.client(port)
            let call = Task {
                try await client.unary(
                    .path("/noproof.v1.Test/Forever"), request: HealthCheckRequest(service: "cancel-me"),
                    as: HealthCheckResponse.self, timeout: .seconds(60))
            }
            try await Task.sleep(for: .milliseconds(100))
            call.cancel()
            let result = await call.result
            guard case .failure(let error as RPCError) = result else { Issue.record("not cancelled: \(result)"); return }
            #expect(error.code == .cancelled)
            var iterator = cancelled.makeAsyncIterator()
            #expect(await iterator.next() == "cancel-me")
            await client.close()
        }
    }

    @Test func serverStreamingDeliversEveryMessageThenEnds() async throws {
        try await withTestServer { _, port in
            let client = try await Self.client(port)
            var received: [UInt64] = []
            for try await message in client.serverStreaming(
                .path("/noproof.v1.Test/Count"), request: HealthCheckRequest(service: "50"),
                as: HealthCheckResponse.self)
            {
                received.append(message.uptimeSeconds)
            }
            #expect(received == Array(0..<50))

            var beforeFailure = 0
            let failure = await failureCode {
                for try await _ in client.serverStreaming(
                    .path("/noproof.v1.Test/Count"), request: HealthCheckRequest(service: "fail"),
                    as: HealthCheckResponse.self)
                {
                    beforeFailure += 1
                }
            }
            #expect(beforeFailure == 1)
            #expect(failure == .dataLoss)
            await client.close()
        }
    }

    /// Issue 16: `noproof verify-request watch` died after the CLI's 10-second default timeout.
    /// A stream carries no deadline unless the call gives one; unary calls keep the default.
    @Test func streamsCarryNoDefaultDeadline() async throws {
        try await withTestServer { _, port in
            var configuration = NoProofClient.Configuration(port: port)
            configuration.credential = ("test-unit", "test-secret")
            configuration.defaultTimeout = .seconds(10)
            let client = try await NoProofClient.connect(configuration)
            var seen: [String] = []
            for try await message in client.serverStreaming(
                .path("/noproof.v1.Test/Count"), request: HealthCheckRequest(service: "deadline"),
                as: HealthCheckResponse.self)
            {
                seen.append(message.serverName)
            }
            #expect(seen == ["none"])
            seen = []
            for try await message in client.serverStreaming(
                .path("/noproof.v1.Test/Count"), request: HealthCheckRequest(service: "deadline"),
                as: HealthCheckResponse.self, timeout: .seconds(60))
            {
                seen.append(message.serverName)
            }
            #expect(seen == ["set"])
            await client.close()
        }
    }

    @Test func callbackMethodsAnswerFromAnyThreadOrAtOnce() async throws {
        try await withTestServer { _, port in
            let client = try await Self.client(port)
            for argument in ["0", "20"] {
                let answer = try await client.unary(.id(105), request: HealthCheckRequest(service: argument), as: HealthCheckResponse.self)
                #expect(answer.serverName == argument)
            }
            #expect(
                await failureCode {
                    _ = try await client.unary(.id(105), request: HealthCheckRequest(service: "x"), as: HealthCheckResponse.self)
                } == .invalidArgument)
            await client.close()
        }
    }

    @Test func unexpectedErrorsAreInternalWithoutDetails() async throws {
        try await withTestServer { _, port in
            let client = try await Self.client(port)
            do {
                _ = try await client.unary(.path("/noproof.v1.Test/Crash"), request: HealthCheckRequest(), as: HealthCheckResponse.self)
                Issue.record("no error")
            } catch let error as RPCError {
                #expect(error.code == .internal)
                #expect(!error.message.contains("Unexpected"))
            }
            await client.close()
        }
    }

    @Test func gracefulShutdownLetsCallsInProgressFinish() async throws {
        let server = NoProofServer(
            configuration: {
                var c = ServerConfiguration(); c.port = 0; return c
            }(),
            registry: TestServices.registry(), authenticator: TestServices.authenticator, logger: TestServices.logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.listeningAddress().port!
            let client = try await Self.client(port)
            let tag = "400-\(UInt64.random(in: 0 ... .max))"
            let slow = Task {
                try await client.unary(.path("/noproof.v1.Test/Sleep"), request: HealthCheckRequest(service: tag), as: HealthCheckResponse.self)
            }
            // Shut down once the server has started this call (a fixed pause raced it on a loaded machine).
            while !TestServices.sleepsStarted.withLock({ $0.contains(tag) }) { try await Task.sleep(for: .milliseconds(5)) }
            server.beginGracefulShutdown()
            #expect(try await slow.value.serverName == tag)
            // The drained connection takes no new calls, and the server is gone.
            #expect(await failureCode { _ = try await client.health() } == .unavailable)
            try await group.waitForAll()
            #expect(await failureCode { _ = try await Self.client(port, authenticated: false) } == .unavailable)
        }
    }
}
