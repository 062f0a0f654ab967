import Crypto

/// The audit trail's hash encoding, apart from its storage: what a verifier outside the server
/// (the `noproof` CLI, a witness, the Python client) recomputes from a record and its
/// predecessor's hash, with no SQLite linked (docs/AUDIT.md).
///
///     chain_hash = SHA-256( previous (32 bytes)
///                         ‖ "noproof.audit.v1" as a field
///                         ‖ sequence  (8 bytes, big-endian two's complement)
///                         ‖ at_millis (8 bytes, big-endian two's complement)
///                         ‖ unit_code ‖ credential_id ‖ staff ‖ action ‖ item_code ‖ case_reference
///                         ‖ holder_id ‖ type_code ‖ licence_id ‖ result ‖ proof_serial
///                         [‖ "counterpart" ‖ counterpart_unit]   only when counterpart_unit is not empty )
///
/// where the tag and each text field are written as a field: its UTF-8 length (4 bytes, big-endian
/// unsigned) then its UTF-8 bytes. The record's Merkle leaf is SHA-256(0x00 ‖ chain_hash) (RFC 9162).
package enum AuditChainHash {
    /// The hash before the first record.
    package static let genesis = [UInt8](repeating: 0, count: 32)
    /// Domain separation: the first field of every record's encoding.
    package static let tag = "noproof.audit.v1"

    /// The chain hash of `record` (its `sequence` set) following `previous`.
    package static func hash(previous: [UInt8], record: AuditRecord) -> [UInt8] {
        var scratch: [UInt8] = []
        return hash(previous: previous, record: record, sequence: record.sequence, scratch: &scratch)
    }

    /// The chain hash of `record` about to get `sequence`, encoded into `scratch` (emptied first,
    /// capacity kept) instead of a new array per record.
    package static func hash(previous: [UInt8], record: AuditRecord, sequence: Int64, scratch bytes: inout [UInt8]) -> [UInt8] {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: previous)
        func field(_ text: String) {
            let count = UInt32(text.utf8.count)
            withUnsafeBytes(of: count.bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: text.utf8)
        }
        func integer(_ value: Int64) {
            withUnsafeBytes(of: UInt64(bitPattern: value).bigEndian) { bytes.append(contentsOf: $0) }
        }
        field(tag)
        integer(sequence)
        integer(record.atMillis)
        field(record.unitCode); field(record.credentialID); field(record.staff); field(record.action.rawValue)
        field(record.itemCode); field(record.caseReference); field(record.holderID); field(record.typeCode)
        field(record.licenceID); field(record.result.rawValue); field(record.proofSerial)
        if !record.counterpartUnit.isEmpty {
            field("counterpart")
            field(record.counterpartUnit)
        }
        return Array(SHA256.hash(data: bytes))
    }

    /// The Merkle leaf hash of a record's chain hash: SHA-256(0x00 ‖ chain_hash).
    package static func leaf(chainHash: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: chainHash)
        return Array(hasher.finalize())
    }
}
