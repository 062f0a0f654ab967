import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A throw-away PKI made in the test process (P-256 keys, swift-certificates): a CA, a server
/// certificate for 127.0.0.1 and localhost, and client certificates for units. No private key
/// is ever read from or written to the repository.
struct TestCertificates {
    struct Identity {
        let certificate: NIOSSLCertificate
        let key: NIOSSLPrivateKey
        /// The certificate as PEM (what `noproof credential issue --cert` reads).
        let pem: String
        let der: [UInt8]
        /// The private key as PKCS#8 PEM (only ever written to temporary files by tests).
        let keyPEM: String
    }

    let caCertificate: NIOSSLCertificate
    let caPEM: String
    private let caKey: P256.Signing.PrivateKey
    private let caName: DistinguishedName

    init(name: String = "NoProof test CA") throws {
        let key = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400),
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key)
        )
        let der = try Self.der(certificate)
        self.caKey = key
        self.caName = caName
        self.caCertificate = try NIOSSLCertificate(bytes: der, format: .der)
        self.caPEM = try certificate.serializeAsPEM().pemString
    }

    /// A server certificate valid for 127.0.0.1 and localhost.
    func server() throws -> Identity {
        try issue(
            commonName: "noproofd", usage: .serverAuth,
            names: [.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
    }

    /// A unit's client certificate.
    func client(_ commonName: String) throws -> Identity {
        try issue(commonName: commonName, usage: .clientAuth, names: [])
    }

    private func issue(commonName: String, usage: ExtendedKeyUsage.Usage, names: [GeneralName]) throws -> Identity {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(commonName) }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400),
            issuer: caName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([usage])
                if !names.isEmpty { SubjectAlternativeNames(names) }
            },
            issuerPrivateKey: .init(caKey)
        )
        let der = try Self.der(certificate)
        return Identity(
            certificate: try NIOSSLCertificate(bytes: der, format: .der),
            key: try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem),
            pem: try certificate.serializeAsPEM().pemString, der: der, keyPEM: key.pemRepresentation
        )
    }

    private static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}
