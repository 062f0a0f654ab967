import Crypto

/// What the server states about a proof's current status (GetProofStatus), in the exact byte
/// encoding its data-sharing seal key signs (docs/PROTOCOL.md, "GetProofStatus"):
///
///     "noproof.proof-status.v1" 0x00
///     bytes(proof_digest) string(proof_serial) string(licence_id) u32(proof_version)
///     string(status) u32(current_version) i64(changed_at_millis) string(reason) i64(checked_at_millis)
///
/// where `string`/`bytes` is a 4-byte big-endian length then the (UTF-8) bytes, `u32` 4 bytes and
/// `i64` 8 bytes big-endian (two's complement). The tag starts with "n" (0x6E: protobuf field 13,
/// wire type 6, which does not exist), so a statement never parses as a proof body, and it differs
/// from the batch prefix (`Seal.batchDomain`): a status signature cannot pass for a seal.
package struct ProofStatusStatement: Hashable, Sendable {
    package static let domain: [UInt8] = Array("noproof.proof-status.v1".utf8) + [0]

    /// SHA-256 of the proof's body.
    package var proofDigest: [UInt8]
    package var proofSerial: String
    package var licenceID: String
    package var proofVersion: UInt32
    package var status: String
    package var currentVersion: UInt32
    package var changedAtMillis: Int64
    package var reason: String
    package var checkedAtMillis: Int64

    package init(
        proofDigest: [UInt8], proofSerial: String, licenceID: String, proofVersion: UInt32, status: String,
        currentVersion: UInt32, changedAtMillis: Int64, reason: String, checkedAtMillis: Int64
    ) {
        self.proofDigest = proofDigest
        self.proofSerial = proofSerial
        self.licenceID = licenceID
        self.proofVersion = proofVersion
        self.status = status
        self.currentVersion = currentVersion
        self.changedAtMillis = changedAtMillis
        self.reason = reason
        self.checkedAtMillis = checkedAtMillis
    }

    /// The SHA-256 digest of a proof body, as `proofDigest` holds it.
    package static func digest(ofBody body: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: body))
    }

    /// The bytes signed.
    package var signedBytes: [UInt8] {
        var out = Self.domain
        func u32(_ value: UInt32) { withUnsafeBytes(of: value.bigEndian) { out += $0 } }
        func i64(_ value: Int64) { withUnsafeBytes(of: value.bigEndian) { out += $0 } }
        func bytes(_ value: [UInt8]) {
            u32(UInt32(truncatingIfNeeded: value.count))
            out += value
        }
        bytes(proofDigest)
        bytes(Array(proofSerial.utf8))
        bytes(Array(licenceID.utf8))
        u32(proofVersion)
        bytes(Array(status.utf8))
        u32(currentVersion)
        i64(changedAtMillis)
        bytes(Array(reason.utf8))
        i64(checkedAtMillis)
        return out
    }

    /// Signs the statement with the keyring's data-sharing key.
    package func sign(with keyring: SealKeyring) -> Seal {
        keyring.seal(signedBytes, kind: .dataSharing)
    }

    /// Checks `signature` by key `keyID` among `keys`: it must be a data-sharing key and the
    /// signature must be over exactly this statement; returns the key.
    @discardableResult
    package func verify(keyID: String, signature: [UInt8], keys: [SealPublicKey]) throws(SealError) -> SealPublicKey {
        do {
            return try SealVerifier(keys: keys).verify(body: signedBytes, seal: Seal(keyID: keyID, signature: signature), kind: .dataSharing)
        } catch {
            throw SealError("the status answer's signature does not hold: \(error.reason)")
        }
    }
}
