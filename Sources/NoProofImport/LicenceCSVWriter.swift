package import Foundation
package import NoProofDomain

/// Writes licences as CSV in the layout `LicenceImporter` reads: `licence_id`, `holder_id`,
/// `holder_name`, `issuer_name`, `issue_date`, `valid_from`, `valid_to`, `status`, then one
/// `field.<key>` column per data field of the given licence types. Used to export demo data and
/// by the import benchmark.
package enum LicenceCSVWriter {
    /// The header cells for `types`' data fields (each key once, in catalogue order).
    package static func header(types: [LicenceType] = LicenceTypeCatalogue.starter) -> [String] {
        var keys: [String] = []
        var seen = Set<String>()
        for type in types { for field in type.fields where seen.insert(field.key).inserted { keys.append(field.key) } }
        return ["licence_id", "holder_id", "holder_name", "issuer_name", "issue_date", "valid_from", "valid_to", "status"]
            + keys.map { "field.\($0)" }
    }

    /// Writes `licences` to `url` (replacing it), streaming in 1 MiB blocks.
    /// - Returns: the number of rows written.
    /// - Throws: when a licence has a field no type declares, or the file cannot be written.
    @discardableResult
    package static func write<S: Sequence>(
        _ licences: S, to url: URL,
        types: [LicenceType] = LicenceTypeCatalogue.starter
    ) throws -> Int where S.Element == Licence {
        let header = header(types: types)
        let fieldKeys = header.dropFirst(8).map { String($0.dropFirst(6)) }
        let column = Dictionary(uniqueKeysWithValues: fieldKeys.enumerated().map { ($1, $0) })
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var out = ""
        out.reserveCapacity(1 << 20 + 4096)
        out += header.joined(separator: ",") + "\n"
        var count = 0
        var cells = [String](repeating: "", count: fieldKeys.count)
        for licence in licences {
            out += licence.id.description; out += ","
            out += licence.holder.key; out += ","
            appendCell(licence.holderName, to: &out); out += ","
            appendCell(licence.issuerName, to: &out); out += ","
            out += licence.issueDate.description; out += ","
            out += licence.validFrom.description; out += ","
            if let validTo = licence.validTo { out += validTo.description }
            out += ","
            out += licence.status.rawValue
            for i in cells.indices { cells[i] = "" }
            for (key, value) in licence.fields {
                guard let i = column[key] else {
                    throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "licence \(licence.id) has undeclared field \(key)"])
                }
                cells[i] = value
            }
            for cell in cells {
                out += ","
                appendCell(cell, to: &out)
            }
            out += "\n"
            count += 1
            if out.utf8.count >= 1 << 20 {
                try handle.write(contentsOf: Data(out.utf8))
                out.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: Data(out.utf8))
        return count
    }

    /// Appends `value`, quoted if it contains a comma, quote, or line break.
    static func appendCell(_ value: String, to out: inout String) {
        if value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            out += "\""
            out += value.replacingOccurrences(of: "\"", with: "\"\"")
            out += "\""
        } else {
            out += value
        }
    }
}
