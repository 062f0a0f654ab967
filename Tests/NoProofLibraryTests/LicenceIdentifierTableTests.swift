import Testing
@testable import NoProofLibrary

@Suite("LicenceIdentifierTable")
struct LicenceIdentifierTableTests {
    /// Inserts and removes against a plain model, with hashes crowded into a few home positions
    /// (runs that wrap around the end of the table), checking every lookup after each step.
    @Test func matchesAModelThroughInsertsAndRemovals() {
        var table = LicenceIdentifierTable()
        var model: [UInt32: [UInt32]] = [:]  // hash → slots, with repeats
        var generator = SystemRandomNumberGenerator()
        let hashes: [UInt32] = [0, 1, 15, 14, 31, 63, 0xFFFF_FFFF, 0x8000_000F]
        for step in 0..<3_000 {
            let hash = hashes[Int.random(in: 0..<hashes.count, using: &generator)]
            let slot = UInt32.random(in: 0..<40, using: &generator)
            if step % 3 == 2, let slots = model[hash], !slots.isEmpty {
                let victim = slots[Int.random(in: 0..<slots.count, using: &generator)]
                table.remove(hash: hash, slot: victim)
                model[hash]!.remove(at: model[hash]!.firstIndex(of: victim)!)
            } else {
                table.insert(hash: hash, slot: slot)
                model[hash, default: []].append(slot)
            }
            #expect(table.count == model.values.reduce(0) { $0 + $1.count })
            for hash in hashes {
                var found: [UInt32] = []
                table.forEachSlot(hash: hash) { slot in
                    found.append(slot)
                    return false
                }
                #expect(found.sorted() == (model[hash] ?? []).sorted())
            }
        }
    }

    @Test func stopsWhenTheCallerFindsItAndIgnoresUnknownRemovals() {
        var table = LicenceIdentifierTable()
        table.remove(hash: 1, slot: 1)
        for slot in UInt32(0)..<5 { table.insert(hash: 9, slot: slot) }
        table.remove(hash: 9, slot: 77)
        table.remove(hash: 8, slot: 1)
        #expect(table.count == 5)
        var visited = 0
        table.forEachSlot(hash: 9) { slot in
            visited += 1
            return visited == 2
        }
        #expect(visited == 2)
    }
}
