import ArgumentParser
import Foundation
import NoProofImport
import NoProofLicenceStore
import NoProofPostgres
import NoProofSQLite

/// `noproofd import --data-dir DIR FILE...` (or `--database postgres://…`): licences loaded straight
/// into a data folder's licence library, or a PostgreSQL one, without a server (an operator's
/// initial load, fastest). The online form, through a
/// running server and limited to the caller's issuing unit, is `noproof import FILE`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load licences from CSV or JSON Lines exports straight into a data folder (noproofd stopped).",
        discussion: """
            Rows are checked (identifiers, check characters, dates, fields of the type); bad rows are reported \
            with row, field and reason and do not stop the import. Re-running the same file changes nothing. \
            CSV columns: licence_id (or type_code, issuer_code, serial, version), holder_id, holder_name, \
            issuer_name, issue_date, valid_from, valid_to, status, and field.<key> per data field; JSON Lines use \
            the same keys with a "fields" object. With --database postgres://… the rows go into that \
            PostgreSQL database instead. noproofd must not be running on the folder or the database (its lock \
            is taken: exit status 9 when it is held; 14 when PostgreSQL cannot be reached); rows are not limited to one issuing unit. The server reads \
            the new licences when it starts. Exit status 0 when every row loaded, 1 when some were rejected.
            """
    )

    @Option(name: .customLong("data-dir"), help: "The data folder to load into (holding licences.sqlite). Required unless --database names PostgreSQL.")
    var dataDir: String?

    @Option(
        help: ArgumentHelp(
            "Load into this PostgreSQL database instead (postgres://USER@HOST/DATABASE[?schema=NAME], as noproofd --database); noproofd must not be serving on it.",
            valueName: "URL"))
    var database: String?

    /// `--data-dir`, wherever ArgumentParser put it (`SubcommandDataFolder`).
    private func dataFolder() throws -> String {
        guard let folder = SubcommandDataFolder.resolve(dataDir) else { throw ValidationError("--data-dir DIR is required") }
        return folder
    }

    @Argument(help: "The export files (.csv, .jsonl or .ndjson), loaded in turn.")
    var files: [String]

    @Option(help: "csv or jsonl (default: from each file's extension).")
    var format: String?

    @Option(help: "Write every rejected row (row,field,reason; file first with several files) to this CSV file.")
    var report: String?

    @Option(help: "Rows per transaction.")
    var batch: Int = 5000

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one export file") }
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
    }

    func run() async throws {
        let chosen: LicenceImporter.Format?
        switch format {
        case nil: chosen = nil
        case "csv": chosen = .csv
        case "jsonl", "ndjson": chosen = .jsonLines
        default: throw ValidationError("--format must be csv or jsonl")
        }
        let urls = files.map { URL(fileURLWithPath: $0) }
        for (file, url) in zip(files, urls) where !FileManager.default.isReadableFile(atPath: url.path) {
            throw ValidationError("cannot read \(file)")
        }
        let target = try await openTarget()
        let results: [(file: String, report: LicenceImporter.Report)]
        do {
            results = try await load(urls, format: chosen, into: target.store)
        } catch {
            await target.close()
            throw error
        }
        await target.close()
        try printResults(results)
    }

    /// The licence store to load into, with its lock taken (the data folder's, or PostgreSQL's
    /// serving lock, exclusive): exit status 9 when noproofd holds it (on PostgreSQL: any instance).
    private func openTarget() async throws -> (store: any LicenceStore, close: () async -> Void) {
        let backend = try DaemonDatabase(parsing: SubcommandDataFolder.resolve(database, option: "--database"))
        if case .postgres(let url) = backend {
            let database: PostgresStoreDatabase
            do { database = try PostgresStoreDatabase.connect(url: url) } catch { throw ValidationError("--database: \(error.message)") }
            let lock: PostgresSessionLock
            do {
                lock = try await PostgresSchemaLock.offline(database, holder: "noproofd import")
            } catch {
                await database.shutdown()
                FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
                throw ExitCode(error.code == .conflict ? 9 : 14)
            }
            do {
                let store = try await PostgresLicenceStore.open(database)
                return (
                    store,
                    {
                        await lock.release(); await database.shutdown()
                    }
                )
            } catch {
                await lock.release()
                await database.shutdown()
                FileHandle.standardError.write(Data("error: cannot open the licence library in PostgreSQL: \(error.message)\n".utf8))
                throw ExitCode(14)
            }
        }
        let directory = URL(fileURLWithPath: try dataFolder(), isDirectory: true)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(SQLiteLicenceStore.fileName).path) else {
            throw ValidationError("\(directory.path) has no \(SQLiteLicenceStore.fileName): start noproofd on it once first, or check --data-dir")
        }
        let lock: DataFolderLock
        let store: SQLiteLicenceStore
        do {
            lock = try DataFolderLock.acquire(directory, holder: "noproofd import")
            store = try SQLiteLicenceStore(directory: directory)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(9)
        }
        return (
            store,
            {
                try? store.close()
                withExtendedLifetime(lock) {}
            }
        )
    }

    private func load(
        _ urls: [URL], format chosen: LicenceImporter.Format?,
        into store: any LicenceStore
    ) async throws -> [(file: String, report: LicenceImporter.Report)] {
        var results: [(file: String, report: LicenceImporter.Report)] = []
        for (file, url) in zip(files, urls) {
            let bar = ImportProgressBar(enabled: !json)
            let result = try await LicenceImporter(store: store, batchSize: batch).importFile(at: url, format: chosen) { bar.update($0) }
            bar.finish()
            results.append((file, result))
        }
        return results
    }

    private func printResults(_ results: [(file: String, report: LicenceImporter.Report)]) throws {
        if let report { try writeReport(results, to: report) }
        if json {
            struct Output: Encodable {
                var file: String
                var rowsRead, inserted, updated, unchanged, rejected: Int
                var rowsPerSecond: Int
                var rejections: [String]
            }
            let outputs = results.map { file, result in
                Output(
                    file: file, rowsRead: result.rowsRead, inserted: result.inserted, updated: result.updated,
                    unchanged: result.unchanged, rejected: result.rejectedCount, rowsPerSecond: Int(result.rowsPerSecond),
                    rejections: result.rejections.prefix(100).map(\.description))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = outputs.count == 1 ? try encoder.encode(outputs[0]) : try encoder.encode(outputs)
            print(String(decoding: data, as: UTF8.self))
        } else {
            for (file, result) in results {
                print(
                    "\(results.count > 1 ? "\(file): " : "")read \(result.rowsRead) rows in \(String(format: "%.1f", result.seconds)) s "
                        + "(\(Int(result.rowsPerSecond)) rows/s): \(result.inserted) new, \(result.updated) changed, "
                        + "\(result.unchanged) unchanged, \(result.rejectedCount) rejected")
                for rejection in result.rejections.prefix(20) { print("  \(rejection)") }
                if result.rejectedCount > 20 {
                    print("  ... \(result.rejectedCount - 20) more\(report == nil ? " (use --report FILE for all)" : " in \(report!)")")
                }
            }
        }
        if results.contains(where: { $0.report.rejectedCount > 0 }) { throw ExitCode(1) }
    }

    private func writeReport(_ results: [(file: String, report: LicenceImporter.Report)], to path: String) throws {
        let several = results.count > 1
        var text = several ? "file,row,field,reason\n" : "row,field,reason\n"
        for (file, result) in results {
            for rejection in result.rejections {
                text += (several ? "\(csv(file))," : "") + "\(rejection.row),\(csv(rejection.field)),\(csv(rejection.reason))\n"
            }
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func csv(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
