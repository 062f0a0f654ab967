package import NoProofDomain
import Synchronization

/// The in-memory index in front of the licence store: every current licence of a cached holder,
/// found by holder or by licence identifier. Bounded by a number of licences (a city has tens of
/// millions; not all fit): when full, a CLOCK sweep evicts holders not used since the last sweep.
///
/// A holder is cached whole or not at all, so "not in the cached list" means "does not hold it".
/// Writers update it after the store commits (write-through); a fill from a read that raced with
/// a write is dropped, so a revoked licence is never served from the cache.
///
/// Memory: beside the licences themselves (held in the holder's array, shared with the caller's),
/// a holder costs one dictionary entry (its key, shared with its slot) and one slot; a licence costs
/// one 8-byte entry in `LicenceIdentifierTable` (a hash of the identifier and the slot, checked
/// against the slot's licences on lookup), not a second String-keyed map.
package final class LicenceCache: Sendable {
    package struct Statistics: Sendable, Equatable {
        package var hits: UInt64 = 0
        package var misses: UInt64 = 0
        package var holders: Int = 0
        package var licences: Int = 0
        package var evictions: UInt64 = 0
        package var capacity: Int = 0

        package var hitRatio: Double {
            hits + misses == 0 ? 0 : Double(hits) / Double(hits + misses)
        }
    }

    /// A cached holder; slots are the CLOCK ring. A free slot has `holder == nil`.
    private struct Slot {
        var holder: String?
        var licences: [Licence]
        var referenced: Bool
    }

    private struct State {
        var slotOfHolder: [String: Int32] = [:]
        var slots: [Slot] = []
        var freeSlots: [Int32] = []
        var byIdentifier = LicenceIdentifierTable()
        var hand = 0
        var generation: UInt64 = 0
        var statistics = Statistics()
    }

    private let state: Mutex<State>
    private let identifierHash: @Sendable (String) -> UInt32
    /// Most licences held in memory.
    package let capacity: Int

    package convenience init(capacity: Int) {
        self.init(capacity: capacity, identifierHash: LicenceIdentifierTable.defaultHash)
    }

    /// - Parameter identifierHash: the hash of a licence identifier's dotted form used by the
    ///   identifier table (tests pass a colliding one; the default is the standard library's).
    package init(capacity: Int, identifierHash: @escaping @Sendable (String) -> UInt32) {
        self.capacity = max(1, capacity)
        self.identifierHash = identifierHash
        var initial = State()
        initial.statistics.capacity = self.capacity
        state = Mutex(initial)
    }

    package var statistics: Statistics { state.withLock { $0.statistics } }

    /// Changes whenever a write-through happens; a fill must carry the value read before its
    /// store read, so that a fill racing with a write is dropped.
    package var generation: UInt64 { state.withLock { $0.generation } }

    /// The holder's current licences if the holder is cached (counted as a hit), else nil (a miss).
    package func licences(holder: String) -> [Licence]? {
        state.withLock { state in
            guard let slot = state.slotOfHolder[holder].map(Int.init) else {
                state.statistics.misses += 1
                return nil
            }
            state.statistics.hits += 1
            state.slots[slot].referenced = true
            return state.slots[slot].licences
        }
    }

    /// The holder a licence belongs to, if that holder is cached.
    package func holder(ofLicence id: String) -> String? {
        let hash = identifierHash(id)
        return state.withLock { state in
            var found: String?
            state.byIdentifier.forEachSlot(hash: hash) { slot in
                let candidate = state.slots[Int(slot)]
                guard candidate.licences.contains(where: { $0.id.description == id }) else { return false }
                found = candidate.holder
                return true
            }
            return found
        }
    }

    /// Caches what the store said about a holder, unless a write happened since `generation`.
    package func fill(holder: String, licences: [Licence], generation: UInt64) {
        let hashes = licences.map { identifierHash($0.id.description) }
        state.withLock { state in
            guard state.generation == generation, state.slotOfHolder[holder] == nil else { return }
            insert(holder, licences, hashes, into: &state)
        }
    }

    /// Write-through after a committed write: the holder's licences as they now are.
    package func update(holder: String, licences: [Licence]) {
        let hashes = licences.map { identifierHash($0.id.description) }
        state.withLock { state in
            state.generation &+= 1
            if state.slotOfHolder[holder] != nil {
                remove(holder, from: &state)
                insert(holder, licences, hashes, into: &state)
            }
        }
    }

    /// Drops a holder (e.g. when its licences changed outside this process).
    package func invalidate(holder: String) {
        state.withLock { state in
            state.generation &+= 1
            remove(holder, from: &state)
        }
    }

    /// Drops every holder (when changes made elsewhere can no longer be told one by one).
    package func invalidateAll() {
        state.withLock { state in
            var emptied = State()
            emptied.generation = state.generation &+ 1
            emptied.statistics = state.statistics
            state = emptied
            state.statistics.holders = 0
            state.statistics.licences = 0
        }
    }

    private func insert(_ holder: String, _ licences: [Licence], _ hashes: [UInt32], into state: inout State) {
        guard licences.count <= capacity else { return }
        while state.statistics.licences + licences.count > capacity, state.statistics.holders > 0 {
            evictOne(from: &state)
        }
        let slot: Int32
        if let free = state.freeSlots.popLast() {
            slot = free
            state.slots[Int(slot)] = Slot(holder: holder, licences: licences, referenced: false)
        } else {
            slot = Int32(state.slots.count)
            state.slots.append(Slot(holder: holder, licences: licences, referenced: false))
        }
        state.slotOfHolder[holder] = slot
        for hash in hashes { state.byIdentifier.insert(hash: hash, slot: UInt32(slot)) }
        state.statistics.holders += 1
        state.statistics.licences += licences.count
    }

    private func remove(_ holder: String, from state: inout State) {
        guard let slot = state.slotOfHolder.removeValue(forKey: holder) else { return }
        free(Int(slot), in: &state)
    }

    private func free(_ slot: Int, in state: inout State) {
        let licences = state.slots[slot].licences
        for licence in licences { state.byIdentifier.remove(hash: identifierHash(licence.id.description), slot: UInt32(slot)) }
        state.slots[slot] = Slot(holder: nil, licences: [], referenced: false)
        state.freeSlots.append(Int32(slot))
        state.statistics.holders -= 1
        state.statistics.licences -= licences.count
    }

    /// CLOCK: skip (and clear) recently used holders, evict the first one not used since.
    private func evictOne(from state: inout State) {
        while true {
            if state.hand >= state.slots.count { state.hand = 0 }
            let slot = state.hand
            state.hand += 1
            guard let holder = state.slots[slot].holder else { continue }
            if state.slots[slot].referenced {
                state.slots[slot].referenced = false
                continue
            }
            state.slotOfHolder.removeValue(forKey: holder)
            free(slot, in: &state)
            state.statistics.evictions += 1
            return
        }
    }
}
