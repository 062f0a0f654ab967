import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
import NoProofProtocol
import NoProofImport

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Issuing unit: bulk-load licences from a CSV or JSON Lines export.",
        discussion: """
            Rows are checked here (identifiers, check characters, dates, fields of the type) and again by the \
            server; bad rows are reported with row, field and reason and do not stop the import. Re-running \
            the same file changes nothing. CSV columns: licence_id (or type_code, issuer_code, serial, \
            version), holder_id, holder_name, issuer_name, issue_date, valid_from, valid_to, status, and \
            field.<key> per data field; JSON Lines use the same keys with a "fields" object.

            To load a data folder directly, without a server (an operator's initial load, fastest, not limited \
            to one issuing unit), stop noproofd and run `noproofd import --data-dir DIR FILE...`.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The export file (.csv, .jsonl or .ndjson).")
    var file: String

    @Option(help: "csv or jsonl (default: from the file extension).")
    var format: String?

    @Option(help: "Write every rejected row (row,field,reason) to this CSV file.")
    var report: String?

    @Option(help: "Rows sent per call, at most 5000.")
    var batch: Int = 5000

    func run() async throws {
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.isReadableFile(atPath: url.path) else { throw ValidationError("cannot read \(file)") }
        let chosen: LicenceImporter.Format?
        switch format {
        case nil: chosen = nil
        case "csv": chosen = .csv
        case "jsonl", "ndjson": chosen = .jsonLines
        default: throw ValidationError("--format must be csv or jsonl")
        }
        let batch = self.batch
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
        if batch > FieldLimits.importRows {
            throw ValidationError("--batch: the server takes at most \(FieldLimits.importRows) rows a call")
        }
        let json = connection.json
        let result = try await connection.withClient { client in
            // Three batches in flight: the server checks one while it writes another.
            let importer = LicenceImporter(store: RemoteImportTarget(client: client), batchSize: batch, maxInFlight: 3)
            let bar = ImportProgressBar(enabled: !json)
            let outcome = try await importer.importFile(at: url, format: chosen) { progress in bar.update(progress) }
            bar.finish()
            return outcome
        }
        if let report {
            var text = "row,field,reason\n"
            for rejection in result.rejections {
                text += "\(rejection.row),\(csv(rejection.field)),\(csv(rejection.reason))\n"
            }
            try text.write(toFile: report, atomically: true, encoding: .utf8)
        }
        if json {
            struct Output: Encodable {
                var rowsRead, inserted, updated, unchanged, rejected, rejectionsNotListed: Int
                var rowsPerSecond: Int
                var rejections: [String]
            }
            try printJSON(
                Output(
                    rowsRead: result.rowsRead, inserted: result.inserted, updated: result.updated,
                    unchanged: result.unchanged, rejected: result.rejectedCount,
                    rejectionsNotListed: result.rejectionsNotListed, rowsPerSecond: Int(result.rowsPerSecond),
                    rejections: result.rejections.prefix(100).map(\.description)))
        } else {
            print(
                "read \(result.rowsRead) rows in \(String(format: "%.1f", result.seconds)) s (\(Int(result.rowsPerSecond)) rows/s): "
                    + "\(result.inserted) new, \(result.updated) changed, \(result.unchanged) unchanged, \(result.rejectedCount) rejected")
            for rejection in result.rejections.prefix(20) { print("  \(rejection)") }
            let listed = result.rejectedCount - result.rejectionsNotListed
            if listed > 20 {
                print("  ... \(listed - 20) more\(report == nil ? " (use --report FILE for all)" : " in \(report!)")")
            }
            if result.rejectionsNotListed > 0 {
                print(
                    "  ... and \(result.rejectionsNotListed) more rejected rows the server counted but did not list "
                        + "(it lists the first \(FieldLimits.listedRejections) of each call; use a smaller --batch to see them)")
            }
        }
        if result.rejectedCount > 0 { throw ExitCode(1) }
    }

    private func csv(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

/// Sends the importer's batches to the server's ImportLicences call.
struct RemoteImportTarget: LicenceImportTarget {
    let client: NoProofClient

    func licenceTypes() async throws(NoProofError) -> [LicenceType] {
        do {
            return try await client.licenceTypes().compactMap { message in
                guard let issuer = try? UnifiedSocialCreditCode.parse(message.issuerCode, field: "issuer_code") else { return nil }
                return LicenceType(
                    code: message.code, nameZh: message.nameZh, nameEn: message.nameEn, issuerName: message.issuerName,
                    issuerCode: issuer, holderKinds: message.holderKinds.compactMap(HolderKind.init(rawValue:)),
                    fields: message.fields.map { LicenceFieldDescriptor(key: $0.key, labelZh: $0.labelZh, labelEn: $0.labelEn) },
                    connected: message.connected
                )
            }
        } catch {
            throw NoProofError(.unavailable, "cannot read the licence types from the server: \(error)")
        }
    }

    func importBatch(_ licences: [Licence]) async throws(NoProofError) -> ImportOutcome {
        try await send(licences.map(LicenceMessage.init))
    }

    /// One ImportLicences call, or several when the rows exceed the server's per-call limits
    /// (`FieldLimits.importRows` rows, `FieldLimits.importBytes` bytes): split in halves until
    /// each part fits, their outcomes merged with the row indices of the whole batch.
    private func send(_ rows: [LicenceMessage]) async throws(NoProofError) -> ImportOutcome {
        if rows.count > 1, rows.count > FieldLimits.importRows || Self.encodedSizeBound(rows) > FieldLimits.importBytes {
            let half = rows.count / 2
            var outcome = try await send(Array(rows[..<half]))
            outcome.merge(try await send(Array(rows[half...])), indexOffset: half)
            return outcome
        }
        do {
            let answer = try await client.importLicences(rows)
            return ImportOutcome(
                inserted: Int(answer.inserted), updated: Int(answer.updated), unchanged: Int(answer.unchanged),
                rejected: answer.rejected.map {
                    ImportOutcome.Rejection(index: Int($0.index), error: NoProofDomain.ValidationError(field: $0.field, reason: $0.reason))
                },
                rejectionsOmitted: Int(answer.rejectionsOmitted)
            )
        } catch {
            throw NoProofError(.unavailable, "the server refused the batch: \(error)")
        }
    }

    /// At least the encoded size of an ImportLicencesRequest with these rows (each string and
    /// message costs its bytes plus at most 4 bytes of tag and length).
    static func encodedSizeBound(_ rows: [LicenceMessage]) -> Int {
        rows.reduce(0) { total, row in
            let strings = [
                row.licenceID, row.typeCode, row.holderID, row.holderName, row.issuerCode, row.issuerName,
                row.issueDate, row.validFrom, row.validTo, row.status,
            ].reduce(0) { $0 + $1.utf8.count + 4 }
            let fields = row.fields.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 12 }
            return total + strings + fields + 6 + 4
        }
    }
}
