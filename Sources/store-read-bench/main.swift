// store-read-bench: the cost of the library's miss path, `LicenceStore.licence(byID:)`, on either backend.
//
//   swift run -c release store-read-bench --backend sqlite|postgres [--url postgres://…] [--licences N] [--reads M]
//
// Loads N demo licences (default 100,000) into a fresh store — a SQLite file in a temporary folder,
// or a fresh schema of the PostgreSQL database at --url (dropped afterwards) — then reads M
// (default 20,000) of them by identifier, one at a time from one task, in a random order, after
// 1,000 warm-up reads. Prints p50, p90, p99 and the mean in microseconds.
import Foundation
import NoProofDemoData
import NoProofDomain
import NoProofLicenceStore
import NoProofPostgres

func argument(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("store-read-bench: \(message)\n".utf8))
    exit(2)
}

let backend = argument("--backend") ?? "sqlite"
let licenceCount = Int(argument("--licences") ?? "100000") ?? 0
let readCount = Int(argument("--reads") ?? "20000") ?? 0
guard licenceCount > 0, readCount > 0 else { fail("--licences and --reads must be positive numbers") }

@concurrent
func timeReads(_ store: any LicenceStore, _ ids: [LicenceIdentifier]) async throws -> [Double] {
    var samples: [Double] = []
    samples.reserveCapacity(ids.count)
    for id in ids {
        let start = DispatchTime.now().uptimeNanoseconds
        guard try await store.licence(byID: id) != nil else { fail("licence \(id) not found") }
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
    }
    return samples
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
}

let generator = DemoDataGenerator(licenceCount: licenceCount)
let store: any LicenceStore
var cleanup: () async -> Void = {}
switch backend {
case "sqlite":
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-read-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let sqlite = try SQLiteLicenceStore(directory: folder)
    store = sqlite
    cleanup = {
        try? sqlite.close(); try? FileManager.default.removeItem(at: folder)
    }
case "postgres":
    guard let url = argument("--url") else { fail("--backend postgres needs --url postgres://USER@HOST:PORT/DATABASE") }
    let schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    let database = try PostgresStoreDatabase.connect(url: url, schema: String(schema))
    store = try await PostgresLicenceStore.open(database)
    cleanup = {
        try? await database.dropSchema()
        await database.shutdown()
    }
default:
    fail("--backend must be sqlite or postgres")
}

let loadStart = Date()
_ = try await seedDemo(store: store, count: licenceCount, batchSize: 5_000)
let loadSeconds = Date().timeIntervalSince(loadStart)
var random = SplitMix64(seed: 7)
let all = generator.licences().map(\.id)
let ids = (0..<(readCount + 1_000)).map { _ in all[Int(random.next() % UInt64(all.count))] }
_ = try await timeReads(store, Array(ids.prefix(1_000)))
let samples = try await timeReads(store, Array(ids.dropFirst(1_000))).sorted()
let mean = samples.reduce(0, +) / Double(samples.count)
print("backend \(backend): \(licenceCount) licences loaded in \(String(format: "%.1f", loadSeconds)) s; \(readCount) reads of licence(byID:)")
print(
    String(
        format: "p50 %.1f µs, p90 %.1f µs, p99 %.1f µs, mean %.1f µs",
        percentile(samples, 0.50), percentile(samples, 0.90), percentile(samples, 0.99), mean))
await cleanup()
