import Crypto
import Foundation
import Testing
@testable import NoProofSeals

/// RFC 9162 inclusion and consistency proofs over trees of every small size, checked against the
/// tree built directly, and refused when any hash, index or size is wrong.
@Suite("Merkle proofs (RFC 9162)")
struct MerkleProofTests {
    static func leaves(_ count: Int) -> [[UInt8]] {
        (0..<count).map { MerkleTree.leafHash(Array("entry \($0)".utf8)) }
    }

    /// MTH(D[start:end]) straight from the definition.
    static func subtree(_ leaves: [[UInt8]], _ start: UInt64, _ end: UInt64) -> [UInt8] {
        if start == end { return MerkleTree.emptyRoot }
        return MerkleTree.root(leaves[Int(start)..<Int(end)])
    }

    @Test func theFrontierGivesTheTreesRootAtEverySize() {
        let all = Self.leaves(70)
        var frontier = MerkleFrontier()
        #expect(frontier.root == MerkleTree.emptyRoot)
        for (index, leaf) in all.enumerated() {
            frontier.append(leaf: leaf)
            #expect(frontier.root == MerkleTree.root(all[0...index]), "size \(index + 1)")
        }
    }

    @Test func inclusionProofsVerifyAndWrongOnesDoNot() {
        let all = Self.leaves(40)
        for size in 1...UInt64(all.count) {
            let root = Self.subtree(all, 0, size)
            for index in 0..<size {
                let path = MerkleTree.inclusionPath(index: index, size: size) { Self.subtree(all, $0, $1) }
                #expect(MerkleTree.root(leaf: all[Int(index)], index: index, size: size, path: path) == root)
                // Another leaf or another index does not give the root (the size is bound by the signed head).
                let other = all[Int((index + 1) % UInt64(all.count))]
                #expect(MerkleTree.root(leaf: other, index: index, size: size, path: path) != root)
                if size > 1 {
                    #expect(MerkleTree.root(leaf: all[Int(index)], index: (index + 1) % size, size: size, path: path) != root)
                }
            }
        }
    }

    @Test func consistencyProofsVerifyForEveryPairAndFailForAnotherHistory() {
        let all = Self.leaves(40)
        var rewritten = all
        rewritten[5] = MerkleTree.leafHash(Array("rewritten".utf8))
        for second in 1...UInt64(all.count) {
            let secondRoot = Self.subtree(all, 0, second)
            for first in 1...second {
                let firstRoot = Self.subtree(all, 0, first)
                let proof = MerkleTree.consistencyProof(first: first, second: second) { Self.subtree(all, $0, $1) }
                #expect(
                    MerkleTree.verifyConsistency(first: first, second: second, firstRoot: firstRoot, secondRoot: secondRoot, proof: proof),
                    "\(first) -> \(second)")
                // A log that rewrote leaf 5 cannot prove it extends a head taken before (or after) the rewrite.
                if first > 5 {
                    let forged = MerkleTree.consistencyProof(first: first, second: second) { Self.subtree(rewritten, $0, $1) }
                    #expect(
                        !MerkleTree.verifyConsistency(
                            first: first, second: second, firstRoot: firstRoot,
                            secondRoot: Self.subtree(rewritten, 0, second), proof: forged))
                }
            }
        }
    }

    @Test func aSignedTreeHeadVerifiesOnlyWithItsKeyAndUnchanged() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("noproof-audit-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try AuditSigningKey.openOrCreate(directory: directory)
        let head = key.sign(treeSize: 42, root: Self.subtree(Self.leaves(42), 0, 42), timestampMillis: 1_800_000_000_000)
        #expect(head.verifies(publicKey: key.publicKey))
        let parsed = try #require(SignedTreeHead(jsonLine: head.jsonLine))
        #expect(parsed == head)
        var bigger = head
        bigger.treeSize = 41
        #expect(!bigger.verifies(publicKey: key.publicKey))
        var later = head
        later.timestampMillis += 1
        #expect(!later.verifies(publicKey: key.publicKey))
        // The same key file is read back; another key does not verify the head.
        #expect(try AuditSigningKey.load(directory: directory).keyID == key.keyID)
        let other = Curve25519.Signing.PrivateKey()
        #expect(!head.verifies(publicKey: Array(other.publicKey.rawRepresentation)))
    }
}
