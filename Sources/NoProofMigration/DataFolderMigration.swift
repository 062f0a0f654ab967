package import Foundation
import Logging
package import NoProofDomain
package import NoProofPostgres
import NoProofSQLite
import NoProofSeals
import PostgresNIO

/// `noproofd migrate --from sqlite:DIR --to postgres://…` (issue 18): every record a data folder
/// serves from — licences with their versions and status changes, units, staff, credentials (as
/// stored: hashed), item list versions, the calendar, the denial log, verification requests,
/// oversight records and the audit trail — copied verbatim into a PostgreSQL schema the PostgreSQL
/// stores then serve: the same ids, versions, sequence numbers, record fields, chain hashes, Merkle
/// subtrees, signed tree heads and supervision tallies. The seal keys stay in the data folder
/// (`seals/`), which the instances on the database keep using.
///
/// Offline: the data folder's lock and the schema's serving lock (exclusive) are held throughout,
/// so neither a noproofd on the folder nor any instance on the database serves meanwhile. In order:
/// 1. the target schema must hold no records (`MigrationMarker.State`): a completed or partial
///    migration, or a schema noproofd served, is refused;
/// 2. the source's audit trail, tree, tallies and denial log are verified (as `noproofd
///    audit-verify --data-dir`): nothing is copied from a trail that does not verify;
/// 3. the stores' tables are created, every table's columns checked against the SQLite ones (a
///    column with nowhere to go refuses the migration before a record is written), the marker row
///    is written ("begun"), the tables are copied a batch (~1000 rows) per transaction;
/// 4. the heads of the audit trail and the denial log are set to their last records, identity
///    counters past the copied ids;
/// 5. the target is verified (as `audit-verify --database`, with the source's head as anchor),
///    its chain head, tree size and root and every table's row count compared with the source's;
///    only then is the marker row marked complete.
/// An interruption or a failed verification leaves the marker "begun": a new migration and
/// noproofd's start both refuse the schema and say to drop it.
package struct DataFolderMigration: Sendable {
    /// The data folder to copy.
    package let directory: URL
    /// The target database and schema.
    package let database: PostgresStoreDatabase
    /// Rows per transaction (fewer for wide tables: a statement takes at most 65,535 parameters).
    package let batchSize: Int

    package init(directory: URL, database: PostgresStoreDatabase, batchSize: Int = 1000) {
        self.directory = directory
        self.database = database
        self.batchSize = max(1, batchSize)
    }

    var logger: Logger { database.logger }

    /// Runs the migration; `progress` is told after each batch.
    /// - Throws: `.conflict` when noproofd (or another offline job) holds the folder's or the schema's
    ///   lock; `.alreadyExists` when the target schema holds records (a migration complete or partial, or
    ///   a served schema); `.invalid` when the source's audit evidence does not verify (nothing
    ///   copied), when a table's columns do not fit, or when the copy does not verify (the schema is
    ///   then not to be used); `.unavailable` when a file or PostgreSQL cannot be read or written.
    package func run(progress: @Sendable (MigrationProgress) -> Void = { _ in }) async throws(NoProofError) -> MigrationReport {
        let started = ContinuousClock.now
        for file in ["licences.sqlite", "audit.sqlite"] where !FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) {
            throw NoProofError(
                .invalid, "\(directory.path) has no \(file): it is not a noproofd data folder (check --from sqlite:DIR)")
        }
        let folderLock = try DataFolderLock.acquire(directory, holder: "noproofd migrate")
        let schemaLock = try await PostgresSchemaLock.offline(database, holder: "noproofd migrate")
        do {
            var report = try await migrate(progress: progress)
            let elapsed = ContinuousClock.now - started
            report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            await schemaLock.release()
            withExtendedLifetime(folderLock) {}
            return report
        } catch {
            await schemaLock.release()
            withExtendedLifetime(folderLock) {}
            throw error
        }
    }

    private func migrate(progress: @Sendable (MigrationProgress) -> Void) async throws(NoProofError) -> MigrationReport {
        try await refuseUnlessEmpty()
        var report = MigrationReport()
        let source = try await Self.verifySource(directory)
        report.source = source
        logger.debug("source audit evidence verified", metadata: ["records": "\(source.recordsChecked)", "tree": "\(source.treeSize)"])
        try await createStores()
        let copiers = try await prepareCopies()
        try await MigrationMarker.begin(database, source: directory.path, at: Self.nowMillis())
        for copier in copiers {
            let rows = try await copier.copy(into: database, batchSize: batchSize, progress: progress)
            report.tables.append(MigrationReport.Table(name: copier.table.target, sourceRows: rows, targetRows: 0))
        }
        try await finishHeads()
        let counts = try await targetCounts()
        for index in report.tables.indices { report.tables[index].targetRows = counts[report.tables[index].name] ?? 0 }
        let target = try await verifyTarget(against: source)
        report.target = target
        try compare(report)
        try await MigrationMarker.complete(database, at: Self.nowMillis())
        return report
    }

    /// `.alreadyExists` unless the target schema is new or holds no records.
    private func refuseUnlessEmpty() async throws(NoProofError) {
        let place = "the PostgreSQL schema \(database.schema) (\(database.url))"
        switch try await MigrationMarker.state(of: database) {
        case .empty:
            return
        case .complete(let source, let millis):
            throw NoProofError(
                .alreadyExists,
                "\(place) already holds the migration of the data folder \(source), completed at "
                    + "\(Timestamp.format(Date(timeIntervalSince1970: Double(millis) / 1000))): nothing to do. To migrate again, "
                    + "name a new schema (?schema=NAME) or " + MigrationMarker.dropAdvice(database))
        case .partial(let source, _):
            throw NoProofError(
                .alreadyExists,
                "a partial migration is in \(place) (of the data folder \(source): interrupted, or its copy failed "
                    + "verification): " + MigrationMarker.dropAdvice(database))
        case .holdsRecords(let table):
            throw NoProofError(
                .alreadyExists,
                "\(place) already holds records (table \(table)): migrate copies into a new or empty schema only. "
                    + "Name one with ?schema=NAME in the --to URL")
        }
    }

    /// Creates (migrates) every PostgreSQL store's tables, as noproofd's start would.
    private func createStores() async throws(NoProofError) {
        _ = try await PostgresLicenceStore.open(database)
        _ = try await PostgresUnitStore.open(database)
        _ = try await PostgresVerificationStore.open(database)
        _ = try await PostgresOversightStore.open(database)
        let trail = try await PostgresAuditTrail.open(database)
        await trail.close()
        _ = try await PostgresRateCounts.open(database)
        _ = try await PostgresSessionFeed.open(database)
    }

    /// A copier per table, its columns checked against the target's, before anything is written.
    private func prepareCopies() async throws(NoProofError) -> [TableCopier] {
        var copiers: [TableCopier] = []
        for file in MigrationTable.files {
            let path = directory.appendingPathComponent(file).path
            let tables = MigrationTable.all.filter { $0.file == file }
            guard FileManager.default.fileExists(atPath: path) else {
                // An older data folder without this store: nothing of it to copy.
                logger.debug("no such store in the data folder", metadata: ["file": "\(file)"])
                continue
            }
            let sqlite = try SQLiteSource(path: path)
            try sqlite.refuseUnknownTables(expected: Set(tables.map(\.source)))
            for table in tables {
                // A table an older noproofd had not created yet: nothing of it to copy.
                guard try sqlite.hasTable(table.source) else { continue }
                copiers.append(try await TableCopier.prepare(table, source: sqlite, target: database))
            }
        }
        return copiers
    }

    /// The rows of every copied table in PostgreSQL.
    private func targetCounts() async throws(NoProofError) -> [String: Int] {
        let logger = self.logger
        return try await database.withConnection { connection in
            var counts: [String: Int] = [:]
            for table in MigrationTable.all {
                for try await count in try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \"\(table.target)\""), logger: logger
                ).decode(Int.self) {
                    counts[table.target] = count
                }
            }
            return counts
        }
    }

    /// `.invalid` (the target is not to be used) when a row count, the chain's head or the tree differs.
    private func compare(_ report: MigrationReport) throws(NoProofError) {
        var differences: [String] = []
        for table in report.tables where table.sourceRows != table.targetRows {
            differences.append("\(table.name): \(table.sourceRows) rows in the data folder, \(table.targetRows) in PostgreSQL")
        }
        if let source = report.source, let target = report.target {
            if source.head != target.head { differences.append("audit chain head: \(source.head) in the data folder, \(target.head) in PostgreSQL") }
            if source.treeSize != target.treeSize || source.treeRoot != target.treeRoot {
                differences.append(
                    "audit tree: \(source.treeSize) records, root \(source.treeRoot.hex) in the data folder; "
                        + "\(target.treeSize) records, root \(target.treeRoot.hex) in PostgreSQL")
            }
            if source.signedHeadsMatched != target.signedHeadsMatched {
                differences.append("signed tree heads matched: \(source.signedHeadsMatched) in the data folder, \(target.signedHeadsMatched) in PostgreSQL")
            }
            if source.denialsChecked != target.denialsChecked {
                differences.append("denial log: \(source.denialsChecked) entries in the data folder, \(target.denialsChecked) in PostgreSQL")
            }
        }
        guard differences.isEmpty else { throw targetBroken(differences.joined(separator: "; ")) }
    }

    /// The error of a copy that does not verify.
    func targetBroken(_ what: String) -> NoProofError {
        NoProofError(
            .invalid,
            "the copy in the PostgreSQL schema \(database.schema) does not verify (\(what)): it is NOT to be used "
                + "(noproofd refuses to start on it); " + MigrationMarker.dropAdvice(database))
    }

    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
