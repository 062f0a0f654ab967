import NIOCore
import NoProofClient
import NoProofCodec
import NoProofProtocol
import Testing
@testable import NoProofServer

/// The event-loop call API the load generator uses: `startUnary` from the connection's event loop,
/// completions there with the raw answer bytes or the failure.
@Suite("startUnary: calls started and completed on the client's event loop")
struct StartUnaryTests {
    typealias Outcome = Result<ByteBuffer, RPCError>

    /// Starts one call on the client's event loop and waits for its completion; also checks that
    /// the completion did not run before `startUnary` returned.
    static func call(
        _ client: NoProofClient, _ method: MethodAddress, _ argument: String, metadata: Metadata = [:],
        timeout: Duration? = nil
    ) async throws -> Outcome {
        let promise = client.eventLoop.makePromise(of: Outcome.self)
        client.eventLoop.execute {
            var returned = false
            client.startUnary(
                method, payload: ProtoCodec.encode(HealthCheckRequest(service: argument)), metadata: metadata,
                timeout: timeout
            ) { outcome in
                #expect(returned, "completion ran inside startUnary")
                #expect(client.eventLoop.inEventLoop)
                promise.succeed(outcome)
            }
            returned = true
        }
        return try await promise.futureResult.get()
    }

    static func answer(_ outcome: Outcome) throws -> HealthCheckResponse {
        try outcome.get().readableProto(as: HealthCheckResponse.self)
    }

    static func code(_ outcome: Outcome) -> StatusCode? {
        if case .failure(let error) = outcome { return error.code }
        return nil
    }

    @Test func answersComeBackAsRawBytes() async throws {
        try await withTestServer { _, port in
            let client = try await NoProofServerTests.client(port)
            let echoed = try Self.answer(try await Self.call(client, .id(100), "hello", metadata: ["staff": "agent-3"]))
            #expect(echoed.serverName == "hello")
            #expect(echoed.serverVersion == "agent-3")
            // By path, and answered from another thread on the server.
            #expect(try Self.answer(try await Self.call(client, .path("/noproof.v1.Test/Later"), "15")).serverName == "15")
            // With a deadline that is not reached: the answer, and the timer does no harm later.
            #expect(try Self.answer(try await Self.call(client, .id(101), "5", timeout: .seconds(2))).serverName == "5")
            await client.close()
        }
    }

    @Test func statusesComeBackAsRPCErrors() async throws {
        try await withTestServer { _, port in
            let client = try await NoProofServerTests.client(port)
            #expect(Self.code(try await Self.call(client, .id(9999), "")) == .unimplemented)
            #expect(Self.code(try await Self.call(client, .path("/noproof.v1.Health/Check"), "no.such.Service")) == .notFound)
            #expect(Self.code(try await Self.call(client, .id(105), "x")) == .invalidArgument)
            #expect(Self.code(try await Self.call(client, .path("/noproof.v1.Test/Crash"), "")) == .internal)
            // A status does not spoil the connection.
            #expect(try Self.answer(try await Self.call(client, .id(100), "still")).serverName == "still")
            await client.close()
        }
    }

    @Test func aTimeoutAbandonsTheCallAndTheServerStopsTheWork() async throws {
        let (cancelled, continuation) = AsyncStream<String>.makeStream()
        try await withTestServer(cancelled: continuation) { _, port in
            let client = try await NoProofServerTests.client(port)
            #expect(Self.code(try await Self.call(client, .id(103), "timer", timeout: .milliseconds(150))) == .deadlineExceeded)
            var iterator = cancelled.makeAsyncIterator()
            #expect(await iterator.next() == "timer")
            await client.close()
        }
    }

    @Test func abandoningACallCompletesItAndCancelsTheServerWork() async throws {
        let (cancelled, continuation) = AsyncStream<String>.makeStream()
        try await withTestServer(cancelled: continuation) { _, port in
            let client = try await NoProofServerTests.client(port)
            let promise = client.eventLoop.makePromise(of: Outcome.self)
            let started = try await client.eventLoop.submit {
                client.startUnary(.id(103), payload: ProtoCodec.encode(HealthCheckRequest(service: "abandon-me"))) { promise.succeed($0) }
            }.get()
            let callID = try #require(started)
            try await Task.sleep(for: .milliseconds(100))
            client.eventLoop.execute { client.abandonUnary(callID, because: RPCError(.cancelled, "enough")) }
            #expect(Self.code(try await promise.futureResult.get()) == .cancelled)
            var iterator = cancelled.makeAsyncIterator()
            #expect(await iterator.next() == "abandon-me")
            await client.close()
        }
    }

    @Test func callsInFlightFailWhenTheConnectionClosesAndLaterOnesFailToo() async throws {
        try await withTestServer { _, port in
            let client = try await NoProofServerTests.client(port)
            // Forever has no deadline here: only the closing connection ends it.
            let open = client.eventLoop.makePromise(of: Outcome.self)
            client.eventLoop.execute {
                client.startUnary(.id(103), payload: ProtoCodec.encode(HealthCheckRequest(service: "open"))) { open.succeed($0) }
            }
            try await Task.sleep(for: .milliseconds(100))
            await client.close()
            #expect(Self.code(try await open.futureResult.get()) == .unavailable)
            #expect(Self.code(try await Self.call(client, .id(100), "after close")) == .unavailable)
        }
    }

    @Test func encodedCallsChainedFromCompletionsAreAllAnswered() async throws {
        try await withTestServer { _, port in
            let client = try await NoProofServerTests.client(port)
            let arguments = (0..<40).map { "echo-\($0)" }
            let encoded = arguments.map { EncodedCall(.id(100), request: HealthCheckRequest(service: $0), deadline: .seconds(5)) }
            let done = client.eventLoop.makePromise(of: [String: Int].self)
            // 8 chains of 50 calls each, every next call started from the previous one's completion.
            client.eventLoop.execute {
                final class Tally {
                    var answered: [String: Int] = [:]
                    var started = 0
                    var finished = 0
                }
                let tally = Tally()
                func next(_ index: Int) {
                    let call = index % encoded.count
                    tally.started += 1
                    client.startUnary(encoded[call]) { outcome in
                        switch outcome {
                        case .success(let bytes):
                            let name = (try? bytes.readableProto(as: HealthCheckResponse.self).serverName) ?? "undecodable"
                            #expect(name == arguments[call])
                            tally.answered[name, default: 0] += 1
                        case .failure(let error):
                            tally.answered[error.code.name, default: 0] += 1
                        }
                        if index + 8 < 400 {
                            next(index + 8)
                        } else {
                            tally.finished += 1
                            if tally.finished == 8 { done.succeed(tally.answered) }
                        }
                    }
                }
                for chain in 0..<8 { next(chain) }
            }
            let answered = try await done.futureResult.get()
            #expect(answered.values.reduce(0, +) == 400)
            #expect(answered == Dictionary(uniqueKeysWithValues: arguments.map { ($0, 10) }))
            await client.close()
        }
    }
}
