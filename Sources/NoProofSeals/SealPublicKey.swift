/// A published seal key: what anyone needs to verify proofs offline.
package struct SealPublicKey: Hashable, Sendable {
    package var id: String
    package var kind: SealKind
    /// Raw 32-byte Ed25519 public key.
    package var publicKey: [UInt8]
    package var validFromMillis: Int64
    /// 0 = no end.
    package var validToMillis: Int64

    package init(id: String, kind: SealKind, publicKey: [UInt8], validFromMillis: Int64, validToMillis: Int64 = 0) {
        self.id = id
        self.kind = kind
        self.publicKey = publicKey
        self.validFromMillis = validFromMillis
        self.validToMillis = validToMillis
    }
}
