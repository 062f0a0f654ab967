import NoProofDomain
import NoProofImport

/// What `PostgresLicenceStore.importBatch` decides for a batch, apart from the queries (plain,
/// synchronous code): the rows validated, the state of each identifier as the batch goes, and the
/// writes it comes to. Each row is decided in input order as the SQLite store does.
struct ImportPlan {
    private(set) var outcome = ImportOutcome()
    /// The valid rows, in input order (version 1), with their input index.
    private var valid: [(index: Int, licence: Licence)] = []
    /// The distinct identifiers of the valid rows, sorted (the order their rows are locked in).
    private(set) var ids: [String] = []
    /// The stored form of each identifier's current version as the batch goes.
    private var state: [String: PostgresLicenceStore.LicenceRow] = [:]
    /// The position (in `valid`) of the first row of each identifier that was not stored.
    private var firstNew: [String: Int] = [:]
    private var insertedIDs: Set<String> = []
    private(set) var archived: [Licence] = []
    private(set) var statusChanges: [(id: String, from: LicenceStatus, to: LicenceStatus)] = []
    private var replaced: [String: Licence] = [:]

    init(_ licences: [Licence], types: [String: LicenceType]) {
        for (index, row) in licences.enumerated() {
            var licence = row
            if let error = PostgresLicenceStore.validationError(licence, types: types) {
                outcome.rejected.append(.init(index: index, error: error))
                continue
            }
            licence.version = 1
            valid.append((index, licence))
        }
        ids = Set(valid.map { $0.licence.id.description }).sorted()
    }

    /// Notes stored (and locked) current rows.
    mutating func found(_ rows: [PostgresLicenceStore.LicenceRow]) {
        for row in rows { state[row.0] = row }
    }

    /// The first row of each identifier not stored, in identifier order: to insert.
    mutating func insertionCandidates() -> [Licence] {
        for (position, item) in valid.enumerated() {
            let id = item.licence.id.description
            if state[id] == nil && firstNew[id] == nil { firstNew[id] = position }
        }
        return firstNew.values.map { valid[$0].licence }.sorted { $0.id.description < $1.id.description }
    }

    /// Notes which candidates were inserted; returns the others (inserted meanwhile by another
    /// batch: to lock and compare like stored rows), sorted.
    mutating func inserted(_ inserted: Set<String>, of candidates: [Licence]) -> [String] {
        insertedIDs = inserted
        for licence in candidates where inserted.contains(licence.id.description) {
            state[licence.id.description] = PostgresLicenceStore.row(of: licence)
        }
        return candidates.map(\.id.description).filter { !inserted.contains($0) }
    }

    /// Decides every valid row in input order.
    mutating func decide() throws(NoProofError) {
        for (position, item) in valid.enumerated() {
            var licence = item.licence
            let id = licence.id.description
            if firstNew[id] == position && insertedIDs.contains(id) {
                outcome.inserted += 1
                continue
            }
            guard let row = state[id] else { throw NoProofError(.unavailable, "licence \(licence.id) vanished during import") }
            if PostgresLicenceStore.isUnchanged(row, licence) {
                outcome.unchanged += 1
                continue
            }
            let current = try PostgresLicenceStore.decodeLicence(row)
            if current.status == .revoked {
                outcome.rejected.append(
                    .init(
                        index: item.index,
                        error: ValidationError(
                            field: "status", reason: "licence \(licence.id) is revoked in the library and cannot be changed by import")))
                continue
            }
            licence.version = current.version + 1
            archived.append(current)
            if licence.status != current.status { statusChanges.append((id, current.status, licence.status)) }
            state[id] = PostgresLicenceStore.row(of: licence)
            replaced[id] = licence
            outcome.updated += 1
        }
        outcome.rejected.sort { $0.index < $1.index }
    }

    /// The new current version of each updated identifier, in identifier order.
    var replacements: [Licence] { replaced.keys.sorted().map { replaced[$0]! } }
}
