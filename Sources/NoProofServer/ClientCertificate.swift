/// The certificate a client presented in a mutual-TLS handshake.
package struct ClientCertificate: Sendable, Hashable {
    /// The certificate in DER form (what its fingerprint is computed over).
    package var der: [UInt8]
    /// Its subject, for messages and logs.
    package var subject: String

    package init(der: [UInt8], subject: String) {
        self.der = der
        self.subject = subject
    }
}
