/// The seal of one electronic proof: who signed (key id) and the signature; for a proof sealed
/// in a batch, also its place in the batch's Merkle tree and the sibling hashes up to the root.
package struct Seal: Hashable, Sendable {
    package var keyID: String
    package var signature: [UInt8]
    package var leafIndex: UInt32
    package var batchSize: UInt32
    /// Empty for a proof sealed on its own (the signature is over the body itself).
    package var path: [[UInt8]]

    package init(keyID: String, signature: [UInt8], leafIndex: UInt32 = 0, batchSize: UInt32 = 0, path: [[UInt8]] = []) {
        self.keyID = keyID
        self.signature = signature
        self.leafIndex = leafIndex
        self.batchSize = batchSize
        self.path = path
    }

    /// Prefix of the message signed for a batch: the prefix, then the 32-byte Merkle root.
    package static let batchDomain: [UInt8] = Array("NOPROOF-MERKLE-1".utf8)
}
