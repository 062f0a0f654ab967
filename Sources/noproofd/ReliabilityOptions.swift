import ArgumentParser
import NIOCore
import NoProofServer
import NoProofServices

/// noproofd's limits against slow, hostile or too many peers (docs/RELIABILITY.md). A value of 0
/// turns a limit off where that is allowed.
struct ReliabilityOptions: ParsableArguments {
    @Option(name: .customLong("handshake-timeout"), help: "Seconds a new connection has to send its preface (default 10).")
    var handshakeTimeout: Int?

    @Option(name: .customLong("frame-timeout"), help: "Seconds a frame may take to arrive once its first byte has (default 30).")
    var frameTimeout: Int?

    @Option(
        name: .customLong("max-pending-answer-bytes"),
        help: "Answer bytes a connection may leave unread before it is closed (default 8388608).")
    var maxPendingAnswerBytes: Int?

    @Option(
        name: .customLong("max-calls-in-progress"),
        help: "Calls in progress on the whole server before new ones are shed with UNAVAILABLE (default 16384; 0: no limit).")
    var maxCallsInProgress: Int?

    @Option(
        name: .customLong("max-audit-queue-depth"),
        help: "Lookups waiting for the audit trail before new ones are shed with UNAVAILABLE (default 1024; 0: no limit).")
    var maxAuditQueueDepth: Int?

    @Option(
        name: .customLong("max-audit-queue-age-ms"),
        help: "Milliseconds the oldest waiting lookup may have waited before new ones are shed (default 250; 0: no limit).")
    var maxAuditQueueAgeMillis: Int?

    @Flag(name: .customLong("no-overload-shedding"), help: "Never shed calls for overload (for comparison runs).")
    var noOverloadShedding = false

    @Option(
        name: .customLong("max-connections"),
        help:
            "Open connections on the whole server; past it new ones get GOAWAY RESOURCE_EXHAUSTED (default: the file-descriptor limit minus \(FileDescriptorBudget.reserve); 0: no cap)."
    )
    var maxConnections: Int?

    @Option(
        name: .customLong("max-connections-per-source"),
        help: "Open connections from one IP address (default 1024; 0: no cap).")
    var maxConnectionsPerSource: Int?

    @Option(
        name: .customLong("authentication-timeout"),
        help: "Seconds a connection has to authenticate before GOAWAY UNAUTHENTICATED; PINGs and health checks do not extend it (default 10).")
    var authenticationTimeout: Int?

    @Option(
        name: .customLong("max-unauthenticated-frame-size"),
        help: "Largest frame payload before the connection authenticates (default 65536).")
    var maxUnauthenticatedFrameSize: Int?

    @Option(
        name: .customLong("memory-quota-bytes"),
        help: "Bytes of unfinished frames and unread answers the whole server may hold; a connection past it is closed (default 268435456; 0: none).")
    var memoryQuotaBytes: Int?

    @Option(name: .customLong("max-metadata-bytes"), help: "Call metadata bytes (keys and values) per call (default 8192).")
    var maxMetadataBytes: Int?

    @Option(
        name: .customLong("auth-failures-before-backoff"),
        help: "Failed authentications in a row per address and per credential id before each further attempt backs off, doubling (default 5; 0: no throttle).")
    var authFailuresBeforeBackoff: Int?

    @Option(name: .customLong("auth-max-backoff"), help: "Longest authentication backoff in seconds (default 60).")
    var authMaxBackoff: Int?

    @Option(
        name: .customLong("max-concurrent-credential-checks"),
        help: "PBKDF2 checks running at once, on their own threads (default 2).")
    var maxConcurrentCredentialChecks: Int?

    @Option(
        name: .customLong("max-queued-credential-checks"),
        help: "PBKDF2 checks waiting; beyond, Authenticate answers UNAVAILABLE (default 32).")
    var maxQueuedCredentialChecks: Int?

    func apply(to server: inout ServerConfiguration, file: DaemonConfiguration) throws {
        if let seconds = handshakeTimeout ?? file.handshakeTimeoutSeconds {
            guard seconds >= 1 else { throw ValidationError("--handshake-timeout must be at least 1 second") }
            server.handshakeTimeout = .seconds(Int64(seconds))
        }
        if let seconds = frameTimeout ?? file.frameTimeoutSeconds {
            guard seconds >= 1 else { throw ValidationError("--frame-timeout must be at least 1 second") }
            server.frameTimeout = .seconds(Int64(seconds))
        }
        if let bytes = maxPendingAnswerBytes ?? file.maxPendingAnswerBytes {
            guard bytes >= 64 * 1024 else { throw ValidationError("--max-pending-answer-bytes must be at least 65536") }
            server.maxPendingAnswerBytes = bytes
        }
        let calls = maxCallsInProgress ?? file.maxCallsInProgress ?? 16_384
        guard calls >= 0 else { throw ValidationError("--max-calls-in-progress must not be negative") }
        server.maxCallsInProgress = noOverloadShedding || calls == 0 ? nil : calls

        if let cap = maxConnections ?? file.maxConnections {
            guard cap >= 0 else { throw ValidationError("--max-connections must not be negative") }
            server.maxConnections = cap == 0 ? nil : cap
        }
        if let cap = maxConnectionsPerSource ?? file.maxConnectionsPerSource {
            guard cap >= 0 else { throw ValidationError("--max-connections-per-source must not be negative") }
            server.maxConnectionsPerSource = cap == 0 ? nil : cap
        }
        if let seconds = authenticationTimeout ?? file.authenticationTimeoutSeconds {
            guard seconds >= 1 else { throw ValidationError("--authentication-timeout must be at least 1 second") }
            server.authenticationTimeout = .seconds(Int64(seconds))
        }
        if let bytes = maxUnauthenticatedFrameSize ?? file.maxUnauthenticatedFrameSize {
            guard bytes >= 1024 else { throw ValidationError("--max-unauthenticated-frame-size must be at least 1024") }
            server.maxUnauthenticatedFramePayload = bytes
        }
        if let bytes = memoryQuotaBytes ?? file.memoryQuotaBytes {
            guard bytes == 0 || bytes >= 1024 * 1024 else { throw ValidationError("--memory-quota-bytes must be 0 or at least 1048576") }
            server.memoryQuotaBytes = bytes == 0 ? nil : bytes
        }
        if let bytes = maxMetadataBytes ?? file.maxMetadataBytes {
            guard bytes >= 256 else { throw ValidationError("--max-metadata-bytes must be at least 256") }
            server.maxMetadataBytes = bytes
        }
        if let failures = authFailuresBeforeBackoff ?? file.authFailuresBeforeBackoff {
            guard failures >= 0 else { throw ValidationError("--auth-failures-before-backoff must not be negative") }
            if failures == 0 { server.authenticationThrottle = nil } else { server.authenticationThrottle?.freeFailures = failures }
        }
        if let seconds = authMaxBackoff ?? file.authMaxBackoffSeconds {
            guard seconds >= 1 else { throw ValidationError("--auth-max-backoff must be at least 1 second") }
            server.authenticationThrottle?.maxBackoff = .seconds(Int64(seconds))
        }
    }

    /// Where credential secrets are checked (PBKDF2): its own threads and a bounded queue.
    func credentialChecks(file: DaemonConfiguration) throws -> CredentialVerificationPool {
        let threads = maxConcurrentCredentialChecks ?? file.maxConcurrentCredentialChecks ?? 2
        let queued = maxQueuedCredentialChecks ?? file.maxQueuedCredentialChecks ?? 32
        guard threads >= 1, queued >= 0 else {
            throw ValidationError("--max-concurrent-credential-checks must be at least 1, --max-queued-credential-checks not negative")
        }
        return CredentialVerificationPool(threads: threads, maxQueued: queued)
    }

    func overloadPolicy(file: DaemonConfiguration) throws -> OverloadPolicy {
        if noOverloadShedding { return .off }
        let depth = maxAuditQueueDepth ?? file.maxAuditQueueDepth ?? OverloadPolicy.standard.maxQueueDepth!
        let age = maxAuditQueueAgeMillis ?? file.maxAuditQueueAgeMillis ?? Int(OverloadPolicy.millis(OverloadPolicy.standard.maxQueueAge!))
        guard depth >= 0, age >= 0 else { throw ValidationError("--max-audit-queue-depth and --max-audit-queue-age-ms must not be negative") }
        return OverloadPolicy(maxQueueDepth: depth == 0 ? nil : depth, maxQueueAge: age == 0 ? nil : .milliseconds(age))
    }
}
