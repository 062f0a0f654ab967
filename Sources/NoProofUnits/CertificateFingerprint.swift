import Crypto
import Foundation
package import NoProofDomain

/// The SHA-256 fingerprint of an X.509 certificate (over its DER bytes), as 64 lowercase hex
/// digits: how a unit's client certificate is registered on a credential for mutual TLS.
package enum CertificateFingerprint {
    /// The fingerprint of a DER-encoded certificate.
    package static func sha256(der: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Array(der)).map { String(format: "%02x", $0) }.joined()
    }

    /// The fingerprint of the first certificate in PEM text.
    /// - Throws: `ValidationError` on `certificate` when there is no PEM certificate.
    package static func sha256(pem: String) throws(ValidationError) -> String {
        let begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----"
        guard let start = pem.range(of: begin), let stop = pem.range(of: end, range: start.upperBound..<pem.endIndex),
            let der = Data(base64Encoded: pem[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }),
            !der.isEmpty
        else {
            throw ValidationError(field: "certificate", reason: "no PEM certificate (-----BEGIN CERTIFICATE-----) found")
        }
        return sha256(der: der)
    }

    /// Normalises a fingerprint as given by a person (any case, optional ':' separators, as
    /// `openssl x509 -fingerprint -sha256` prints it).
    /// - Throws: `ValidationError` on `field` unless it is 32 bytes of hex.
    package static func normalised(_ text: String, field: String = "certificate_sha256") throws(ValidationError) -> String {
        let hex = text.lowercased().filter { $0 != ":" }
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
            throw ValidationError(field: field, reason: "expected the certificate's SHA-256 fingerprint as 64 hex digits, got '\(text.prefix(100))'")
        }
        return hex
    }
}
