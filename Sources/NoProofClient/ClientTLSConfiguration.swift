package import NIOSSL

/// TLS towards the server: the CA that signed the server's certificate and, for mutual TLS,
/// the unit's client certificate and key (the certificate then authenticates the connection;
/// no credential secret is needed).
package struct ClientTLSConfiguration: Sendable {
    /// The context connections are made from (created once: file errors show before connecting).
    package let context: NIOSSLContext
    /// Name checked against the server's certificate (and sent as SNI); nil = check the
    /// address connected to (an IP address must then be in the certificate's IP SANs).
    package var serverName: String?
    /// Whether a client certificate is presented.
    package let presentsCertificate: Bool

    /// From certificates and a key in memory (tests, or after `load`).
    package init(
        trustRoots: [NIOSSLCertificate], certificateChain: [NIOSSLCertificate] = [],
        privateKey: NIOSSLPrivateKey? = nil, serverName: String? = nil
    ) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.trustRoots = .certificates(trustRoots)
        configuration.certificateVerification = .fullVerification
        if let privateKey, !certificateChain.isEmpty {
            configuration.certificateChain = certificateChain.map { .certificate($0) }
            configuration.privateKey = .privateKey(privateKey)
        }
        self.context = try NIOSSLContext(configuration: configuration)
        self.serverName = serverName
        self.presentsCertificate = privateKey != nil && !certificateChain.isEmpty
    }

    /// From PEM files, as `noproof --tls-ca [--tls-cert --tls-key] [--tls-server-name]` names them.
    package static func load(
        caFile: String, certificateFile: String? = nil, keyFile: String? = nil,
        serverName: String? = nil
    ) throws -> ClientTLSConfiguration {
        guard (certificateFile == nil) == (keyFile == nil) else {
            throw ClientTLSError("give both --tls-cert and --tls-key (a client certificate and its key), or neither")
        }
        let roots: [NIOSSLCertificate]
        do { roots = try NIOSSLCertificate.fromPEMFile(caFile) } catch {
            throw ClientTLSError("cannot read the CA certificate \(caFile) (\(error)); give the PEM certificate of the CA that signed the server's")
        }
        guard !roots.isEmpty else { throw ClientTLSError("\(caFile) holds no PEM certificate") }
        var chain: [NIOSSLCertificate] = []
        var key: NIOSSLPrivateKey?
        if let certificateFile, let keyFile {
            do { chain = try NIOSSLCertificate.fromPEMFile(certificateFile) } catch {
                throw ClientTLSError("cannot read the client certificate \(certificateFile) (\(error))")
            }
            guard !chain.isEmpty else { throw ClientTLSError("\(certificateFile) holds no PEM certificate") }
            do { key = try NIOSSLPrivateKey(file: keyFile, format: .pem) } catch {
                throw ClientTLSError("cannot read the client key \(keyFile) (\(error)); give the PEM key of \(certificateFile)")
            }
        }
        do {
            return try ClientTLSConfiguration(trustRoots: roots, certificateChain: chain, privateKey: key, serverName: serverName)
        } catch {
            throw ClientTLSError("cannot use the TLS files: \(error); is \(keyFile ?? "the key") the key of \(certificateFile ?? "the certificate")?")
        }
    }

    /// The SNI / verification name for `host`: the configured name, else the host unless it is an IP address.
    func hostname(for host: String) -> String? {
        if let serverName { return serverName }
        let isIPv4 = host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        return isIPv4 || host.contains(":") ? nil : host
    }
}
