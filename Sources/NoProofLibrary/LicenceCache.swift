import NoProofDomain
import Synchronization

/// The in-memory index in front of the licence store: every current licence of a cached holder,
/// found by holder or by licence identifier. Bounded by a number of licences (a city has tens of
/// millions; not all fit): when full, a CLOCK sweep evicts holders not used since the last sweep.
///
/// A holder is cached whole or not at all, so "not in the cached list" means "does not hold it".
/// Writers update it after the store commits (write-through); a fill from a read that raced with
/// a write is dropped, so a revoked licence is never served from the cache.
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

    private struct Entry {
        var licences: [Licence]
        var slot: Int
        var referenced: Bool
    }

    private struct State {
        var holders: [String: Entry] = [:]
        var holderOfLicence: [String: String] = [:]
        var ring: [String?] = []
        var freeSlots: [Int] = []
        var hand = 0
        var generation: UInt64 = 0
        var statistics = Statistics()
    }

    private let state: Mutex<State>
    /// Most licences held in memory.
    package let capacity: Int

    package init(capacity: Int) {
        self.capacity = max(1, capacity)
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
            guard var entry = state.holders[holder] else {
                state.statistics.misses += 1
                return nil
            }
            state.statistics.hits += 1
            if !entry.referenced {
                entry.referenced = true
                let licences = entry.licences
                state.holders[holder] = entry
                return licences
            }
            return entry.licences
        }
    }

    /// The holder a licence belongs to, if that holder is cached.
    package func holder(ofLicence id: String) -> String? {
        state.withLock { $0.holderOfLicence[id] }
    }

    /// Caches what the store said about a holder, unless a write happened since `generation`.
    package func fill(holder: String, licences: [Licence], generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation, state.holders[holder] == nil else { return }
            Self.insert(holder, licences, into: &state, capacity: capacity)
        }
    }

    /// Write-through after a committed write: the holder's licences as they now are.
    package func update(holder: String, licences: [Licence]) {
        state.withLock { state in
            state.generation &+= 1
            if state.holders[holder] != nil {
                Self.remove(holder, from: &state)
                Self.insert(holder, licences, into: &state, capacity: capacity)
            }
        }
    }

    /// Drops a holder (e.g. when its licences changed outside this process).
    package func invalidate(holder: String) {
        state.withLock { state in
            state.generation &+= 1
            Self.remove(holder, from: &state)
        }
    }

    /// Drops every holder (when changes made elsewhere can no longer be told one by one).
    package func invalidateAll() {
        state.withLock { state in
            state.generation &+= 1
            for holder in Array(state.holders.keys) { Self.remove(holder, from: &state) }
        }
    }

    private static func insert(_ holder: String, _ licences: [Licence], into state: inout State, capacity: Int) {
        guard licences.count <= capacity else { return }
        while state.statistics.licences + licences.count > capacity, state.statistics.holders > 0 {
            evictOne(from: &state)
        }
        let slot: Int
        if let free = state.freeSlots.popLast() {
            slot = free
            state.ring[slot] = holder
        } else {
            slot = state.ring.count
            state.ring.append(holder)
        }
        state.holders[holder] = Entry(licences: licences, slot: slot, referenced: false)
        for licence in licences { state.holderOfLicence[licence.id.description] = holder }
        state.statistics.holders += 1
        state.statistics.licences += licences.count
    }

    private static func remove(_ holder: String, from state: inout State) {
        guard let entry = state.holders.removeValue(forKey: holder) else { return }
        for licence in entry.licences { state.holderOfLicence.removeValue(forKey: licence.id.description) }
        state.ring[entry.slot] = nil
        state.freeSlots.append(entry.slot)
        state.statistics.holders -= 1
        state.statistics.licences -= entry.licences.count
    }

    /// CLOCK: skip (and clear) recently used holders, evict the first one not used since.
    private static func evictOne(from state: inout State) {
        while true {
            if state.hand >= state.ring.count { state.hand = 0 }
            defer { state.hand += 1 }
            guard let holder = state.ring[state.hand], var entry = state.holders[holder] else { continue }
            if entry.referenced {
                entry.referenced = false
                state.holders[holder] = entry
                continue
            }
            remove(holder, from: &state)
            state.statistics.evictions += 1
            return
        }
    }
}
