import Foundation
import Logging
import NIOCore
import NoProofClient
import NoProofCodec
import NoProofProtocol
import NoProofServer
import NoProofTestSupport
import NoProofUnits
import NoProofUnitStore
import Testing
@testable import NoProofServices

/// Authenticate floods over a real socket against the store-backed authenticator with real
/// PBKDF2 (210,000 rounds): the slow hash runs on its own bounded pool, unknown ids cost what a
/// wrong secret does, and an authenticated unit's calls complete meanwhile (issue 14).
@Suite("Authenticate floods over the socket")
struct AuthenticationFloodTests {
    static func withServer(
        verifications: CredentialVerificationPool, throttle: Bool,
        _ body: @Sendable (_ port: Int, _ credential: (id: String, secret: String)) async throws -> Void
    ) async throws {
        try await AccessGateTests.withStore { store, _ in
            let (credential, secret) = try Credential.issue(
                unitCode: UnitDemoData.water.code, label: "flood", issuedBy: "supervisor-0001",
                issuedAt: Date(), expiresAt: Date().addingTimeInterval(3600))
            try await store.insertCredential(credential)
            var quiet = Logger(label: "test")
            quiet.logLevel = .critical
            var configuration = ServerConfiguration.forTests
            if !throttle { configuration.authenticationThrottle = nil }
            let authenticator = UnitCredentialAuthenticator(store: store, verifications: verifications)
            let server = NoProofServer(configuration: configuration, registry: RPCRegistry(), authenticator: authenticator, logger: quiet)
            try await withRunningServer(server) { port in
                try await body(port, (credential.id, secret))
            }
        }
    }

    /// The status each of `attempts` concurrent authentications on `client` ended with.
    static func flood(_ client: NoProofClient, _ attempts: [(String, String)]) async -> [StatusCode] {
        await withTaskGroup(of: StatusCode.self) { group in
            for (id, secret) in attempts {
                group.addTask {
                    do {
                        _ = try await client.authenticate(credentialID: id, secret: secret)
                        return .ok
                    } catch let error as RPCError {
                        return error.code
                    } catch {
                        return .unknown
                    }
                }
            }
            var codes: [StatusCode] = []
            for await code in group { codes.append(code) }
            return codes
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aFloodOfWrongSecretsIsRefusedWhileAnAuthenticatedUnitIsServed() async throws {
        let verifications = CredentialVerificationPool(threads: 2, maxQueued: 2)
        try await Self.withServer(verifications: verifications, throttle: true) { port, credential in
            let unit = try await NoProofClient.connect(.init(port: port, credential: credential))
            let attackers = try await withThrowingTaskGroup(of: NoProofClient.self) { group in
                for _ in 0..<4 { group.addTask { try await NoProofClient.connect(.init(port: port)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // 4 connections x 32 wrong secrets, while the unit makes 50 calls one after another.
            async let refused = withTaskGroup(of: [StatusCode].self) { group in
                for attacker in attackers {
                    group.addTask { await Self.flood(attacker, Array(repeating: (credential.id, "wrong"), count: 32)) }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            var served = 0
            for _ in 0..<50 {
                _ = try await unit.listMethods()
                served += 1
            }
            let codes = await refused
            #expect(served == 50)
            #expect(codes.count == 128)
            #expect(!codes.contains(.ok))
            // Wrong secrets are answered UNAUTHENTICATED until the throttle and the pool refuse.
            #expect(codes.contains(.unauthenticated))
            #expect(codes.contains { $0 == .resourceExhausted || $0 == .unavailable })
            #expect(codes.allSatisfy { [.unauthenticated, .resourceExhausted, .unavailable].contains($0) })
            // The unit is still served, and a fresh connection with the right secret authenticates.
            _ = try await unit.listMethods()
            await unit.close()
            for attacker in attackers { await attacker.close() }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func unknownCredentialIDsCostAPBKDF2CheckLikeAWrongSecret() async throws {
        // One thread, no queue: if unknown ids are hashed (as wrong secrets are), concurrent
        // attempts find the pool busy; if they were answered at once, none would.
        let verifications = CredentialVerificationPool(threads: 1, maxQueued: 0)
        try await Self.withServer(verifications: verifications, throttle: false) { port, credential in
            let client = try await NoProofClient.connect(.init(port: port))
            let unknown = (0..<8).map { ("cred_unknown\($0)", "whatever") }
            let codes = await Self.flood(client, unknown)
            #expect(codes.contains(.unavailable))
            #expect(codes.contains(.unauthenticated))
            #expect(verifications.refused > 0)
            // The same for wrong secrets of a real id; and the right one still works.
            let wrong = await Self.flood(client, Array(repeating: (credential.id, "wrong"), count: 8))
            #expect(wrong.contains(.unavailable))
            _ = try await client.authenticate(credentialID: credential.id, secret: credential.secret)
            await client.close()
        }
    }
}
