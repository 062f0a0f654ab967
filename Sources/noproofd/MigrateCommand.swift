import ArgumentParser
import Foundation
import NoProofDomain
import NoProofMigration
import NoProofPostgres

/// `noproofd migrate --from sqlite:DIR --to postgres://…` (issue 18): a data folder's stores copied
/// verbatim into a PostgreSQL schema, the audit evidence verified on both sides
/// (`DataFolderMigration`, which does the work; this is its command line).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a data folder's records into PostgreSQL, verbatim, with the audit chain verified on both sides (noproofd stopped).",
        discussion: """
            Copies licences (with versions and status changes), units, staff, credentials (hashed, as stored), item \
            lists, the calendar, the denial log, verification requests, oversight records and the audit trail (the same \
            sequence numbers, record fields, chain hashes, Merkle subtrees, signed tree heads and supervision tallies) \
            into the schema of the --to URL (?schema=NAME, default noproof), which must be new or hold no records. The \
            source's audit trail, tree, tallies and denial log are verified first (as audit-verify --data-dir; nothing is \
            copied from a trail that does not verify), the copy afterwards (as audit-verify --database), and the chain \
            heads, tree roots and every table's row count are compared and printed. The seal keys stay in DIR/seals: \
            start noproofd with --data-dir DIR --database URL (copy seals/ to every other instance). Offline: the data \
            folder's lock and the schema's lock are taken (exit status 9 while noproofd holds either). An interrupted or \
            failed migration leaves the schema marked partial: noproofd refuses it, and migrate says to drop it \
            (DROP SCHEMA NAME CASCADE) and run again. Exit status 0 when the copy verified, 1 when refused or when it \
            did not verify (the message says what to do), 9 when a lock is held, 14 when PostgreSQL cannot be reached.
            """
    )

    @Option(help: ArgumentHelp("The data folder to copy: sqlite:DIR (or DIR).", valueName: "sqlite:DIR"))
    var from: String

    @Option(
        help: ArgumentHelp(
            "The PostgreSQL database to copy into: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME], as noproofd --database.",
            valueName: "URL"))
    var to: String

    @Option(help: "Rows per transaction.")
    var batch: Int = 1000

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
        guard case .postgres = try DaemonDatabase(parsing: to) else {
            throw ValidationError("--to takes a PostgreSQL URL postgres://USER@HOST/DATABASE[?schema=NAME]")
        }
    }

    func run() async throws {
        let path = from.hasPrefix("sqlite:") ? String(from.dropFirst("sqlite:".count)) : from
        guard !path.isEmpty else { throw ValidationError("--from takes sqlite:DIR, the data folder to copy") }
        let directory = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        let database: PostgresStoreDatabase
        do { database = try PostgresStoreDatabase.connect(url: to, maximumConnections: 4) } catch {
            throw ValidationError("--to: \(error.message)")
        }
        print("migrating \(directory.path) to PostgreSQL \(database.url), schema \(database.schema)")
        let progress = ProgressPrinter()
        let report: MigrationReport
        do {
            report = try await DataFolderMigration(directory: directory, database: database, batchSize: batch).run { progress.update($0) }
        } catch {
            await database.shutdown()
            FileHandle.standardError.write(Data("noproofd migrate: \(error.message)\n".utf8))
            throw ExitCode(error.code == .conflict ? 9 : error.code == .unavailable ? 14 : 1)
        }
        await database.shutdown()
        Self.show(report)
    }

    private static func show(_ report: MigrationReport) {
        Swift.print("rows per table (data folder -> PostgreSQL):")
        for table in report.tables {
            Swift.print("  \(table.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(table.sourceRows) -> \(table.targetRows)")
        }
        for (side, evidence) in [("data folder", report.source), ("PostgreSQL ", report.target)] {
            guard let evidence else { continue }
            Swift.print(
                "audit \(side): chain verifies, \(evidence.recordsChecked) records, head \(evidence.head); tree \(evidence.treeSize) records, "
                    + "root \(evidence.treeRoot.map { String(format: "%02x", $0) }.joined()); signed heads \(evidence.signedHeadsChecked) checked, "
                    + "\(evidence.signedHeadsMatched) matched; denial log \(evidence.denialsChecked) entries verify")
        }
        Swift.print(
            "migration complete: \(report.rowsCopied) rows in \(String(format: "%.1f", report.seconds)) s; heads, roots and row counts equal. "
                + "Start noproofd with --data-dir (for seals/) and --database on this schema.")
    }
}

/// Prints a table's progress when it starts, every 100,000 rows and when it is done.
private final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private var lastPrinted: [String: Int] = [:]

    func update(_ progress: MigrationProgress) {
        lock.lock()
        defer { lock.unlock() }
        let last = lastPrinted[progress.table]
        guard last == nil || progress.copied - last! >= 100_000 || (progress.copied == progress.total && last != progress.copied) else { return }
        lastPrinted[progress.table] = progress.copied
        if progress.copied == 0 && progress.total > 0 { return print("  \(progress.table): \(progress.total) rows to copy") }
        if progress.total == 0 { return print("  \(progress.table): empty") }
        print("  \(progress.table): \(progress.copied) / \(progress.total) rows copied")
    }
}
