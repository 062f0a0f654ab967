import NIOCore
package import NoProofCodec
package import NoProofProtocol
import Logging

/// The methods every NoProof server offers: health checking, the method listing and
/// authentication. Their ids (1-3) are fixed by docs/PROTOCOL.md; their descriptors are generated
/// from Protos/health.proto, reflection.proto and session.proto.
package enum BuiltinServices {
    package static let healthCheck = HealthMethods.check
    package static let listMethods = ReflectionMethods.listMethods
    package static let authenticate = SessionMethods.authenticate

    /// Adds the built-in methods. Call after every other method is registered, so that the
    /// listing and the health check know them all.
    package static func register(
        in registry: inout RPCRegistry, configuration: ServerConfiguration,
        authenticator: any Authenticator, throttle: AuthenticationThrottle? = nil, startedAt: ContinuousClock.Instant = .now
    ) {
        // The listing and the services the health check knows, fixed at registration.
        var all = registry.methods.all + [healthCheck.descriptor, listMethods.descriptor, authenticate.descriptor]
        all.sort { $0.id < $1.id }
        let listing = ListMethodsResponse(methods: all)
        let services = Set(all.map(\.service))

        registry.inline(healthCheck, HealthCheckRequest.self, HealthCheckResponse.self) { request, _ in
            guard request.service.isEmpty || services.contains(request.service) else {
                throw RPCError(.notFound, "unknown service '\(request.service)'; known: \(services.sorted().joined(separator: ", "))")
            }
            let uptime = ContinuousClock.now - startedAt
            return HealthCheckResponse(
                status: .serving, serverName: configuration.serverName,
                serverVersion: configuration.serverVersion, uptimeSeconds: UInt64(max(0, uptime.components.seconds))
            )
        }
        registry.inline(listMethods, ListMethodsRequest.self, ListMethodsResponse.self) { _, _ in listing }
        registry.unary(authenticate, AuthenticateRequest.self, AuthenticateResponse.self) { request, context in
            guard !request.credentialID.isEmpty else {
                throw RPCError(.invalidArgument, "credential_id is empty")
            }
            // Backoff after repeated failures, per source address and per credential id; a
            // refused attempt checks no secret (so costs no PBKDF2) and is not counted.
            if let throttle, let refusal = throttle.check(source: context.sourceAddress, credentialID: request.credentialID) {
                context.logger.debug("authentication throttled", metadata: ["reason": "\(refusal.message)"])
                throw refusal
            }
            let unit: AuthenticatedUnit
            do throws(RPCError) {
                unit = try await authenticator.authenticate(credentialID: request.credentialID, secret: request.secret)
            } catch {
                if error.code == .unauthenticated { throttle?.failed(source: context.sourceAddress, credentialID: request.credentialID) }
                throw error
            }
            throttle?.succeeded(source: context.sourceAddress, credentialID: request.credentialID)
            context.session.authenticated(unit)
            context.logger.debug("authenticated", metadata: ["unit": "\(unit.unitCode)"])
            return AuthenticateResponse(unitCode: unit.unitCode, unitName: unit.unitName, expiresAt: unit.expiresAt)
        }
    }
}
