import Foundation
package import Logging
package import NoProofDomain
import Synchronization
package import NoProofLicenceStore
package import NoProofImport

/// The electronic licence library (电子证照库): the store with the indexed cache in front of it.
/// Reads come from the cache when they can; every write goes to the store first and reaches the
/// cache before it is acknowledged (write-through), so a revoked licence is never served. On a
/// store several instances share (`LicenceChangeFeed`), `freshness` drops what the others changed
/// before the cache answers.
package final class LicenceLibrary: Sendable {
    package let store: any LicenceStore
    package let cache: LicenceCache
    /// Set when the store is shared (PostgreSQL): answers from the cache wait for its check.
    package let freshness: LicenceFreshness?
    private let types: Mutex<[String: LicenceType]>
    private let today: @Sendable () -> CivilDate
    private let logger: Logger

    package init(
        store: any LicenceStore, cache: LicenceCache, types: [LicenceType], freshness: LicenceFreshness? = nil,
        today: @escaping @Sendable () -> CivilDate = { CivilDate.today() }, logger: Logger
    ) {
        self.store = store
        self.cache = cache
        self.freshness = freshness
        self.types = Mutex(Dictionary(types.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last }))
        self.today = today
        self.logger = logger
    }

    /// Opens the library over `store`, reading its licence-type catalogue; over a shared store
    /// (`LicenceChangeFeed`) with a freshness check starting from the store's newest change.
    package static func open(
        store: any LicenceStore, cacheCapacity: Int,
        today: @escaping @Sendable () -> CivilDate = { CivilDate.today() }, logger: Logger
    ) async throws(NoProofError) -> LicenceLibrary {
        let cache = LicenceCache(capacity: cacheCapacity)
        var freshness: LicenceFreshness?
        if let feed = store as? any LicenceChangeFeed {
            freshness = try await LicenceFreshness.start(feed: feed, cache: cache)
            logger.debug("licence cache checks the shared store's changes before answering", metadata: ["from": "\(freshness!.watermark)"])
        }
        let types = try await store.licenceTypes()
        return LicenceLibrary(store: store, cache: cache, types: types, freshness: freshness, today: today, logger: logger)
    }

    /// Calls `body` when the cache may answer: at once (on this thread) for a store only this
    /// process writes; over a shared store once the freshness check that started after this call
    /// has run, or with its error (then the cache must not be used).
    package func whenFresh(_ body: @escaping @Sendable (NoProofError?) -> Void) {
        guard let freshness else { return body(nil) }
        freshness.whenFresh(body)
    }

    package var licenceTypes: [LicenceType] {
        types.withLock { $0.values.sorted { $0.code < $1.code } }
    }

    package var currentDay: CivilDate { today() }

    // MARK: Reading

    /// Validates a lookup's holder and licence type, naming the bad field.
    package func parseQuery(holderID: String, typeCode: String) throws(NoProofError) -> (Holder, LicenceType) {
        let holder: Holder
        do {
            holder = try Holder.parse(holderID, field: "holder_id")
        } catch {
            throw .invalid(error)
        }
        guard let type = types.withLock({ $0[typeCode] }) else {
            throw NoProofError(.invalid, "type_code: unknown licence type '\(typeCode)'; list them with ListLicenceTypes")
        }
        guard type.accepts(holder) else {
            throw NoProofError(.invalid, "holder_id: licence type \(type.code) (\(type.nameEn)) is not held by \(holder.kind.rawValue) holders")
        }
        return (holder, type)
    }

    /// The holder's current licences if the cache has them (no waiting), else nil. Over a shared
    /// store only inside `whenFresh`.
    package func cachedLicences(of holder: Holder) -> [Licence]? {
        cache.licences(holder: holder.key)
    }

    /// The holder's current licences, from the cache or the store (then cached).
    package func licences(of holder: Holder) async throws(NoProofError) -> [Licence] {
        try await freshness?.ensureFresh()
        if let cached = cache.licences(holder: holder.key) { return cached }
        return try await storedLicences(of: holder)
    }

    /// The holder's current licences read from the store (then cached), for a caller that has just
    /// missed the cache with `cachedLicences(of:)`: the cache is not asked again, so the miss is
    /// counted once.
    package func storedLicences(of holder: Holder) async throws(NoProofError) -> [Licence] {
        let generation = cache.generation
        let licences = try await store.licences(holder: holder, typeCode: nil)
        cache.fill(holder: holder.key, licences: licences, generation: generation)
        return licences
    }

    /// What a lookup finds among `licences`, as of today.
    package func outcome(_ licences: [Licence], typeCode: String) -> LookupOutcome {
        LookupOutcome.choose(from: licences, typeCode: typeCode, today: today())
    }

    /// One licence by its identifier (current version).
    package func licence(id text: String) async throws(NoProofError) -> Licence {
        let id: LicenceIdentifier
        do {
            id = try LicenceIdentifier.parse(text, field: "licence_id")
        } catch {
            throw .invalid(error)
        }
        try await freshness?.ensureFresh()
        if let holder = cache.holder(ofLicence: id.description),
            let licence = cache.licences(holder: holder)?.first(where: { $0.id == id })
        {
            return licence
        }
        let stored: Licence?
        stored = try await store.licence(byID: id)
        guard let stored else {
            throw NoProofError(.notFound, "licence \(id) is not in the licence library")
        }
        return stored
    }

    /// Loads holders into the cache until it is full or the store is exhausted; returns the
    /// number of licences cached.
    package func warmUp() async throws(NoProofError) -> Int {
        let generation = cache.generation
        var byHolder: [String: [Licence]] = [:]
        var loaded = 0
        var exhausted = false
        var after: LicenceIdentifier?
        while loaded < cache.capacity {
            let page = try await store.licences(after: after, limit: 10_000)
            if page.isEmpty {
                exhausted = true
                break
            }
            for licence in page { byHolder[licence.holder.key, default: []].append(licence) }
            loaded += page.count
            after = page.last?.id
        }
        for (holder, licences) in byHolder {
            guard cache.statistics.licences < cache.capacity else { break }
            if exhausted {
                // Every licence was read: each holder's list is complete.
                cache.fill(holder: holder, licences: licences, generation: generation)
            } else if let parsed = try? Holder.parse(holder),
                let complete = try? await store.licences(holder: parsed, typeCode: nil)
            {
                // The store holds more than fits: read the holder whole before caching it.
                cache.fill(holder: holder, licences: complete, generation: generation)
            }
        }
        let statistics = cache.statistics
        logger.info(
            "licence cache warmed up",
            metadata: [
                "licences": "\(statistics.licences)", "holders": "\(statistics.holders)",
                "capacity": "\(statistics.capacity)",
            ])
        return statistics.licences
    }

    // MARK: Writing (issuing unit)

    /// Issues a licence. `unitCode` must be the licence's issuing unit unless `asTaskForce`.
    package func issue(_ licence: Licence, byUnit unitCode: String, asTaskForce: Bool = false) async throws(NoProofError) -> Licence {
        try authorize(licence.issuerCode.value, unitCode: unitCode, asTaskForce: asTaskForce, action: "issue")
        guard let type = types.withLock({ $0[licence.typeCode] }) else {
            throw NoProofError(.invalid, "type_code: unknown licence type '\(licence.typeCode)'")
        }
        do {
            try licence.validate()
            try licence.validate(against: type)
        } catch {
            throw .invalid(error)
        }
        return try await write(holder: licence.holder) { (store) async throws(NoProofError) -> Licence in try await store.issue(licence) }
    }

    package func amend(_ id: String, changes: LicenceAmendment, reason: String, byUnit unitCode: String, asTaskForce: Bool = false) async throws(NoProofError)
        -> Licence
    {
        let current = try await licence(id: id)
        try authorize(current.issuerCode.value, unitCode: unitCode, asTaskForce: asTaskForce, action: "amend")
        return try await write(holder: current.holder) { (store) async throws(NoProofError) -> Licence in
            try await store.amend(current.id, changes: changes, reason: reason)
        }
    }

    package enum StatusChange: String, Sendable {
        case suspend, reinstate, revoke
    }

    package func change(_ id: String, to change: StatusChange, reason: String, byUnit unitCode: String, asTaskForce: Bool = false) async throws(NoProofError)
        -> Licence
    {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw NoProofError(.invalid, "reason: say why the licence is \(change == .revoke ? "revoked" : change == .suspend ? "suspended" : "reinstated")")
        }
        let current = try await licence(id: id)
        try authorize(current.issuerCode.value, unitCode: unitCode, asTaskForce: asTaskForce, action: change.rawValue)
        return try await write(holder: current.holder) { (store) async throws(NoProofError) -> Licence in
            switch change {
            case .suspend: try await store.suspend(current.id, reason: reason)
            case .reinstate: try await store.reinstate(current.id, reason: reason)
            case .revoke: try await store.revoke(current.id, reason: reason)
            }
        }
    }

    /// Imports a batch from an issuing unit's export. Rows of another issuer are rejected
    /// (field issuer_code) unless `asTaskForce`; cached holders touched are refreshed.
    package func importBatch(_ licences: [Licence], byUnit unitCode: String, asTaskForce: Bool = false) async throws(NoProofError) -> ImportOutcome {
        var allowed: [Licence] = []
        var originalIndex: [Int] = []
        var outcome = ImportOutcome()
        for (index, licence) in licences.enumerated() {
            if asTaskForce || licence.issuerCode.value == unitCode {
                allowed.append(licence)
                originalIndex.append(index)
            } else {
                outcome.rejected.append(
                    .init(
                        index: index,
                        error: ValidationError(
                            field: "issuer_code",
                            reason: "issued by \(licence.issuerCode.value); this connection may import only licences issued by \(unitCode)")))
            }
        }
        let written: ImportOutcome
        written = try await store.importBatch(allowed)
        outcome.inserted = written.inserted
        outcome.updated = written.updated
        outcome.unchanged = written.unchanged
        outcome.rejected += written.rejected.map { .init(index: originalIndex[$0.index], error: $0.error) }
        outcome.rejected.sort { $0.index < $1.index }
        if written.inserted + written.updated > 0 {
            for holder in Set(allowed.map(\.holder.key)) { cache.invalidate(holder: holder) }
        }
        return outcome
    }

    private func authorize(_ issuerCode: String, unitCode: String, asTaskForce: Bool, action: String) throws(NoProofError) {
        guard asTaskForce || issuerCode == unitCode else {
            throw NoProofError(.forbidden, "only the issuing unit (\(issuerCode)) may \(action) this licence; this connection acts for \(unitCode)")
        }
    }

    /// Runs a store write, then brings the holder's cached licences up to date before returning.
    private func write(holder: Holder, _ body: (any LicenceStore) async throws(NoProofError) -> Licence) async throws(NoProofError) -> Licence {
        let result: Licence
        result = try await body(store)
        do {
            cache.update(holder: holder.key, licences: try await store.licences(holder: holder, typeCode: nil))
        } catch {
            // The write is committed but the cache could not be refreshed: drop the holder so
            // the next read goes to the store.
            cache.invalidate(holder: holder.key)
        }
        return result
    }
}
