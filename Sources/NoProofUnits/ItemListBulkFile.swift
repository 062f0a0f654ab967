package import Foundation
import NoProofDomain

/// A bulk file of item lists, parsed and validated entry by entry: the units whose content is
/// valid, and a report of every problem. A unit with any problem yields no entry (all or nothing
/// per unit), so a partly wrong list is never loaded.
///
/// JSON form:
/// ```json
/// {"lists": [{"unit": "<credit code>",
///             "items": [{"code": "SW-001", "name": "...", "kind": "commitment", "promised_days": 3,
///                        "proofs": [{"proof": "JMSFZ", "method": "data_sharing", "fields": ["birth_date"]},
///                                   {"proof": "XWZS", "method": "department_verification", "issuing_unit": "<code>"},
///                                   {"proof": "WFZJL", "method": "excluded", "exclusion": "high_risk",
///                                    "exclusion_category": "public_safety", "exclusion_note": "..."}]}],
///             "changes": [{"kind": "add", "item": "SW-001", "proof": "JMSFZ", "cause": "...", "cause_date": "2026-03-05"}]}]}
/// ```
/// CSV form: a header row naming the columns `unit, item, item_name, item_kind, promised_days,
/// promised_hours, proof, proof_name, method, issuing_unit, exclusion, exclusion_category,
/// exclusion_note, fields` (any order; `fields` the data fields a data-sharing proof needs,
/// separated by `;` or spaces, or `*` for the full record; `unit`, `item`, `item_name`, `item_kind` required), then one row
/// per proof; an item without proofs is one row with an empty `proof`. CSV carries no declared
/// changes; add them to the draft afterwards.
package struct ItemListBulkFile: Hashable, Sendable {
    /// Valid entries, in file order, one per unit.
    package var entries: [ItemListBulkEntry]
    /// Every problem found.
    package var problems: [BulkLoadProblem]

    /// Creates a parse result.
    package init(entries: [ItemListBulkEntry], problems: [BulkLoadProblem]) {
        self.entries = entries
        self.problems = problems
    }

    private struct FileDTO: Decodable { var lists: [ListDTO] }
    private struct ListDTO: Decodable {
        var unit: String?
        var items: [ServiceItemRecord]?
        var changes: [ChangeDTO]?
    }
    private struct ChangeDTO: Decodable {
        var kind: String?
        var item: String?
        var proof: String?
        var cause: String?
        var causeDate: String?
        enum CodingKeys: String, CodingKey { case kind, item, proof, cause, causeDate = "cause_date" }
    }

    /// Parses the JSON form (an object with `lists`, or a bare array of lists).
    package static func parseJSON(_ data: Data) -> ItemListBulkFile {
        let lists: [ListDTO]
        do {
            if let file = try? JSONDecoder().decode(FileDTO.self, from: data) {
                lists = file.lists
            } else {
                lists = try JSONDecoder().decode([ListDTO].self, from: data)
            }
        } catch {
            return ItemListBulkFile(
                entries: [],
                problems: [
                    BulkLoadProblem(
                        location: "file", unit: "", field: "lists",
                        message: "not a list file: expected {\"lists\": [{\"unit\": ..., \"items\": [...]}]} (\(error))")
                ])
        }
        var result = ItemListBulkFile(entries: [], problems: [])
        var seenUnits = Set<String>()
        for (index, list) in lists.enumerated() {
            let location = "lists[\(index)]"
            let unitText = list.unit ?? ""
            var problems: [BulkLoadProblem] = []
            func report(_ error: ValidationError, at place: String) {
                problems.append(BulkLoadProblem(location: place, unit: unitText, field: error.field, message: error.reason))
            }
            var unitCode: UnifiedSocialCreditCode?
            do { unitCode = try UnifiedSocialCreditCode.parse(unitText, field: "unit") } catch { report(error, at: location) }
            if !seenUnits.insert(unitText).inserted {
                report(ValidationError(field: "unit", reason: "unit appears more than once in the file; give each unit one entry"), at: location)
            }
            var items: [ServiceItem] = []
            for (itemIndex, record) in (list.items ?? []).enumerated() {
                do { items.append(try ServiceItem(record: record, field: "items[\(itemIndex)]")) } catch {
                    report(error, at: "\(location).items[\(itemIndex)]")
                }
            }
            if (list.items ?? []).isEmpty {
                report(ValidationError(field: "items", reason: "a list needs at least one item"), at: location)
            }
            var changes: [ListChange] = []
            for (changeIndex, dto) in (list.changes ?? []).enumerated() {
                do { changes.append(try change(dto, field: "changes[\(changeIndex)]")) } catch { report(error, at: "\(location).changes[\(changeIndex)]") }
            }
            if problems.isEmpty, let unitCode {
                do {
                    try ItemListStateMachine().validateContent(items)
                    result.entries.append(ItemListBulkEntry(unitCode: unitCode, items: items, changes: changes, location: location))
                } catch { report(error, at: location) }
            }
            result.problems += problems
        }
        return result
    }

    private static func change(_ dto: ChangeDTO, field: String) throws(ValidationError) -> ListChange {
        let kind = try ListChangeKind.parse(dto.kind ?? "", field: "\(field).kind")
        let date = try CivilDate.parse(dto.causeDate ?? "", field: "\(field).cause_date")
        let proof = (dto.proof?.isEmpty ?? true) ? nil : dto.proof
        let change = ListChange(kind: kind, itemCode: dto.item ?? "", proofCode: proof, cause: dto.cause ?? "", causeDate: date)
        try change.validate(field: field)
        return change
    }

    /// Parses the CSV form (RFC 4180 quoting; UTF-8; a leading byte-order mark is ignored).
    package static func parseCSV(_ text: String) -> ItemListBulkFile {
        var rows = CSVRows.parse(text)
        guard !rows.isEmpty else {
            return ItemListBulkFile(
                entries: [],
                problems: [BulkLoadProblem(location: "file", unit: "", field: "header", message: "the file is empty; the first row must name the columns")])
        }
        let header = rows.removeFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let required = ["unit", "item", "item_name", "item_kind"]
        let missing = required.filter { !header.contains($0) }
        if !missing.isEmpty {
            return ItemListBulkFile(
                entries: [],
                problems: [
                    BulkLoadProblem(
                        location: "row 1", unit: "", field: "header",
                        message:
                            "missing column(s) \(missing.joined(separator: ", ")); the header must name unit, item, item_name, item_kind, proof, method, ...")
                ])
        }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        func value(_ row: [String], _ name: String) -> String? {
            guard let index = column[name], index < row.count else { return nil }
            let text = row[index].trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }

        struct ItemGroup { var firstRow: Int; var record: ServiceItemRecord; var proofRows: [Int] }
        struct UnitGroup { var firstRow: Int; var items: [String: ItemGroup]; var order: [String]; var problems: [BulkLoadProblem] }
        var units: [String: UnitGroup] = [:]
        var unitOrder: [String] = []
        for (offset, row) in rows.enumerated() {
            let rowNumber = offset + 2
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let unit = value(row, "unit") ?? ""
            if units[unit] == nil {
                units[unit] = UnitGroup(firstRow: rowNumber, items: [:], order: [], problems: [])
                unitOrder.append(unit)
            }
            func report(_ field: String, _ message: String) {
                units[unit]!.problems.append(BulkLoadProblem(location: "row \(rowNumber)", unit: unit, field: field, message: message))
            }
            guard let itemCode = value(row, "item") else { report("item", "every row needs the item code"); continue }
            var days: Int?, hours: Int?
            if let text = value(row, "promised_days") {
                guard let n = Int(text) else { report("promised_days", "must be a whole number, got \"\(text)\""); continue }
                days = n
            }
            if let text = value(row, "promised_hours") {
                guard let n = Int(text) else { report("promised_hours", "must be a whole number, got \"\(text)\""); continue }
                hours = n
            }
            let itemRecord = ServiceItemRecord(
                code: itemCode, name: value(row, "item_name"), kind: value(row, "item_kind"),
                promisedDays: days, promisedHours: hours, proofs: [])
            if var group = units[unit]!.items[itemCode] {
                var existing = group.record
                existing.proofs = []
                if existing != itemRecord {
                    report(
                        "item_name",
                        "item \(itemCode) is described differently than on row \(group.firstRow); repeat the same name, kind and promised time on every row of an item"
                    )
                    continue
                }
                if value(row, "proof") == nil {
                    report("proof", "item \(itemCode) already has rows; a row without a proof is only for an item with no proofs")
                    continue
                }
                group.proofRows.append(rowNumber)
                units[unit]!.items[itemCode] = group
            } else {
                units[unit]!.items[itemCode] = ItemGroup(firstRow: rowNumber, record: itemRecord, proofRows: [])
                units[unit]!.order.append(itemCode)
                if value(row, "proof") != nil { units[unit]!.items[itemCode]!.proofRows.append(rowNumber) }
            }
            guard let proofCode = value(row, "proof") else { continue }
            let proofRecord = ProofRequirementRecord(
                proof: proofCode, name: value(row, "proof_name"), method: value(row, "method"),
                issuingUnit: value(row, "issuing_unit"), exclusion: value(row, "exclusion"),
                exclusionCategory: value(row, "exclusion_category"), exclusionNote: value(row, "exclusion_note"),
                fields: value(row, "fields").map(Self.fieldList))
            do {
                _ = try ProofRequirement(record: proofRecord, field: "proof")
                units[unit]!.items[itemCode]!.record.proofs!.append(proofRecord)
            } catch {
                report(error.field, error.reason)
            }
        }

        var result = ItemListBulkFile(entries: [], problems: [])
        for unit in unitOrder {
            var group = units[unit]!
            var unitCode: UnifiedSocialCreditCode?
            do { unitCode = try UnifiedSocialCreditCode.parse(unit, field: "unit") } catch {
                group.problems.insert(BulkLoadProblem(location: "row \(group.firstRow)", unit: unit, field: "unit", message: error.reason), at: 0)
            }
            var items: [ServiceItem] = []
            for (index, code) in group.order.enumerated() {
                let item = group.items[code]!
                do { items.append(try ServiceItem(record: item.record, field: "items[\(index)]")) } catch {
                    group.problems.append(BulkLoadProblem(location: "row \(item.firstRow)", unit: unit, field: error.field, message: error.reason))
                }
            }
            if group.problems.isEmpty, let unitCode {
                do {
                    try ItemListStateMachine().validateContent(items)
                    result.entries.append(ItemListBulkEntry(unitCode: unitCode, items: items, changes: [], location: "row \(group.firstRow)"))
                } catch {
                    group.problems.append(BulkLoadProblem(location: "row \(group.firstRow)", unit: unit, field: error.field, message: error.reason))
                }
            }
            result.problems += group.problems
        }
        return result
    }

    /// A CSV `fields` cell: keys separated by `;`, `,` or spaces.
    static func fieldList(_ cell: String) -> [String] {
        cell.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }).map(String.init)
    }
}
