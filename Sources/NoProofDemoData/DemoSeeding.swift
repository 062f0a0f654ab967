package import NoProofDomain
package import NoProofLicenceStore
package import NoProofImport

/// Fills `store` with the starter catalogue and `count` deterministic demo licences
/// (`DemoDataGenerator` with `seed`), in batches through `importBatch` — so seeding an already
/// seeded store changes nothing.
/// - Parameters:
///   - progress: called after each batch with the number of licences generated so far.
/// - Returns: the combined import outcome.
@discardableResult
package func seedDemo(
    store: any LicenceStore, count: Int, seed: UInt64 = DemoDataGenerator.defaultSeed,
    batchSize: Int = 10_000,
    progress: (@Sendable (Int) -> Void)? = nil
) async throws(NoProofError) -> ImportOutcome {
    precondition(batchSize > 0, "batchSize must be positive")
    try await store.upsertLicenceTypes(LicenceTypeCatalogue.starter)
    var outcome = ImportOutcome()
    var batch: [Licence] = []
    batch.reserveCapacity(batchSize)
    var done = 0
    for licence in DemoDataGenerator(seed: seed, licenceCount: count).licences() {
        batch.append(licence)
        if batch.count == batchSize {
            outcome.merge(try await store.importBatch(batch), indexOffset: done)
            done += batch.count
            batch.removeAll(keepingCapacity: true)
            progress?(done)
        }
    }
    if !batch.isEmpty {
        outcome.merge(try await store.importBatch(batch), indexOffset: done)
        done += batch.count
        progress?(done)
    }
    return outcome
}
