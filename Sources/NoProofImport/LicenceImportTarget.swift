package import NoProofDomain

/// Where `LicenceImporter` sends rows: a store, or a server over RPC (the CLI).
package protocol LicenceImportTarget: Sendable {
    /// All licence types, ordered by code.
    func licenceTypes() async throws(NoProofError) -> [LicenceType]

    /// Writes a batch: new rows inserted, changed rows recorded as new versions, identical rows
    /// left alone; invalid rows rejected with their index.
    func importBatch(_ licences: [Licence]) async throws(NoProofError) -> ImportOutcome
}
