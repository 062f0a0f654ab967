package import NoProofDomain
import Crypto
import _CryptoExtras

/// A salted slow hash of a credential secret: PBKDF2-HMAC-SHA256 with a per-credential random
/// salt and a configurable number of rounds. The secret itself is never stored.
///
/// Stored form: `pbkdf2-sha256$<rounds>$<salt base64url>$<digest base64url>`.
package struct CredentialHash: Hashable, Sendable, CustomStringConvertible {
    /// Algorithm tag of the stored form.
    package static let algorithm = "pbkdf2-sha256"
    /// Default rounds for production (OWASP's floor for PBKDF2 is in the hundreds of thousands).
    package static let defaultRounds = 210_000
    /// Salt length in bytes.
    package static let saltByteCount = 16
    /// Digest length in bytes.
    package static let digestByteCount = 32

    /// PBKDF2 iteration count.
    package let rounds: Int
    /// Random salt.
    package let salt: [UInt8]
    /// Derived key.
    package let digest: [UInt8]

    /// Wraps parts of a stored hash.
    package init(rounds: Int, salt: [UInt8], digest: [UInt8]) {
        self.rounds = rounds
        self.salt = salt
        self.digest = digest
    }

    /// Hashes `secret` with a fresh random salt.
    /// - Parameter rounds: PBKDF2 iterations; tests may pass a low number, production uses
    ///   `defaultRounds` or more.
    package static func make(secret: String, rounds: Int = defaultRounds) -> CredentialHash {
        let salt = Base64URL.randomBytes(saltByteCount)
        return CredentialHash(rounds: rounds, salt: salt, digest: derive(secret: secret, salt: salt, rounds: rounds))
    }

    static func derive(secret: String, salt: [UInt8], rounds: Int) -> [UInt8] {
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: Array(secret.utf8), salt: salt, using: .sha256,
                outputByteCount: digestByteCount,
                unsafeUncheckedRounds: max(1, rounds))
            return key.withUnsafeBytes { Array($0) }
        } catch {
            // Only invalid parameters make PBKDF2 fail; those are fixed above. An empty result
            // never matches a stored digest.
            return []
        }
    }

    /// Whether `secret` hashes to this digest. The comparison takes the same time wherever the
    /// digests differ.
    package func matches(secret: String) -> Bool {
        let candidate = CredentialHash.derive(secret: secret, salt: salt, rounds: rounds)
        return CredentialHash.constantTimeEqual(candidate, digest)
    }

    /// Compares two byte strings in time that depends only on their lengths.
    package static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    /// The stored form.
    package var encoded: String {
        "\(CredentialHash.algorithm)$\(rounds)$\(Base64URL.encode(salt))$\(Base64URL.encode(digest))"
    }

    /// The stored form (never the secret).
    package var description: String { encoded }

    /// Parses the stored form.
    /// - Throws: `ValidationError` on `field` when the text is not a hash this version understands.
    package static func parse(_ text: String, field: String = "secret_hash") throws(ValidationError) -> CredentialHash {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == algorithm else {
            throw ValidationError(field: field, reason: "expected \(algorithm)$<rounds>$<salt>$<digest>")
        }
        guard let rounds = Int(parts[1]), rounds >= 1 else {
            throw ValidationError(field: field, reason: "rounds must be a positive integer, got \"\(parts[1])\"")
        }
        guard let salt = Base64URL.decode(parts[2]), !salt.isEmpty else {
            throw ValidationError(field: field, reason: "salt is not base64url")
        }
        guard let digest = Base64URL.decode(parts[3]), digest.count == digestByteCount else {
            throw ValidationError(field: field, reason: "digest must be \(digestByteCount) bytes of base64url")
        }
        return CredentialHash(rounds: rounds, salt: salt, digest: digest)
    }
}
