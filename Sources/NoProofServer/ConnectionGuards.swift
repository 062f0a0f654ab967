package import NIOCore

/// What the connections of a server share to defend it as a whole: the connection caps, the
/// memory quota, the authentication throttle and the rate limits of their warnings. One per
/// process when several listeners serve (noproofd's plain and TLS ports share theirs).
package final class ConnectionGuards: Sendable {
    package let admission: ConnectionAdmission
    package let memory: MemoryQuota?
    package let throttle: AuthenticationThrottle?
    /// Rate limits of the warnings: connections refused, memory quota reached, accept failing.
    let refusedLog = RateLimitedLog()
    let memoryLog = RateLimitedLog()
    let acceptLog = RateLimitedLog()

    package init(admission: ConnectionAdmission, memory: MemoryQuota?, throttle: AuthenticationThrottle?) {
        self.admission = admission
        self.memory = memory
        self.throttle = throttle
    }

    /// The guards `configuration` asks for.
    package convenience init(configuration: ServerConfiguration, now: @escaping @Sendable () -> NIODeadline = { .now() }) {
        self.init(
            admission: ConnectionAdmission(
                maxConnections: configuration.maxConnections,
                maxConnectionsPerSource: configuration.maxConnectionsPerSource),
            memory: configuration.memoryQuotaBytes.map { MemoryQuota(limit: $0) },
            throttle: configuration.authenticationThrottle.map { AuthenticationThrottle(policy: $0, now: now) }
        )
    }
}
