import Foundation
package import NIOSSL
import NIOCore

/// TLS on a listener: the server's certificate chain and key, and — for mutual TLS — the CA
/// whose certificates clients must present. With a client CA the handshake requires a client
/// certificate signed by it (an unknown CA is refused there); the certificate then identifies
/// the unit through the credential it is registered on (`Authenticator.authenticate(clientCertificate:)`).
package struct ServerTLSConfiguration: Sendable {
    /// The context every connection's TLS handler is made from (created once: loading errors show at start).
    package let context: NIOSSLContext
    /// Whether clients must present a certificate from the client CA (mutual TLS).
    package let requiresClientCertificate: Bool

    /// From certificates and a key in memory (tests, or after `load`).
    /// - Parameter clientCA: trust roots for client certificates; nil = server-side TLS only.
    package init(
        certificateChain: [NIOSSLCertificate], privateKey: NIOSSLPrivateKey,
        clientCA: [NIOSSLCertificate]? = nil
    ) throws {
        var configuration: TLSConfiguration
        if let clientCA {
            configuration = .makeServerConfigurationWithMTLS(
                certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(privateKey),
                trustRoots: .certificates(clientCA)
            )
            // Tell clients which CA to pick a certificate from.
            configuration.sendCANameList = true
        } else {
            configuration = .makeServerConfiguration(
                certificateChain: certificateChain.map { .certificate($0) },
                privateKey: .privateKey(privateKey))
        }
        configuration.minimumTLSVersion = .tlsv12
        // A connection the server closes (GOAWAY, refusal) waits at most this long for the
        // peer's close_notify before the socket is closed anyway.
        configuration.shutdownTimeout = .seconds(1)
        self.context = try NIOSSLContext(configuration: configuration)
        self.requiresClientCertificate = clientCA != nil
    }

    /// From PEM files, as `noproofd --tls-cert --tls-key [--tls-client-ca]` names them. The key
    /// file must be owner-only (like the seal keys); every failure names the file and what to do.
    package static func load(certificateFile: String, keyFile: String, clientCAFile: String?) throws(TLSFileError) -> ServerTLSConfiguration {
        try OwnerOnlyFile.check(keyFile, what: "TLS private key")
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        var clientCA: [NIOSSLCertificate]?
        do { chain = try NIOSSLCertificate.fromPEMFile(certificateFile) } catch {
            throw TLSFileError("cannot read the TLS certificate \(certificateFile) (\(error)); give a PEM file with the server's certificate chain")
        }
        guard !chain.isEmpty else { throw TLSFileError("\(certificateFile) holds no PEM certificate") }
        do { key = try NIOSSLPrivateKey(file: keyFile, format: .pem) } catch {
            throw TLSFileError("cannot read the TLS private key \(keyFile) (\(error)); give the PEM key of \(certificateFile)")
        }
        if let clientCAFile {
            do { clientCA = try NIOSSLCertificate.fromPEMFile(clientCAFile) } catch {
                throw TLSFileError("cannot read the client CA \(clientCAFile) (\(error)); give the PEM certificate of the CA that signs unit certificates")
            }
            guard clientCA?.isEmpty == false else { throw TLSFileError("\(clientCAFile) holds no PEM certificate") }
        }
        do {
            return try ServerTLSConfiguration(certificateChain: chain, privateKey: key, clientCA: clientCA)
        } catch {
            throw TLSFileError("cannot use \(certificateFile) with \(keyFile): \(error); is the key the certificate's?")
        }
    }
}
