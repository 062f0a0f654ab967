import Crypto
import Foundation
import NoProofAuditChain
import Testing

/// The audit trail's hash encoding on its own, without a store (docs/AUDIT.md): what an outside
/// verifier recomputes. Each test writes the documented encoding by hand and compares.
@Suite("AuditChainHash")
struct AuditChainHashTests {
    static func record(counterpart: String = "") -> AuditRecord {
        var record = AuditRecord(
            atMillis: 1_793_462_400_123, unitCode: "91370400MA3C7WX81E", credentialID: "demo-water", staff: "agent-0001",
            action: .lookup, itemCode: "SW-KH-001", caseReference: "CASE-1", holderID: "370404199306107807", typeCode: "JMSFZ",
            licenceID: "1.2.156.3005.2.JMSFZ.X", result: .found, proofSerial: "PMX-1", counterpartUnit: counterpart)
        record.sequence = 42
        return record
    }

    /// The documented encoding, written out independently of `AuditChainHash`.
    static func specification(previous: [UInt8], _ record: AuditRecord) -> [UInt8] {
        var bytes = previous
        func field(_ text: String) {
            let utf8 = Array(text.utf8)
            let count = UInt32(utf8.count)
            bytes += [UInt8(count >> 24), UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)]
            bytes += utf8
        }
        func integer(_ value: Int64) {
            let bits = UInt64(bitPattern: value)
            bytes += (0..<8).reversed().map { UInt8((bits >> (UInt64($0) * 8)) & 0xFF) }
        }
        field("noproof.audit.v1")
        integer(record.sequence)
        integer(record.atMillis)
        for text in [
            record.unitCode, record.credentialID, record.staff, record.action.rawValue, record.itemCode, record.caseReference,
            record.holderID, record.typeCode, record.licenceID, record.result.rawValue, record.proofSerial,
        ] {
            field(text)
        }
        if !record.counterpartUnit.isEmpty {
            field("counterpart")
            field(record.counterpartUnit)
        }
        return Array(SHA256.hash(data: bytes))
    }

    @Test func theHashIsTheDocumentedEncoding() {
        let previous = (0..<32).map { UInt8($0) }
        let record = Self.record()
        #expect(AuditChainHash.hash(previous: previous, record: record) == Self.specification(previous: previous, record))
        #expect(AuditChainHash.hash(previous: AuditChainHash.genesis, record: record) == Self.specification(previous: [UInt8](repeating: 0, count: 32), record))
    }

    @Test func aCounterpartIsHashedOnlyWhenThere() {
        let plain = Self.record(), paired = Self.record(counterpart: "11370400004315203J")
        #expect(AuditChainHash.hash(previous: AuditChainHash.genesis, record: paired) == Self.specification(previous: AuditChainHash.genesis, paired))
        #expect(AuditChainHash.hash(previous: AuditChainHash.genesis, record: paired) != AuditChainHash.hash(previous: AuditChainHash.genesis, record: plain))
    }

    @Test func everyFieldAndItsBoundaryCounts() {
        let base = Self.record()
        let hash = AuditChainHash.hash(previous: AuditChainHash.genesis, record: base)
        var changed: [AuditRecord] = []
        var r = base
        r.sequence += 1; changed.append(r); r = base
        r.atMillis += 1; changed.append(r); r = base
        r.staff = "agent-0002"; changed.append(r); r = base
        r.result = .notFound; changed.append(r); r = base
        // The same bytes split differently between two fields: the length prefixes tell them apart.
        r.itemCode = "SW-KH-001C"; r.caseReference = "ASE-1"; changed.append(r)
        for record in changed {
            #expect(AuditChainHash.hash(previous: AuditChainHash.genesis, record: record) != hash)
        }
        var previous = AuditChainHash.genesis
        previous[31] = 1
        #expect(AuditChainHash.hash(previous: previous, record: base) != hash)
    }

    @Test func theScratchVariantAndTheLeafAgree() {
        var scratch: [UInt8] = [9, 9, 9]
        let record = Self.record()
        let chain = AuditChainHash.hash(previous: AuditChainHash.genesis, record: record, sequence: 42, scratch: &scratch)
        #expect(chain == AuditChainHash.hash(previous: AuditChainHash.genesis, record: record))
        #expect(AuditChainHash.leaf(chainHash: chain) == Array(SHA256.hash(data: [0x00] + chain)))
    }
}
