import Crypto
package import Foundation

/// The audit key: an Ed25519 key that signs the audit log's tree heads and nothing else (a seal
/// key never signs a head, so a head cannot be passed off as a proof or the reverse). Kept as
/// `audit-log.key.json` in the seal folder, owner-only, created at first start.
package final class AuditSigningKey: Sendable {
    package static let fileName = "audit-log.key.json"

    private struct KeyFile: Codable {
        var kind: String
        var createdAtMillis: Int64
        var privateKey: String
    }

    private let key: Curve25519.Signing.PrivateKey
    /// `audit-` and the first 16 hex digits of SHA-256 over the public key.
    package let keyID: String
    /// Raw 32-byte Ed25519 public key: publish it (`noproof audit head` prints it) so that
    /// witnesses and citizens can check heads without trusting the server's files.
    package let publicKey: [UInt8]
    package let createdAtMillis: Int64

    private init(key: Curve25519.Signing.PrivateKey, createdAtMillis: Int64) {
        self.key = key
        self.publicKey = Array(key.publicKey.rawRepresentation)
        self.keyID = Self.keyID(publicKey: publicKey)
        self.createdAtMillis = createdAtMillis
    }

    package static func keyID(publicKey: [UInt8]) -> String {
        "audit-" + SHA256.hash(data: publicKey).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    package static func fileExists(in directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(fileName).path)
    }

    /// Signs a head of the tree of `treeSize` leaves with root `root`.
    package func sign(treeSize: UInt64, root: [UInt8], timestampMillis: Int64) -> SignedTreeHead {
        let bytes = SignedTreeHead.signedBytes(treeSize: treeSize, timestampMillis: timestampMillis, root: root)
        // Signing fails only for a malformed key, which loading has ruled out.
        let signature = Array(try! key.signature(for: bytes))
        return SignedTreeHead(treeSize: treeSize, timestampMillis: timestampMillis, root: root, keyID: keyID, signature: signature)
    }

    /// Opens the key in `directory` (the seal folder, which must exist and be owner-only), creating it when absent.
    package static func openOrCreate(directory: URL, now: Date = Date()) throws(SealError) -> AuditSigningKey {
        let file = directory.appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: file.path) { return try load(file) }
        return try create(file, now: now)
    }

    /// Reads the key without creating one (offline verification).
    package static func load(directory: URL) throws(SealError) -> AuditSigningKey {
        try load(directory.appendingPathComponent(fileName))
    }

    private static func load(_ file: URL) throws(SealError) -> AuditSigningKey {
        try SealKeyring.checkOwnerOnly(file.path, what: "audit key", chmod: "600")
        do {
            let stored = try JSONDecoder().decode(KeyFile.self, from: Data(contentsOf: file))
            guard stored.kind == "audit-log", let raw = Data(base64Encoded: stored.privateKey) else {
                throw SealError("\(file.path) is not an audit key file")
            }
            return AuditSigningKey(key: try Curve25519.Signing.PrivateKey(rawRepresentation: raw), createdAtMillis: stored.createdAtMillis)
        } catch let error as SealError {
            throw error
        } catch {
            throw SealError("audit key \(file.path) is unreadable: \(error)")
        }
    }

    private static func create(_ file: URL, now: Date) throws(SealError) -> AuditSigningKey {
        let key = Curve25519.Signing.PrivateKey()
        let created = Int64(now.timeIntervalSince1970 * 1000)
        let stored = KeyFile(kind: "audit-log", createdAtMillis: created, privateKey: key.rawRepresentation.base64EncodedString())
        guard let data = try? JSONEncoder().encode(stored) else { throw SealError("cannot encode the audit key") }
        try SealKeyring.writeNewKeyFile(file, data: data)
        return AuditSigningKey(key: key, createdAtMillis: created)
    }
}
