import Crypto

/// Checks seals against published keys, offline.
package struct SealVerifier: Sendable {
    private let keys: [String: SealPublicKey]

    package init(keys: [SealPublicKey]) {
        self.keys = Dictionary(keys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The key that sealed `body`, or why the seal does not hold. `kind` requires a given seal.
    @discardableResult
    package func verify(body: [UInt8], seal: Seal, kind: SealKind? = nil) throws(SealError) -> SealPublicKey {
        guard let key = keys[seal.keyID] else {
            throw SealError("unknown seal key '\(seal.keyID)'; fetch the published keys (GetSealKeys)")
        }
        if let kind, key.kind != kind {
            throw SealError("sealed with the \(key.kind.rawValue) seal, expected the \(kind.rawValue) seal")
        }
        let publicKey: Curve25519.Signing.PublicKey
        do {
            publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey)
        } catch {
            throw SealError("published key '\(key.id)' is not an Ed25519 public key")
        }
        let signed: [UInt8]
        if seal.path.isEmpty, seal.batchSize <= 1 {
            signed = body
        } else {
            guard
                let root = MerkleTree.root(
                    leaf: MerkleTree.leafHash(body), index: seal.leafIndex,
                    size: seal.batchSize, path: seal.path)
            else {
                throw SealError("the batch inclusion path is malformed")
            }
            signed = Seal.batchDomain + root
        }
        guard publicKey.isValidSignature(seal.signature, for: signed) else {
            throw SealError("the seal does not match the proof: it was altered or not sealed by key '\(key.id)'")
        }
        return key
    }
}
