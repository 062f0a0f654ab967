import Foundation
import Testing
@testable import NoProofSeals

@Suite("Seals")
struct SealTests {
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("noproof-seals-\(UUID().uuidString)")
    }

    @Test func singleSealVerifiesAndAFlippedByteDoesNot() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyring = try SealKeyring.openOrCreate(directory: directory)
        let body = Array("证明 body bytes".utf8)
        let seal = keyring.seal(body, kind: SealKind.dataSharing)
        let verifier = SealVerifier(keys: keyring.publicKeys)
        #expect(try verifier.verify(body: body, seal: seal, kind: SealKind.dataSharing).kind == .dataSharing)
        for index in body.indices {
            var tampered = body
            tampered[index] ^= 0x01
            #expect(throws: SealError.self) { try verifier.verify(body: tampered, seal: seal) }
        }
        var badSignature = seal
        badSignature.signature[0] ^= 0x80
        #expect(throws: SealError.self) { try verifier.verify(body: body, seal: badSignature) }
    }

    @Test func theOtherSealKindIsRefusedWhenOneIsRequired() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyring = try SealKeyring.openOrCreate(directory: directory)
        let seal = keyring.seal([1, 2, 3], kind: .verification)
        let verifier = SealVerifier(keys: keyring.publicKeys)
        #expect(throws: SealError.self) { try verifier.verify(body: [1, 2, 3], seal: seal, kind: SealKind.dataSharing) }
        #expect(throws: SealError.self) { try SealVerifier(keys: []).verify(body: [1, 2, 3], seal: seal) }
        #expect(keyring.publicKey(.dataSharing).id != keyring.publicKey(.verification).id)
    }

    @Test(arguments: [2, 3, 5, 8, 13, 17])
    func everyProofOfABatchVerifiesWithOneSignature(size: Int) throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyring = try SealKeyring.openOrCreate(directory: directory)
        let bodies = (0..<size).map { Array("proof \($0)".utf8) }
        let seals = keyring.sealBatch(bodies, kind: SealKind.dataSharing)
        #expect(Set(seals.map(\.signature)).count == 1)
        let verifier = SealVerifier(keys: keyring.publicKeys)
        for (body, seal) in zip(bodies, seals) {
            try verifier.verify(body: body, seal: seal)
            // Another proof's body does not fit this proof's path.
            #expect(throws: SealError.self) { try verifier.verify(body: bodies[(Int(seal.leafIndex) + 1) % size], seal: seal) }
        }
        var wrongIndex = seals[0]
        wrongIndex.leafIndex = UInt32(size - 1)
        #expect(throws: SealError.self) { try verifier.verify(body: bodies[0], seal: wrongIndex) }
        var shortPath = seals[size - 1]
        shortPath.path.removeLast()
        #expect(throws: SealError.self) { try verifier.verify(body: bodies[size - 1], seal: shortPath) }
    }

    @Test func keysPersistAcrossRestartsWithOwnerOnlyPermissions() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try SealKeyring.openOrCreate(directory: directory)
        let second = try SealKeyring.openOrCreate(directory: directory)
        #expect(first.publicKeys == second.publicKeys)
        for kind in SealKind.allCases {
            let path = directory.appendingPathComponent("\(kind.rawValue).key.json").path
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber
            #expect(mode.intValue & 0o777 == 0o600)
        }
        // A proof sealed before the restart verifies with the keys published after it.
        let seal = first.seal([9], kind: SealKind.dataSharing)
        try SealVerifier(keys: second.publicKeys).verify(body: [9], seal: seal)
    }

    @Test func aKeyFileReadableByOthersIsRefused() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try SealKeyring.openOrCreate(directory: directory)
        let path = directory.appendingPathComponent("data-sharing.key.json").path
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        do {
            _ = try SealKeyring.openOrCreate(directory: directory)
            Issue.record("opened a world-readable key")
        } catch {
            #expect(error.reason.contains("chmod 600"))
        }
    }

    @Test func aGroupReadableKeyFileIsRefusedNamingTheFileAndTheChmod() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try SealKeyring.openOrCreate(directory: directory)
        let path = directory.appendingPathComponent("verification.key.json").path
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        #expect {
            _ = try SealKeyring.openOrCreate(directory: directory)
        } throws: { error in
            let reason = (error as? SealError)?.reason ?? ""
            return reason.contains(path) && reason.contains("chmod 600 \(path)") && reason.contains("640")
        }
    }

    @Test func aSealFolderOthersCanEnterIsRefused() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try SealKeyring.openOrCreate(directory: directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        #expect {
            _ = try SealKeyring.openOrCreate(directory: directory)
        } throws: { error in
            let reason = (error as? SealError)?.reason ?? ""
            return reason.contains("seal key folder") && reason.contains("chmod 700 \(directory.path)")
        }
        // Fixed as the message says, it opens again.
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        _ = try SealKeyring.openOrCreate(directory: directory)
    }

    @Test func publishedKeysNeverCarryThePrivateKey() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyring = try SealKeyring.openOrCreate(directory: directory)
        for kind in SealKind.allCases {
            let file = directory.appendingPathComponent("\(kind.rawValue).key.json")
            let stored = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
            let privateKey = Array(Data(base64Encoded: stored["privateKey"] as! String)!)
            let published = keyring.publicKey(kind)
            #expect(published.publicKey != privateKey)
            let text = "\(published)"
            #expect(!text.contains(stored["privateKey"] as! String))
            #expect(published.publicKey.count == 32 && privateKey.count == 32)
        }
    }
}

@Suite("MerkleTree")
struct MerkleTreeTests {
    @Test(arguments: Array(1...33))
    func bottomUpPathsLeadToTheRecursiveRoot(size: Int) {
        let leaves = (0..<size).map { MerkleTree.leafHash(Array("leaf \($0)".utf8)) }
        let root = MerkleTree.root(leaves[...])
        for (index, path) in MerkleTree.paths(leaves).enumerated() {
            #expect(MerkleTree.root(leaf: leaves[index], index: UInt32(index), size: UInt32(size), path: path) == root)
        }
    }

    /// A proof sealed before a rotation verifies afterwards with the published keys (the retired
    /// key with the end of its validity); the new key seals from then on; the old private key is gone.
    @Test func aProofSealedBeforeARotationStillVerifies() throws {
        let directory = SealTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = try SealKeyring.openOrCreate(directory: directory)
        let body = Array("sealed before the rotation".utf8)
        let seal = before.seal(body, kind: SealKind.dataSharing)
        let rotation = try SealKeyring.rotate(directory: directory, kind: SealKind.dataSharing, reason: "test")
        let after = try SealKeyring.openOrCreate(directory: directory)
        #expect(after.currentKeys.first { $0.kind == SealKind.dataSharing }?.id == rotation.new.id)
        #expect(try SealVerifier(keys: after.publicKeys).verify(body: body, seal: seal, kind: SealKind.dataSharing).id == rotation.old.id)
        let newSeal = after.seal(body, kind: SealKind.dataSharing)
        #expect(newSeal.keyID == rotation.new.id)
        #expect(try SealVerifier(keys: after.publicKeys).verify(body: body, seal: newSeal).id == rotation.new.id)
        // Only the public half of the old key is kept.
        let retired = try String(contentsOf: directory.appendingPathComponent("retired/\(rotation.old.id).pub.json"), encoding: .utf8)
        #expect(!retired.contains("privateKey"))
    }
}
