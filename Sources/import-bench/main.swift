// import-bench: generates demo licences to a temporary CSV file, imports them into a fresh
// SQLite licence store and reports rows per second. Usage: import-bench [rows] (default 200000).
// import-bench --write FILE ROWS SEED writes a demo export (CSV) for `noproof import` and exits.
import Foundation
import NoProofDomain
import NoProofLicenceStore
import NoProofDemoData
import NoProofImport

if CommandLine.arguments.count == 5, CommandLine.arguments[1] == "--write",
    let count = Int(CommandLine.arguments[3]), let seed = UInt64(CommandLine.arguments[4])
{
    let url = URL(fileURLWithPath: CommandLine.arguments[2])
    let written = try LicenceCSVWriter.write(DemoDataGenerator(seed: seed, licenceCount: count).licences(), to: url)
    print("wrote \(written) demo licences (seed \(seed)) to \(url.path)")
    exit(0)
}

let rows = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 200_000
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("noproof-import-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

let csv = directory.appendingPathComponent("licences.csv")
var clock = Date()
let written = try LicenceCSVWriter.write(DemoDataGenerator(licenceCount: rows).licences(), to: csv)
let size = (try FileManager.default.attributesOfItem(atPath: csv.path)[.size] as? NSNumber)?.intValue ?? 0
print("generated \(written) rows (\(size / 1_048_576) MiB CSV) in \(String(format: "%.2f", Date().timeIntervalSince(clock))) s")

let store = try SQLiteLicenceStore(directory: directory.appendingPathComponent("db"))
try await store.upsertLicenceTypes(LicenceTypeCatalogue.starter)
let importer = LicenceImporter(store: store)

clock = Date()
let first = try await importer.importFile(at: csv)
let firstSeconds = Date().timeIntervalSince(clock)
print(
    "import:    \(first.rowsRead) rows, inserted \(first.inserted), rejected \(first.rejectedCount) in "
        + "\(String(format: "%.2f", firstSeconds)) s = \(Int(Double(first.rowsRead) / firstSeconds)) rows/s")

clock = Date()
let second = try await importer.importFile(at: csv)
let secondSeconds = Date().timeIntervalSince(clock)
print(
    "re-import: \(second.rowsRead) rows, unchanged \(second.unchanged), inserted \(second.inserted) in "
        + "\(String(format: "%.2f", secondSeconds)) s = \(Int(Double(second.rowsRead) / secondSeconds)) rows/s")
print("store count: \(try await store.count())")
try store.close()
