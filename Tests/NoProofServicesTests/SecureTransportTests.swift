import NoProofAudit
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import NoProofClient
import NoProofCodec
import NoProofMessages
import NoProofProtocol
import NoProofServer
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import Testing
@testable import NoProofServices

/// TLS, mutual TLS and revocation over real sockets: a plain loopback listener and a TLS
/// listener (mutual TLS when the environment says so) share one registry, one store-backed
/// `UnitCredentialAuthenticator` and one `LiveSessions`, as `noproofd --tls-…` runs them.
/// Certificates are made in-process (`TestCertificates`).
@Suite("TLS, mutual TLS and revocation over loopback")
struct SecureTransportTests {
    static let water = UnitDemoData.water.code.value
    static let bank = UnitDemoData.bank.code.value

    struct Environment: Sendable {
        let plainPort: Int
        let tlsPort: Int
        let pki: TestCertificates
        let sessions: LiveSessions

        /// A plain-TCP client authenticated with the fixed credential `id` (secret "secret").
        func plain(_ id: String? = nil) async throws -> NoProofClient {
            try await NoProofClient.connect(.init(port: plainPort, credential: id.map { ($0, "secret") }))
        }

        /// A TLS client trusting `trust` (default: the test CA), presenting `identity` if given.
        func tls(
            trust: TestCertificates? = nil, identity: TestCertificates.Identity? = nil,
            credential: (String, String)? = nil, serverName: String? = nil
        ) async throws -> NoProofClient {
            var configuration = NoProofClient.Configuration(port: tlsPort, credential: credential)
            configuration.tls = try ClientTLSConfiguration(
                trustRoots: [(trust ?? pki).caCertificate], certificateChain: identity.map { [$0.certificate] } ?? [],
                privateKey: identity?.key, serverName: serverName
            )
            return try await NoProofClient.connect(configuration)
        }

        /// The task force (fixed credential over plain loopback) registers `identity` for the water company.
        func register(_ identity: TestCertificates.Identity, unit: String = SecureTransportTests.water) async throws -> APICredentialInfo {
            let taskForce = try await plain("taskforce/supervisor-0001")
            let issued = try await taskForce.issueCredential(
                unitCode: unit, label: "mTLS", certificateSHA256: CertificateFingerprint.sha256(der: identity.der), staff: "supervisor-0001"
            )
            await taskForce.close()
            #expect(issued.secret.isEmpty, "a certificate credential never gets a secret")
            return issued.credential!
        }

        func revoke(_ credentialID: String) async throws {
            let taskForce = try await plain("taskforce/supervisor-0001")
            _ = try await taskForce.revokeCredential(id: credentialID, reason: "系统下线", staff: "supervisor-0001")
            await taskForce.close()
        }
    }

    static func withEnvironment(mutualTLS: Bool, _ body: @Sendable (Environment) async throws -> Void) async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-tls")
        defer { temporary.remove() }
        let directory = temporary.url
        let pki = try TestCertificates()
        let serverIdentity = try pki.server()
        let units = try SQLiteUnitStore(directory: directory)
        _ = try await UnitDemoSeeding.seed(into: units)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let sessions = LiveSessions()
        var registry = RPCRegistry()
        let audit = try AuditLog(directory: directory)
        let gate = AccessGate(store: units, limits: nil, audit: audit, logger: quiet)
        UnitService(store: units, gate: gate, audit: audit, credentialRounds: 1_000, logger: quiet, sessions: sessions).register(in: &registry)
        let fixed = FixedCredentials.make([
            ("taskforce", UnitDemoData.taskForce), ("water", UnitDemoData.water), ("bank", UnitDemoData.bank),
        ])
        let authenticator = UnitCredentialAuthenticator(store: units, fixed: fixed)
        var plainConfiguration = ServerConfiguration()
        plainConfiguration.port = 0
        plainConfiguration.shutdownGracePeriod = .milliseconds(300)
        var tlsConfiguration = plainConfiguration
        tlsConfiguration.tls = try ServerTLSConfiguration(
            certificateChain: [serverIdentity.certificate], privateKey: serverIdentity.key,
            clientCA: mutualTLS ? [pki.caCertificate] : nil
        )
        let plain = NoProofServer(
            configuration: plainConfiguration, registry: registry, authenticator: authenticator,
            logger: quiet, sessions: sessions)
        let secure = NoProofServer(
            configuration: tlsConfiguration, registry: registry, authenticator: authenticator,
            logger: quiet, sessions: sessions)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await plain.run() }
            group.addTask { try await secure.run() }
            let environment = Environment(
                plainPort: try await plain.listeningAddress().port!,
                tlsPort: try await secure.listeningAddress().port!, pki: pki, sessions: sessions)
            do {
                try await body(environment)
            } catch {
                plain.beginGracefulShutdown()
                secure.beginGracefulShutdown()
                throw error
            }
            plain.beginGracefulShutdown()
            secure.beginGracefulShutdown()
            try await group.waitForAll()
        }
        try units.close()
    }

    // MARK: TLS

    @Test("over TLS a client that trusts the CA checks health and authenticates with a credential")
    func tlsWithCredential() async throws {
        try await Self.withEnvironment(mutualTLS: false) { env in
            let client = try await env.tls(credential: ("water", "secret"))
            #expect(try await client.health().status == .serving)
            #expect(client.session?.unitCode == Self.water)
            #expect(try await client.unit(code: Self.water).code == Self.water)
            await client.close()
            // By name as well as by IP address.
            let named = try await env.tls(serverName: "localhost")
            #expect(try await named.health().status == .serving)
            await named.close()
        }
    }

    @Test("a client refuses a server whose certificate another CA signed")
    func clientRefusesUntrustedServer() async throws {
        try await Self.withEnvironment(mutualTLS: false) { env in
            let stranger = try TestCertificates(name: "Some other CA")
            let untrusted = await failure { _ = try await env.tls(trust: stranger) }
            #expect(untrusted?.code == .unavailable)
            #expect(untrusted?.message.contains("TLS handshake") == true, "\(String(describing: untrusted))")
            // The server keeps serving.
            let client = try await env.tls()
            #expect(try await client.health().status == .serving)
            await client.close()
        }
    }

    @Test("plain bytes on the TLS port fail that connection only")
    func plainBytesOnTLSPort() async throws {
        try await Self.withEnvironment(mutualTLS: false) { env in
            var configuration = NoProofClient.Configuration(port: env.tlsPort)
            configuration.connectTimeout = .seconds(5)
            configuration.defaultTimeout = .seconds(5)
            let refused = await failure { _ = try await NoProofClient.connect(configuration) }
            #expect(refused != nil)
            let client = try await env.tls()
            #expect(try await client.health().status == .serving)
            await client.close()
        }
    }

    // MARK: Mutual TLS

    @Test("mutual TLS: a registered client certificate authenticates the unit without a secret")
    func registeredCertificateAuthenticates() async throws {
        try await Self.withEnvironment(mutualTLS: true) { env in
            let identity = try env.pki.client("demo-water")
            let credential = try await env.register(identity)
            #expect(credential.certificateSha256 == CertificateFingerprint.sha256(der: identity.der))
            let client = try await env.tls(identity: identity)
            // GetUnit needs an authenticated connection: the certificate is enough.
            #expect(try await client.unit(code: Self.bank).code == Self.bank)
            #expect(env.sessions.count(credentialID: credential.credentialID) == 1)
            // The certificate speaks for the water company only: task force methods stay refused.
            let denied = await failure { _ = try await client.credentials(of: Self.water) }
            #expect(denied?.code == .permissionDenied)
            await client.close()
            // One certificate, one credential; a malformed fingerprint names the field.
            let taskForce = try await env.plain("taskforce/supervisor-0001")
            let again = await failure {
                _ = try await taskForce.issueCredential(
                    unitCode: Self.bank, certificateSHA256: credential.certificateSha256.uppercased(),
                    staff: "supervisor-0001")
            }
            #expect(again?.code == .alreadyExists, "\(String(describing: again))")
            let malformed = await failure {
                _ = try await taskForce.issueCredential(unitCode: Self.bank, certificateSHA256: "12:34", staff: "supervisor-0001")
            }
            #expect(malformed?.code == .invalidArgument && malformed?.message.contains("certificate_sha256") == true)
            await taskForce.close()
        }
    }

    @Test("mutual TLS: a certificate from an unknown CA is refused at the handshake; others are unaffected")
    func unknownCARefusedAtHandshake() async throws {
        try await Self.withEnvironment(mutualTLS: true) { env in
            let registered = try env.pki.client("demo-water")
            _ = try await env.register(registered)
            let good = try await env.tls(identity: registered)
            let stranger = try TestCertificates(name: "Rogue CA").client("demo-water")
            let refused = await failure {
                let client = try await env.tls(identity: stranger)
                _ = try await client.unit(code: Self.water)
            }
            #expect(refused?.code == .unavailable, "\(String(describing: refused))")
            let anonymous = await failure {
                let client = try await env.tls()
                _ = try await client.health()
            }
            #expect(anonymous != nil, "mutual TLS requires a client certificate")
            // The connection opened before keeps working.
            #expect(try await good.unit(code: Self.water).code == Self.water)
            await good.close()
        }
    }

    @Test("mutual TLS: a certificate the CA signed but nobody registered is refused with UNAUTHENTICATED")
    func unregisteredCertificateRefused() async throws {
        try await Self.withEnvironment(mutualTLS: true) { env in
            let identity = try env.pki.client("demo-water")
            let refused = await failure { _ = try await env.tls(identity: identity) }
            #expect(refused?.code == .unauthenticated)
            #expect(refused?.message.contains("not registered") == true, "\(String(describing: refused))")
        }
    }

    @Test("mutual TLS: revoking the certificate's credential closes its open session and refuses new ones")
    func revokedCertificate() async throws {
        try await Self.withEnvironment(mutualTLS: true) { env in
            let identity = try env.pki.client("demo-water")
            let other = try env.pki.client("demo-bank")
            let credential = try await env.register(identity)
            _ = try await env.register(other, unit: Self.bank)
            let live = try await env.tls(identity: identity)
            let bystander = try await env.tls(identity: other)
            #expect(try await live.unit(code: Self.water).code == Self.water)

            try await env.revoke(credential.credentialID)

            let next = await failure { _ = try await live.unit(code: Self.water) }
            #expect(next?.code == .unauthenticated, "\(String(describing: next))")
            #expect(next?.message.contains("revoked") == true)
            let again = await failure { _ = try await env.tls(identity: identity) }
            #expect(again?.code == .unauthenticated)
            #expect(again?.message.contains("was revoked") == true, "\(String(describing: again))")
            // Another unit's session is untouched.
            #expect(try await bystander.unit(code: Self.bank).code == Self.bank)
            await bystander.close()
        }
    }

    // MARK: Revocation of secret credentials

    @Test("revoking a credential ends the sessions already authenticated with it, on the next call")
    func revocationReachesLiveSessions() async throws {
        try await Self.withEnvironment(mutualTLS: false) { env in
            let taskForce = try await env.plain("taskforce/supervisor-0001")
            let issued = try await taskForce.issueCredential(unitCode: Self.water, label: "营业厅", staff: "supervisor-0001")
            let id = issued.credential!.credentialID
            var configuration = NoProofClient.Configuration(port: env.plainPort, credential: (id, issued.secret))
            let live = try await NoProofClient.connect(configuration)
            configuration.port = env.tlsPort
            configuration.tls = try ClientTLSConfiguration(trustRoots: [env.pki.caCertificate])
            let liveOverTLS = try await NoProofClient.connect(configuration)
            let bystander = try await env.plain("bank")
            #expect(try await live.unit(code: Self.water).code == Self.water)
            #expect(env.sessions.count(credentialID: id) == 2)

            _ = try await taskForce.revokeCredential(id: id, reason: "设备遗失", staff: "supervisor-0001")

            for client in [live, liveOverTLS] {
                let next = await failure { _ = try await client.unit(code: Self.water) }
                #expect(next?.code == .unauthenticated, "\(String(describing: next))")
                #expect(next?.message.contains("revoked") == true && next?.message.contains("设备遗失") == true)
            }
            #expect(env.sessions.count(credentialID: id) == 0)
            #expect(try await bystander.unit(code: Self.bank).code == Self.bank)
            let reconnect = await failure { _ = try await NoProofClient.connect(.init(port: env.plainPort, credential: (id, issued.secret))) }
            #expect(reconnect?.code == .unauthenticated)
            await bystander.close()
            await taskForce.close()
        }
    }

    // MARK: Key files

    @Test("noproofd's TLS files: a key others can read is refused naming the chmod; owner-only files load")
    func tlsKeyFileMustBeOwnerOnly() throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-tls-files")
        defer { temporary.remove() }
        let directory = temporary.url
        let pki = try TestCertificates()
        let server = try pki.server()
        let certificate = directory.appendingPathComponent("server.pem").path
        let key = directory.appendingPathComponent("server.key").path
        let ca = directory.appendingPathComponent("ca.pem").path
        try server.pem.write(toFile: certificate, atomically: true, encoding: .utf8)
        try server.keyPEM.write(toFile: key, atomically: true, encoding: .utf8)
        try pki.caPEM.write(toFile: ca, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        #expect {
            _ = try ServerTLSConfiguration.load(certificateFile: certificate, keyFile: key, clientCAFile: ca)
        } throws: { error in
            "\(error)".contains("chmod 600 \(key)") && "\(error)".contains("644")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let loaded = try ServerTLSConfiguration.load(certificateFile: certificate, keyFile: key, clientCAFile: ca)
        #expect(loaded.requiresClientCertificate)
        // A key that is not the certificate's is refused with the pairing named.
        try (try pki.client("x")).keyPEM.write(toFile: key, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        #expect(throws: TLSFileError.self) {
            _ = try ServerTLSConfiguration.load(certificateFile: certificate, keyFile: key, clientCAFile: nil)
        }
    }
}
