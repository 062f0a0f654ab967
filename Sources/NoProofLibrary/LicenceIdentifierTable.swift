/// The cache's map from licence identifier to the slot of the holder who holds it, in 8 bytes an
/// entry: an open-addressing table (linear probing, backward-shift deletion) of a 32-bit hash of
/// the identifier's dotted form and the slot. It does not store identifiers: a lookup visits every
/// slot whose entry has the identifier's hash and the caller checks the slot's licences, so hash
/// collisions cost a comparison, never a wrong answer.
struct LicenceIdentifierTable {
    /// `hash << 32 | (slot + 1)`; 0 is an empty entry.
    private var entries: [UInt64] = []
    private(set) var count = 0

    /// The standard library's (per-process seeded) hash, truncated to 32 bits.
    static let defaultHash: @Sendable (String) -> UInt32 = { UInt32(truncatingIfNeeded: $0.hashValue) }

    private var mask: Int { entries.count - 1 }

    private static func home(_ hash: UInt32, _ mask: Int) -> Int { Int(hash) & mask }

    /// Bytes held by the table (for the memory figures).
    var allocatedBytes: Int { entries.capacity * MemoryLayout<UInt64>.stride }

    mutating func insert(hash: UInt32, slot: UInt32) {
        if (count + 1) * 4 > entries.count * 3 { grow() }
        let entry = UInt64(hash) << 32 | UInt64(slot + 1)
        var index = Self.home(hash, mask)
        while entries[index] != 0 { index = (index + 1) & mask }
        entries[index] = entry
        count += 1
    }

    /// Removes one entry of `hash` pointing at `slot` (if any).
    mutating func remove(hash: UInt32, slot: UInt32) {
        guard !entries.isEmpty else { return }
        let entry = UInt64(hash) << 32 | UInt64(slot + 1)
        var index = Self.home(hash, mask)
        while entries[index] != entry {
            if entries[index] == 0 { return }
            index = (index + 1) & mask
        }
        // Backward shift: move later entries of the probe run into the hole when their home
        // position does not lie (cyclically) after the hole.
        var hole = index
        var next = (hole + 1) & mask
        while entries[next] != 0 {
            let home = Self.home(UInt32(truncatingIfNeeded: entries[next] >> 32), mask)
            let distanceToHole = (hole - home) & mask
            let distanceToNext = (next - home) & mask
            if distanceToHole < distanceToNext {
                entries[hole] = entries[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        entries[hole] = 0
        count -= 1
    }

    /// Calls `body` with each slot stored under `hash` until it returns true.
    func forEachSlot(hash: UInt32, _ body: (UInt32) -> Bool) {
        guard !entries.isEmpty else { return }
        var index = Self.home(hash, mask)
        while true {
            let entry = entries[index]
            if entry == 0 { return }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash, body(UInt32(truncatingIfNeeded: entry) - 1) { return }
            index = (index + 1) & mask
        }
    }

    private mutating func grow() {
        let old = entries
        entries = Array(repeating: 0, count: max(16, old.count * 2))
        let mask = self.mask
        for entry in old where entry != 0 {
            var index = Self.home(UInt32(truncatingIfNeeded: entry >> 32), mask)
            while entries[index] != 0 { index = (index + 1) & mask }
            entries[index] = entry
        }
    }
}
