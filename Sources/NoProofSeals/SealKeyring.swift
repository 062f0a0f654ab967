import Crypto
package import Foundation

/// The server's seal keys, one per seal kind, kept in the data folder as owner-only files.
/// Keys are created at first start; a key file readable by anyone else is refused.
package final class SealKeyring: Sendable {
    private struct KeyFile: Codable {
        var kind: String
        var createdAtMillis: Int64
        var privateKey: String
    }

    /// A retired key's public half (`retired/KEY-ID.pub.json`): kept published so that proofs sealed
    /// before a rotation still verify; its private half is gone.
    private struct RetiredFile: Codable {
        var kind: String
        var id: String
        var publicKey: String
        var validFromMillis: Int64
        var validToMillis: Int64
        var reason: String
    }

    private let keys: [SealKind: (key: Curve25519.Signing.PrivateKey, published: SealPublicKey)]
    private let retired: [SealPublicKey]

    private init(keys: [SealKind: (key: Curve25519.Signing.PrivateKey, published: SealPublicKey)], retired: [SealPublicKey] = []) {
        self.keys = keys
        self.retired = retired
    }

    /// The keys sealing now, one per kind.
    package var currentKeys: [SealPublicKey] {
        SealKind.allCases.compactMap { keys[$0]?.published }
    }

    /// Every published key, for GetSealKeys and verifiers: the current ones and the retired ones
    /// (with the end of their validity), so proofs sealed before a rotation still verify.
    package var publicKeys: [SealPublicKey] {
        let current = currentKeys
        let ids = Set(current.map(\.id))
        return current + retired.filter { !ids.contains($0.id) }
    }

    package func publicKey(_ kind: SealKind) -> SealPublicKey { keys[kind]!.published }

    /// Seals one proof body: an Ed25519 signature over exactly these bytes.
    package func seal(_ body: [UInt8], kind: SealKind) -> Seal {
        let entry = keys[kind]!
        // Signing can only fail for a malformed key, which loading has ruled out.
        let signature = try! entry.key.signature(for: body)
        return Seal(keyID: entry.published.id, signature: Array(signature))
    }

    /// Seals many bodies with one signature over their Merkle root; each seal carries its path.
    package func sealBatch(_ bodies: [[UInt8]], kind: SealKind) -> [Seal] {
        if bodies.count == 1 { return [seal(bodies[0], kind: kind)] }
        let entry = keys[kind]!
        let leaves = bodies.map(MerkleTree.leafHash)
        let root = MerkleTree.root(leaves[...])
        let signature = Array(try! entry.key.signature(for: Seal.batchDomain + root))
        return MerkleTree.paths(leaves).enumerated().map { index, path in
            Seal(
                keyID: entry.published.id, signature: signature, leafIndex: UInt32(index),
                batchSize: UInt32(leaves.count), path: path)
        }
    }

    /// Opens the keys in `directory` (created 0700 if missing), creating missing ones.
    package static func openOrCreate(directory: URL, now: Date = Date()) throws(SealError) -> SealKeyring {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SealError("cannot create the seal key folder \(directory.path): \(error.localizedDescription)")
        }
        try checkOwnerOnly(directory.path, what: "seal key folder", chmod: "700")
        var keys: [SealKind: (key: Curve25519.Signing.PrivateKey, published: SealPublicKey)] = [:]
        for kind in SealKind.allCases {
            let file = directory.appendingPathComponent("\(kind.rawValue).key.json")
            if manager.fileExists(atPath: file.path) {
                keys[kind] = try load(file, kind: kind)
            } else {
                keys[kind] = try create(file, kind: kind, now: now)
            }
        }
        return SealKeyring(keys: keys, retired: try loadRetired(directory.appendingPathComponent("retired", isDirectory: true)))
    }

    private static func loadRetired(_ folder: URL) throws(SealError) -> [SealPublicKey] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var retired: [SealPublicKey] = []
        for name in names.sorted() where name.hasSuffix(".pub.json") {
            let file = folder.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: file), let stored = try? JSONDecoder().decode(RetiredFile.self, from: data),
                let kind = SealKind(rawValue: stored.kind), let raw = Data(base64Encoded: stored.publicKey), raw.count == 32
            else {
                throw SealError("retired seal key \(file.path) is unreadable; restore it from the seal folder's backup")
            }
            retired.append(
                SealPublicKey(
                    id: stored.id, kind: kind, publicKey: Array(raw), validFromMillis: stored.validFromMillis,
                    validToMillis: stored.validToMillis))
        }
        return retired
    }

    /// Replaces the `kind` key with a new one (an operator's audited act: `noproofd --rotate-seal-key`),
    /// in two steps so that the audit record of the intent can be written between them:
    /// `prepareRotation` creates the new key under a temporary name (nothing changes for the
    /// server); `completeRotation` keeps the old key's public half in `retired/` with the end of its
    /// validity (published with the others, so proofs it sealed still verify) and renames the new
    /// key over the old file, whose private half is so overwritten. A crash between the two leaves
    /// the old key in force.
    package static func prepareRotation(directory: URL, kind: SealKind, now: Date = Date()) throws(SealError)
        -> (old: SealPublicKey, new: SealPublicKey)
    {
        try checkOwnerOnly(directory.path, what: "seal key folder", chmod: "700")
        let file = directory.appendingPathComponent("\(kind.rawValue).key.json")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw SealError("there is no \(kind.rawValue) key to rotate in \(directory.path)")
        }
        let old = try load(file, kind: kind).published
        let temporary = rotationFile(directory, kind)
        try? FileManager.default.removeItem(at: temporary)
        let created = try create(temporary, kind: kind, now: now)
        return (old, created.published)
    }

    /// The second step of a rotation (see `prepareRotation`).
    package static func completeRotation(directory: URL, kind: SealKind, old: SealPublicKey, reason: String, now: Date = Date()) throws(SealError) {
        let retiredFolder = directory.appendingPathComponent("retired", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: retiredFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SealError("cannot create \(retiredFolder.path): \(error.localizedDescription)")
        }
        let ended = Int64(now.timeIntervalSince1970 * 1000)
        let record = RetiredFile(
            kind: kind.rawValue, id: old.id, publicKey: Data(old.publicKey).base64EncodedString(),
            validFromMillis: old.validFromMillis, validToMillis: ended, reason: reason)
        guard let data = try? JSONEncoder().encode(record) else { throw SealError("cannot encode the retired key") }
        let retiredFile = retiredFolder.appendingPathComponent("\(old.id).pub.json")
        if !FileManager.default.fileExists(atPath: retiredFile.path) { try writeNewKeyFile(retiredFile, data: data) }
        let file = directory.appendingPathComponent("\(kind.rawValue).key.json")
        guard Foundation.rename(rotationFile(directory, kind).path, file.path) == 0 else {
            throw SealError("cannot put the new \(kind.rawValue) key in place: \(String(cString: strerror(errno)))")
        }
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    /// Both steps at once (tests, tools without an audit trail).
    package static func rotate(directory: URL, kind: SealKind, reason: String, now: Date = Date()) throws(SealError)
        -> (old: SealPublicKey, new: SealPublicKey)
    {
        let keys = try prepareRotation(directory: directory, kind: kind, now: now)
        try completeRotation(directory: directory, kind: kind, old: keys.old, reason: reason, now: now)
        return keys
    }

    private static func rotationFile(_ directory: URL, _ kind: SealKind) -> URL {
        directory.appendingPathComponent(".\(kind.rawValue).key.json.new")
    }

    /// A key id: the first 16 hex digits of SHA-256 over the public key.
    static func keyID(_ publicKey: Curve25519.Signing.PublicKey, kind: SealKind) -> String {
        let digest = SHA256.hash(data: publicKey.rawRepresentation)
        return kind.rawValue + "-" + digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Refuses a key file or folder that its owner does not own alone: group or others may not
    /// read, write or enter it, and it must belong to the user the server runs as.
    static func checkOwnerOnly(_ path: String, what: String, chmod: String) throws(SealError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw SealError("cannot read the \(what) \(path): \(String(cString: strerror(errno)))")
        }
        let mode = Int(info.st_mode) & 0o777
        guard mode & 0o077 == 0 else {
            throw SealError(
                "the \(what) \(path) is accessible to group or others (mode \(String(mode, radix: 8))); refusing to start: run chmod \(chmod) \(path)")
        }
        guard info.st_uid == geteuid() else {
            throw SealError("the \(what) \(path) belongs to user \(info.st_uid), not to the server's user \(geteuid()); run: chown \(geteuid()) \(path)")
        }
    }

    private static func load(_ file: URL, kind: SealKind) throws(SealError) -> (key: Curve25519.Signing.PrivateKey, published: SealPublicKey) {
        try checkOwnerOnly(file.path, what: "seal key", chmod: "600")
        do {
            let stored = try JSONDecoder().decode(KeyFile.self, from: Data(contentsOf: file))
            guard stored.kind == kind.rawValue, let raw = Data(base64Encoded: stored.privateKey) else {
                throw SealError("seal key \(file.path) is not a \(kind.rawValue) key file")
            }
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
            return (
                key,
                SealPublicKey(
                    id: keyID(key.publicKey, kind: kind), kind: kind,
                    publicKey: Array(key.publicKey.rawRepresentation), validFromMillis: stored.createdAtMillis)
            )
        } catch let error as SealError {
            throw error
        } catch {
            throw SealError("seal key \(file.path) is unreadable: \(error)")
        }
    }

    private static func create(_ file: URL, kind: SealKind, now: Date) throws(SealError) -> (key: Curve25519.Signing.PrivateKey, published: SealPublicKey) {
        let key = Curve25519.Signing.PrivateKey()
        let created = Int64(now.timeIntervalSince1970 * 1000)
        let stored = KeyFile(kind: kind.rawValue, createdAtMillis: created, privateKey: key.rawRepresentation.base64EncodedString())
        let data: Data
        do {
            data = try JSONEncoder().encode(stored)
        } catch {
            throw SealError("cannot encode seal key: \(error)")
        }
        try writeNewKeyFile(file, data: data)
        return (
            key,
            SealPublicKey(
                id: keyID(key.publicKey, kind: kind), kind: kind,
                publicKey: Array(key.publicKey.rawRepresentation), validFromMillis: created)
        )
    }

    /// Writes a new key file owner-only from the first byte (O_EXCL: never overwrite a key), syncs
    /// it, then syncs its folder so the new name survives a power cut too.
    static func writeNewKeyFile(_ file: URL, data: Data) throws(SealError) {
        let fd = open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw SealError("cannot create key file \(file.path): \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = written == data.count && fsync(fd) == 0
        let error = errno
        close(fd)
        guard synced else { throw SealError("cannot write key file \(file.path): \(String(cString: strerror(error)))") }
        let folder = open(file.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }
}
