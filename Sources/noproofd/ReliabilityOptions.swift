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

    @Option(name: .customLong("max-pending-answer-bytes"),
            help: "Answer bytes a connection may leave unread before it is closed (default 8388608).")
    var maxPendingAnswerBytes: Int?

    @Option(name: .customLong("max-calls-in-progress"),
            help: "Calls in progress on the whole server before new ones are shed with UNAVAILABLE (default 16384; 0: no limit).")
    var maxCallsInProgress: Int?

    @Option(name: .customLong("max-audit-queue-depth"),
            help: "Lookups waiting for the audit trail before new ones are shed with UNAVAILABLE (default 1024; 0: no limit).")
    var maxAuditQueueDepth: Int?

    @Option(name: .customLong("max-audit-queue-age-ms"),
            help: "Milliseconds the oldest waiting lookup may have waited before new ones are shed (default 250; 0: no limit).")
    var maxAuditQueueAgeMillis: Int?

    @Flag(name: .customLong("no-overload-shedding"), help: "Never shed calls for overload (for comparison runs).")
    var noOverloadShedding = false

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
    }

    func overloadPolicy(file: DaemonConfiguration) throws -> OverloadPolicy {
        if noOverloadShedding { return .off }
        let depth = maxAuditQueueDepth ?? file.maxAuditQueueDepth ?? OverloadPolicy.standard.maxQueueDepth!
        let age = maxAuditQueueAgeMillis ?? file.maxAuditQueueAgeMillis ?? Int(OverloadPolicy.millis(OverloadPolicy.standard.maxQueueAge!))
        guard depth >= 0, age >= 0 else { throw ValidationError("--max-audit-queue-depth and --max-audit-queue-age-ms must not be negative") }
        return OverloadPolicy(maxQueueDepth: depth == 0 ? nil : depth, maxQueueAge: age == 0 ? nil : .milliseconds(age))
    }
}
