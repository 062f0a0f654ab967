package import Foundation
import NoProofDomain

/// Bulk-loads licences from a department's export into a `LicenceImportTarget` (a store, or a server over RPC).
///
/// Formats:
/// - **CSV** with a header row. Columns: `licence_id` *or* all of `type_code`, `issuer_code`,
///   `serial`, `version` (the identifier's parts; the check character is computed); `holder_id`,
///   `holder_name`, `issue_date`; optional `valid_from` (defaults to `issue_date`), `valid_to`
///   (empty = indefinite), `status` (default `valid`), `issuer_name` (defaults to the licence
///   type's issuing unit when the issuer code is that unit's); data fields as `field.<key>`
///   columns (an empty cell means the field is absent). Dates are `YYYY-MM-DD`.
/// - **JSON Lines**: one object per line with the same keys, data fields in a `fields` object.
///
/// Invalid rows are reported (row, field, reason) and skipped; the rest is imported through
/// `LicenceStore.importBatch`, so a re-run changes nothing and reports the rows as unchanged.
/// The file is streamed in 1 MiB chunks.
package struct LicenceImporter: Sendable {
    /// Input format.
    package enum Format: String, Sendable, CaseIterable {
        /// Comma-separated values with a header row.
        case csv
        /// One JSON object per line.
        case jsonLines = "jsonl"

        /// The format implied by a file name: `.jsonl`/`.ndjson` are JSON Lines, anything else CSV.
        package static func infer(from url: URL) -> Format {
            switch url.pathExtension.lowercased() {
            case "jsonl", "ndjson": .jsonLines
            default: .csv
            }
        }
    }

    /// Progress of a running import, reported after every batch and at the end.
    package struct Progress: Sendable, Equatable {
        /// Data rows read so far (good and bad).
        package var rowsProcessed: Int
        /// Bytes read from the input so far.
        package var bytesRead: Int
        /// Size of the input in bytes, when known.
        package var totalBytes: Int?

        /// Fraction done in 0...1, when the total size is known.
        package var fraction: Double? {
            guard let totalBytes, totalBytes > 0 else { return nil }
            return min(1, Double(bytesRead) / Double(totalBytes))
        }
    }

    /// A refused input row.
    package struct Rejection: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line number of the row in the file (a CSV header is line 1).
        package var row: Int
        /// The offending column / key (`holder_id`, `field.spouse_name`, ...).
        package var field: String
        /// Why the row was refused.
        package var reason: String

        /// Creates a rejection.
        package init(row: Int, field: String, reason: String) {
            self.row = row
            self.field = field
            self.reason = reason
        }

        /// `row 12: holder_id: check digit is 5, expected X`.
        package var description: String { "row \(row): \(field): \(reason)" }
    }

    /// The result of an import.
    package struct Report: Sendable, Equatable {
        /// The format read.
        package var format: Format
        /// Data rows read (header and blank lines excluded).
        package var rowsRead = 0
        /// Rows stored as new licences.
        package var inserted = 0
        /// Rows that changed an existing licence (a new version was recorded).
        package var updated = 0
        /// Rows identical to what was stored.
        package var unchanged = 0
        /// Number of refused rows (may exceed `rejections.count`, which is capped).
        package var rejectedCount = 0
        /// Refused rows, in file order, at most `LicenceImporter.maxReportedRejections`.
        package var rejections: [Rejection] = []
        /// Refused rows (counted in `rejectedCount`) that the server counted without listing them:
        /// it lists at most the first 1,000 rejections of a call.
        package var rejectionsNotListed = 0
        /// Wall-clock duration in seconds.
        package var seconds: Double = 0

        /// Rows read per second.
        package var rowsPerSecond: Double { seconds > 0 ? Double(rowsRead) / seconds : 0 }
    }

    /// A problem with the file as a whole (unreadable, bad header); rows are never reported this way.
    package struct FileError: Error, Sendable, CustomStringConvertible {
        /// Explanation.
        package var message: String
        package var description: String { message }
    }

    /// The store (or server) receiving the licences.
    package let store: any LicenceImportTarget
    /// Rows handed to `importBatch` at a time.
    package var batchSize: Int
    /// Batches handed over and not yet answered, at most. 1 suits a local store (one SQLite
    /// writer); a remote server checks one batch while it writes another, so the CLI uses more.
    package var maxInFlight: Int
    /// Cap on `Report.rejections`.
    package var maxReportedRejections: Int

    /// Creates an importer for `store`.
    package init(store: any LicenceImportTarget, batchSize: Int = 5_000, maxReportedRejections: Int = 10_000, maxInFlight: Int = 1) {
        precondition(batchSize > 0, "batchSize must be positive")
        precondition(maxInFlight > 0, "maxInFlight must be positive")
        self.store = store
        self.batchSize = batchSize
        self.maxInFlight = maxInFlight
        self.maxReportedRejections = maxReportedRejections
    }

    static let chunkSize = 1 << 20
    static let knownColumns: Set<String> = [
        "licence_id", "type_code", "issuer_code", "serial", "version", "holder_id",
        "holder_name", "issuer_name", "issue_date", "valid_from", "valid_to", "status",
    ]

    /// Imports the file at `url` (format inferred from the extension unless given).
    /// - Throws: `FileError` when the file cannot be read or its CSV header is unusable;
    ///   `NoProofError` when the store fails. Bad rows never throw.
    package func importFile(
        at url: URL, format: Format? = nil,
        progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> Report {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw FileError(message: "cannot open \(url.path): \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue
        return try await run(format: format ?? Format.infer(from: url), totalBytes: total, progress: progress) {
            do {
                return try handle.read(upToCount: LicenceImporter.chunkSize).map { [UInt8]($0) } ?? []
            } catch {
                throw FileError(message: "cannot read \(url.path): \(error.localizedDescription)")
            }
        }
    }

    /// Imports from in-memory text (tests, small uploads).
    package func importText(
        _ text: String, format: Format,
        progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> Report {
        var remaining = Array(text.utf8)[...]
        return try await run(format: format, totalBytes: remaining.count, progress: progress) {
            let chunk = remaining.prefix(LicenceImporter.chunkSize)
            remaining = remaining.dropFirst(chunk.count)
            return Array(chunk)
        }
    }

    // MARK: - Driver

    private func run(
        format: Format, totalBytes: Int?, progress: (@Sendable (Progress) -> Void)?,
        readChunk: () throws -> [UInt8]
    ) async throws -> Report {
        let started = Date()
        let types = Dictionary(uniqueKeysWithValues: try await store.licenceTypes().map { ($0.code, $0) })
        var state = State(report: Report(format: format), types: types, maxRejections: maxReportedRejections)
        defer { for batch in state.inFlight { batch.task.cancel() } }
        var bytesRead = 0
        var atEnd = false
        var csv = CSVRecordParser()
        var header: CSVHeader?
        var lineBuffer: [UInt8] = []
        var lineNumber = 0

        while !atEnd {
            let chunk = try readChunk()
            bytesRead += chunk.count
            atEnd = chunk.isEmpty
            switch format {
            case .csv:
                csv.append(chunk)
                while let record = csv.next(atEndOfInput: atEnd) {
                    guard let columns = header else {
                        header = try CSVHeader(record.fields)
                        continue
                    }
                    state.report.rowsRead += 1
                    if let error = record.error {
                        state.reject(row: record.line, ValidationError(field: "row", reason: error))
                    } else {
                        state.add(columns.licence(from: record.fields, line: record.line, types: types), row: record.line)
                    }
                    if state.pending.count >= batchSize {
                        try await flush(&state)
                        progress?(Progress(rowsProcessed: state.report.rowsRead, bytesRead: bytesRead, totalBytes: totalBytes))
                    }
                }
            case .jsonLines:
                lineBuffer.append(contentsOf: chunk)
                var start = 0
                while true {
                    let end = lineBuffer[start...].firstIndex(of: 0x0A) ?? (atEnd && start < lineBuffer.count ? lineBuffer.count : nil)
                    guard let end else { break }
                    lineNumber += 1
                    let line = lineBuffer[start..<end]
                    start = min(end + 1, lineBuffer.count)
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                    state.report.rowsRead += 1
                    state.add(JSONLineRow.licence(from: line, types: types), row: lineNumber)
                    if state.pending.count >= batchSize {
                        try await flush(&state)
                        progress?(Progress(rowsProcessed: state.report.rowsRead, bytesRead: bytesRead, totalBytes: totalBytes))
                    }
                    if start >= lineBuffer.count { break }
                }
                lineBuffer.removeSubrange(0..<start)
            }
        }
        if format == .csv, header == nil {
            throw FileError(message: "the CSV input is empty: a header row is required")
        }
        try await flush(&state)
        try await drain(&state)
        state.report.seconds = Date().timeIntervalSince(started)
        progress?(Progress(rowsProcessed: state.report.rowsRead, bytesRead: bytesRead, totalBytes: totalBytes))
        return state.report
    }

    /// Hands the pending rows to the store. Batches are written by child tasks while the caller
    /// goes on parsing (two cores: one parses, one runs SQLite); once `maxInFlight` batches are
    /// out, the oldest is awaited first, so outcomes are applied in file order.
    private func flush(_ state: inout State) async throws {
        while state.inFlight.count >= maxInFlight { try await drainOldest(&state) }
        guard !state.pending.isEmpty else { return }
        let batch = state.pending
        let store = self.store
        state.inFlight.append((Task { try await store.importBatch(batch) }, state.pendingRows))
        state.pending.removeAll(keepingCapacity: true)
        state.pendingRows.removeAll(keepingCapacity: true)
    }

    /// Waits for every batch in flight and records their outcomes.
    private func drain(_ state: inout State) async throws {
        while !state.inFlight.isEmpty { try await drainOldest(&state) }
    }

    /// Waits for the oldest batch in flight and records its outcome.
    private func drainOldest(_ state: inout State) async throws {
        guard !state.inFlight.isEmpty else { return }
        let (task, rows) = state.inFlight.removeFirst()
        let outcome = try await task.value
        state.report.inserted += outcome.inserted
        state.report.updated += outcome.updated
        state.report.unchanged += outcome.unchanged
        for rejection in outcome.rejected {
            state.reject(row: rows[rejection.index], rejection.error)
        }
        state.report.rejectedCount += outcome.rejectionsOmitted
        state.report.rejectionsNotListed += outcome.rejectionsOmitted
        if !outcome.rejected.isEmpty {
            state.report.rejections.sort { $0.row < $1.row }
        }
    }

    private struct State {
        var report: Report
        let types: [String: LicenceType]
        let maxRejections: Int
        var pending: [Licence] = []
        var pendingRows: [Int] = []
        var inFlight: [(task: Task<ImportOutcome, any Error>, rows: [Int])] = []

        mutating func add(_ result: Result<Licence, ValidationError>, row: Int) {
            switch result {
            case .success(let licence):
                pending.append(licence)
                pendingRows.append(row)
            case .failure(let error):
                reject(row: row, error)
            }
        }

        mutating func reject(row: Int, _ error: ValidationError) {
            report.rejectedCount += 1
            if report.rejections.count < maxRejections {
                report.rejections.append(Rejection(row: row, field: error.field, reason: error.reason))
            }
        }
    }

    // MARK: - Row mapping shared by both formats

    /// Builds a licence from column values (`value(name)` returns the trimmed cell, `nil` when
    /// absent or empty) and data fields.
    static func makeLicence(
        value: (String) -> String?, fields: [String: String],
        types: [String: LicenceType]
    ) throws(ValidationError) -> Licence {
        let id: LicenceIdentifier
        if let text = value("licence_id") {
            id = try LicenceIdentifier.parse(text)
            if let typeCode = value("type_code"), typeCode != id.typeCode {
                throw ValidationError(field: "type_code", reason: "\(typeCode) differs from the licence_id's type code \(id.typeCode)")
            }
            if let issuer = value("issuer_code"), issuer != id.issuerCode.value {
                throw ValidationError(field: "issuer_code", reason: "\(issuer) differs from the licence_id's issuer code \(id.issuerCode)")
            }
        } else {
            guard let typeCode = value("type_code") else {
                throw ValidationError(field: "licence_id", reason: "required (or give type_code, issuer_code, serial and version)")
            }
            guard let issuerText = value("issuer_code") else { throw ValidationError(field: "issuer_code", reason: "required when licence_id is absent") }
            guard let serial = value("serial") else { throw ValidationError(field: "serial", reason: "required when licence_id is absent") }
            guard let versionText = value("version") else { throw ValidationError(field: "version", reason: "required when licence_id is absent") }
            let issuer = try UnifiedSocialCreditCode.parse(issuerText, field: "issuer_code")
            guard versionText.utf8.count <= 3, let version = Int(versionText), (1...999).contains(version) else {
                throw ValidationError(field: "version", reason: "must be 1-999 (001-999), got \"\(versionText)\"")
            }
            do {
                try LicenceIdentifier.validatePart(typeCode, name: "type code")
            } catch { throw error.renamed(to: "type_code") }
            do {
                try LicenceIdentifier.validatePart(serial, name: "serial")
            } catch { throw error.renamed(to: "serial") }
            id = try LicenceIdentifier.make(typeCode: typeCode, issuer: issuer, serial: serial, version: version)
        }
        guard let type = types[id.typeCode] else {
            throw ValidationError(field: "type_code", reason: "unknown licence type \(id.typeCode)")
        }
        guard let holderText = value("holder_id") else { throw ValidationError(field: "holder_id", reason: "required") }
        let holder = try Holder.parse(holderText, field: "holder_id")
        guard let holderName = value("holder_name") else { throw ValidationError(field: "holder_name", reason: "required") }
        let issuerName: String
        if let name = value("issuer_name") {
            issuerName = name
        } else if id.issuerCode == type.issuerCode {
            issuerName = type.issuerName
        } else {
            throw ValidationError(
                field: "issuer_name",
                reason: "required because issuer \(id.issuerCode) is not the licence type's issuing unit \(type.issuerCode)")
        }
        guard let issueText = value("issue_date") else { throw ValidationError(field: "issue_date", reason: "required") }
        let issueDate = try CivilDate.parse(issueText, field: "issue_date")
        let validFrom = try value("valid_from").map { text throws(ValidationError) in try CivilDate.parse(text, field: "valid_from") } ?? issueDate
        let validTo = try value("valid_to").map { text throws(ValidationError) in try CivilDate.parse(text, field: "valid_to") }
        let status = try value("status").map { text throws(ValidationError) in try LicenceStatus.parse(text) } ?? .valid
        let licence = Licence(
            id: id, holder: holder, holderName: holderName, issuerName: issuerName, issueDate: issueDate,
            validFrom: validFrom, validTo: validTo, status: status, version: 1, fields: fields)
        try licence.validate()
        try licence.validate(against: type)
        return licence
    }
}

/// A validated CSV header: column positions by name.
struct CSVHeader {
    let index: [String: Int]
    let fieldColumns: [(key: String, column: Int)]

    init(_ names: [String]) throws {
        var index: [String: Int] = [:]
        var fieldColumns: [(String, Int)] = []
        for (i, raw) in names.enumerated() {
            let name = raw.trimmingWhitespace
            guard !name.isEmpty else {
                throw LicenceImporter.FileError(message: "CSV header column \(i + 1) is empty")
            }
            guard index[name] == nil else {
                throw LicenceImporter.FileError(message: "CSV header names column \(name) twice")
            }
            index[name] = i
            if name.hasPrefix("field.") {
                let key = String(name.dropFirst(6))
                guard !key.isEmpty else { throw LicenceImporter.FileError(message: "CSV header column \(i + 1) \"field.\" has no field key") }
                fieldColumns.append((key, i))
            } else if !LicenceImporter.knownColumns.contains(name) {
                throw LicenceImporter.FileError(message: "CSV header has unknown column \"\(name)\" (data fields are written field.<key>)")
            }
        }
        let hasID = index["licence_id"] != nil
        let hasParts = ["type_code", "issuer_code", "serial", "version"].allSatisfy { index[$0] != nil }
        guard hasID || hasParts else {
            throw LicenceImporter.FileError(message: "CSV header needs licence_id or all of type_code, issuer_code, serial, version")
        }
        for required in ["holder_id", "holder_name", "issue_date"] where index[required] == nil {
            throw LicenceImporter.FileError(message: "CSV header lacks the required column \(required)")
        }
        self.index = index
        self.fieldColumns = fieldColumns
    }

    func licence(from cells: [String], line: Int, types: [String: LicenceType]) -> Result<Licence, ValidationError> {
        guard cells.count == index.count else {
            return .failure(ValidationError(field: "row", reason: "has \(cells.count) cells, the header has \(index.count)"))
        }
        func value(_ name: String) -> String? {
            guard let i = index[name] else { return nil }
            let v = cells[i].trimmingWhitespace
            return v.isEmpty ? nil : v
        }
        var fields: [String: String] = [:]
        for (key, column) in fieldColumns {
            let v = cells[column].trimmingWhitespace
            if !v.isEmpty { fields[key] = v }
        }
        do {
            return .success(try LicenceImporter.makeLicence(value: value, fields: fields, types: types))
        } catch {
            return .failure(error)
        }
    }
}

/// Maps one JSON Lines object to a licence.
enum JSONLineRow {
    static func licence(from line: ArraySlice<UInt8>, types: [String: LicenceType]) -> Result<Licence, ValidationError> {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                return .failure(ValidationError(field: "row", reason: "not a JSON object"))
            }
            object = parsed
        } catch {
            return .failure(ValidationError(field: "row", reason: "not valid JSON"))
        }
        var fields: [String: String] = [:]
        if let raw = object["fields"], !(raw is NSNull) {
            guard let map = raw as? [String: Any] else {
                return .failure(ValidationError(field: "fields", reason: "must be an object of field values"))
            }
            for (key, v) in map {
                guard let text = scalarText(v) else {
                    if v is NSNull { continue }
                    return .failure(ValidationError(field: "field.\(key)", reason: "must be a string or a number"))
                }
                let trimmed = text.trimmingWhitespace
                if !trimmed.isEmpty { fields[key] = trimmed }
            }
        }
        for key in object.keys where key != "fields" && !LicenceImporter.knownColumns.contains(key) {
            return .failure(ValidationError(field: key, reason: "unknown key (data fields belong in the fields object)"))
        }
        func value(_ name: String) -> String? {
            guard let v = object[name], let text = scalarText(v) else { return nil }
            let trimmed = text.trimmingWhitespace
            return trimmed.isEmpty ? nil : trimmed
        }
        do {
            return .success(try LicenceImporter.makeLicence(value: value, fields: fields, types: types))
        } catch {
            return .failure(error)
        }
    }

    static func scalarText(_ value: Any) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }
}
