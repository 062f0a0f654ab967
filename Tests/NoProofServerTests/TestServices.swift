import Synchronization
import Foundation
import Logging
import NIOCore
import NIOPosix
import NoProofCodec
import NoProofProtocol
import NoProofTestSupport
@testable import NoProofServer

/// Methods used only by tests. Requests and answers reuse the Health messages:
/// the request's `service` string carries the argument.
enum TestServices {
    static let echo = MethodDescriptor(
        service: "noproof.v1.Test", method: "Echo", id: 100,
        requestType: "noproof.v1.HealthCheckRequest", responseType: "noproof.v1.HealthCheckResponse")
    /// The requests ("MILLISECONDS" or "MILLISECONDS-TAG") of the Sleep calls servers have started:
    /// a test waits for its own tag to know its call is in progress (tests run in parallel).
    static let sleepsStarted = Mutex<Set<String>>([])
    static let sleep = MethodDescriptor(
        service: "noproof.v1.Test", method: "Sleep", id: 101,
        requestType: "noproof.v1.HealthCheckRequest", responseType: "noproof.v1.HealthCheckResponse")
    static let count = MethodDescriptor(
        service: "noproof.v1.Test", method: "Count", id: 102, kind: .serverStreaming,
        requestType: "noproof.v1.HealthCheckRequest", responseType: "noproof.v1.HealthCheckResponse")
    static let forever = MethodDescriptor(
        service: "noproof.v1.Test", method: "Forever", id: 103,
        requestType: "noproof.v1.HealthCheckRequest", responseType: "noproof.v1.HealthCheckResponse",
        requiresAuthentication: false)
    static let crash = MethodDescriptor(
        service: "noproof.v1.Test", method: "Crash", id: 104,
        requestType: "noproof.v1.HealthCheckRequest", responseType: "noproof.v1.HealthCheckResponse")

    static let later = MethodDescriptor(
        service: "noproof.v1.Test", method: "Later", id: 105,
        requestType: "noproof.v1.HealthCheckRequest", responseType: "noproof.v1.HealthCheckResponse")

    /// Answers a `service` string of as many bytes as the request asks (for the answer-size cap).
    static let big = MethodDescriptor(
        service: "noproof.v1.Test", method: "Big", id: 106,
        requestType: "noproof.v1.HealthCheckRequest", responseType: "noproof.v1.HealthCheckResponse",
        requiresAuthentication: false)

    /// Later calls whose `service` is "held-TAG:PADDING" answer (echoing it) from another thread
    /// only once the test calls `releaseHeld("held-TAG")`: calls surely all running, whatever
    /// the load, before their answers come. The held calls waiting, by tag; released tags answer at once.
    private static let heldCalls = Mutex<(waiting: [String: [@Sendable () -> Void]], released: Set<String>)>(([:], []))

    /// Answers every held call of `tag`, those waiting and those still to come, from another thread.
    static func releaseHeld(_ tag: String) {
        let waiting = heldCalls.withLock { state in
            state.released.insert(tag)
            return state.waiting.removeValue(forKey: tag) ?? []
        }
        DispatchQueue.global().async { for respond in waiting { respond() } }
    }

    /// How many held calls of `tag` are waiting.
    static func heldCount(_ tag: String) -> Int {
        heldCalls.withLock { $0.waiting[tag]?.count ?? 0 }
    }

    struct Unexpected: Error {}

    /// `cancelled` receives the argument of every Forever call whose task was cancelled.
    static func registry(cancelled: AsyncStream<String>.Continuation? = nil) -> RPCRegistry {
        var registry = RPCRegistry()
        registry.inline(echo, HealthCheckRequest.self, HealthCheckResponse.self) { request, context in
            HealthCheckResponse(status: .serving, serverName: request.service, serverVersion: context.staff ?? "")
        }
        registry.unary(sleep, HealthCheckRequest.self, HealthCheckResponse.self) { request, _ in
            sleepsStarted.withLock { _ = $0.insert(request.service) }
            let milliseconds = Int(request.service.prefix { $0 != "-" }) ?? 0
            try await Task.sleep(for: .milliseconds(milliseconds))
            return HealthCheckResponse(status: .serving, serverName: request.service)
        }
        registry.serverStreaming(count, HealthCheckRequest.self, HealthCheckResponse.self) { request, context, writer in
            if request.service == "deadline" {
                // Whether the caller set a deadline on the stream ("none" or "set").
                try await writer.send(HealthCheckResponse(status: .serving, serverName: context.deadline == nil ? "none" : "set"))
                return
            }
            if request.service == "fail" {
                try await writer.send(HealthCheckResponse(status: .serving, uptimeSeconds: 1))
                throw RPCError(.dataLoss, "stream broke after one message")
            }
            for index in 0..<(UInt64(request.service) ?? 0) {
                try await writer.send(HealthCheckResponse(status: .serving, uptimeSeconds: index))
            }
        }
        registry.unary(forever, HealthCheckRequest.self, HealthCheckResponse.self) { request, _ in
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled?.yield(request.service)
                throw error
            }
            return HealthCheckResponse(status: .serving)
        }
        registry.unary(crash, HealthCheckRequest.self, HealthCheckResponse.self) { _, _ in
            throw Unexpected()
        }
        // Answers from another thread after the given milliseconds ("0": synchronously, "x": error).
        registry.callback(later, HealthCheckRequest.self, HealthCheckResponse.self) { request, _, respond in
            if request.service.hasPrefix("held-") {
                let tag = String(request.service.prefix { $0 != ":" })
                let answer = HealthCheckResponse(status: .serving, serverName: request.service)
                let now = heldCalls.withLock { state in
                    if state.released.contains(tag) { return true }
                    state.waiting[tag, default: []].append { respond(.success(answer)) }
                    return false
                }
                if now { respond(.success(answer)) }
                return
            }
            guard let milliseconds = Int(request.service) else { throw RPCError(.invalidArgument, "not a number") }
            let answer = HealthCheckResponse(status: .serving, serverName: request.service)
            if milliseconds == 0 {
                respond(.success(answer))
            } else {
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { respond(.success(answer)) }
            }
        }
        registry.unary(big, HealthCheckRequest.self, HealthCheckResponse.self) { request, _ in
            HealthCheckResponse(status: .serving, serverName: String(repeating: "x", count: Int(request.service) ?? 0))
        }
        return registry
    }

    static let credential = StaticCredentialAuthenticator.Credential(
        id: "test-unit", secret: "test-secret",
        unit: AuthenticatedUnit(unitCode: "11370400MB0000001R", unitName: "Test unit", credentialID: "test-unit")
    )

    static var authenticator: StaticCredentialAuthenticator { StaticCredentialAuthenticator([credential]) }

    /// Short grace period so that tests leaving calls open shut down quickly.
    static var configuration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.shutdownGracePeriod = .milliseconds(300)
        // A loaded machine (parallel tests, builds) may take seconds to authenticate; the
        // authentication deadline itself is tested with a short one (ConnectionHygieneTests).
        configuration.authenticationTimeout = .seconds(120)
        return configuration
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = ProcessInfo.processInfo.environment["NOPROOF_TEST_LOG"] == nil ? .critical : .trace
        return logger
    }
}

/// Runs a real server on 127.0.0.1 with a free port for the duration of `body`, then shuts it
/// down gracefully and waits for it to stop.
func withTestServer<R: Sendable>(
    configuration: ServerConfiguration = TestServices.configuration,
    cancelled: AsyncStream<String>.Continuation? = nil,
    authenticator: any Authenticator = TestServices.authenticator,
    guards: ConnectionGuards? = nil,
    _ body: @Sendable (NoProofServer, Int) async throws -> R
) async throws -> R {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = 0
    let server = NoProofServer(
        configuration: configuration, registry: TestServices.registry(cancelled: cancelled),
        authenticator: authenticator, logger: TestServices.logger, guards: guards)
    return try await withRunningServer(server) { port in try await body(server, port) }
}
