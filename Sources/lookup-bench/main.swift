// lookup-bench: how the cost of a lookup grows with the size of the licence library.
//
//   swift run -c release lookup-bench [--max N] [--sqlite-max N]
//
// For N = 10^4, 10^5, ... up to --max (default 10^6; 10^7 needs ~8 GiB of memory) it fills the
// in-memory index with N demo licences and times lookups of Zipf-distributed holders (a hit:
// index probe + choosing the valid licence). Up to --sqlite-max (default 10^6) it also loads N
// licences into a SQLite store and times the same lookups with the index bypassed (a miss:
// an indexed query through the store's own reader), and, side by side, the same query through
// GRDB's asynchronous pool read (the miss path before that reader). It then times what every found lookup adds: encoding the proof
// body with protobuf-c and sealing it with Ed25519. Results are printed as a table.
import Foundation
import Logging
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
import NoProofLibrary
import NoProofMessages
import NoProofSeals
import NoProofLicenceStore
import NoProofDemoData

func argument(_ name: String, default value: Int) -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count,
        let parsed = Int(CommandLine.arguments[index + 1])
    else { return value }
    return parsed
}

let maxMemory = argument("--max", default: 1_000_000)
let maxSQLite = argument("--sqlite-max", default: 1_000_000)
let today = DemoDataGenerator.defaultReferenceDate
var logger = Logger(label: "lookup-bench")
logger.logLevel = .warning

func nanoseconds(_ start: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) }

/// CPU time of the whole process (every thread) in ns: on a shared, loaded machine the wall time
/// of a miss measures the scheduler as much as the work; the CPU it costs does not.
func processCPUNanoseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
}

/// Wall and process-CPU ns per operation, as "wall (cpu)".
func perOperation(_ count: Int, _ body: () async throws -> Void) async rethrows -> String {
    let cpu = processCPUNanoseconds()
    let start = DispatchTime.now()
    try await body()
    let wall = nanoseconds(start) / Double(count)
    return String(format: "%.0f (%.0f)", wall, (processCPUNanoseconds() - cpu) / Double(count))
}

func sampleHolders(_ generator: DemoDataGenerator, count: Int) -> [DemoHolder] {
    var sampler = generator.holderSampler(exponent: 1.0, seed: 42)
    return (0..<count).map { _ in generator.holder(at: sampler.next()) }
}

/// Times lookups of Zipf-chosen holders on the index, synchronously (as the server's event
/// loop does); returns ns per lookup and how many found a valid licence.
func timeIndexLookups(generator: DemoDataGenerator, count: Int, _ lookup: (DemoHolder) -> Bool) -> (Double, Int) {
    let holders = sampleHolders(generator, count: count)
    var found = 0
    let start = DispatchTime.now()
    for holder in holders where lookup(holder) { found += 1 }
    return (nanoseconds(start) / Double(count), found)
}

/// Times lookups that go to the store, from one non-isolated task (no main-actor hops).
@concurrent
func timeStoreLookups(generator: DemoDataGenerator, count: Int, library: LicenceLibrary) async throws -> String {
    let holders = sampleHolders(generator, count: count)
    return try await perOperation(count) {
        for holder in holders {
            library.cache.invalidate(holder: holder.holder.key)
            _ = library.outcome(try await library.licences(of: holder.holder), typeCode: holder.guaranteedTypeCode)
        }
    }
}

/// The same misses through GRDB's asynchronous pool read (the miss path before the store's own
/// reader), for the side-by-side column.
@concurrent
func timePoolLookups(generator: DemoDataGenerator, count: Int, store: SQLiteLicenceStore, library: LicenceLibrary) async throws -> String {
    let holders = sampleHolders(generator, count: count)
    return try await perOperation(count) {
        for holder in holders {
            _ = library.outcome(try await store.licencesThroughPool(holder: holder.holder, typeCode: nil), typeCode: holder.guaranteedTypeCode)
        }
    }
}

print("| licences | index (hit) ns/lookup | SQLite (miss) ns/lookup, wall (process CPU) | SQLite miss via GRDB pool read, wall (CPU) | found |")
print("|---:|---:|---:|---:|---:|")
var size = 10_000
while size <= max(maxMemory, maxSQLite) {
    let generator = DemoDataGenerator(licenceCount: size)
    var hit = "-"
    var miss = "-"
    var poolMiss = "-"
    var foundText = "-"
    if size <= maxMemory {
        let cache = LicenceCache(capacity: size)
        var current: (String, [Licence])?
        for licence in generator.licences() {
            if let (key, list) = current, key != licence.holder.key {
                cache.fill(holder: key, licences: list, generation: 0)
                current = nil
            }
            if current == nil { current = (licence.holder.key, []) }
            current!.1.append(licence)
        }
        if let (key, list) = current { cache.fill(holder: key, licences: list, generation: 0) }
        let library = LicenceLibrary(
            store: SQLiteOnlyForMisses.unused, cache: cache, types: LicenceTypeCatalogue.starter,
            today: { today }, logger: logger)
        let (ns, found) = timeIndexLookups(generator: generator, count: 200_000) { holder in
            guard let licences = library.cachedLicences(of: holder.holder) else { return false }
            if case .found = library.outcome(licences, typeCode: holder.guaranteedTypeCode) { return true }
            return false
        }
        hit = String(format: "%.0f", ns)
        foundText = "\(found * 100 / 200_000)%"
    }
    if size <= maxSQLite {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookup-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteLicenceStore(directory: directory)
        try await seedDemo(store: store, count: size)
        let library = LicenceLibrary(
            store: store, cache: LicenceCache(capacity: 1), types: LicenceTypeCatalogue.starter,
            today: { today }, logger: logger)
        miss = try await timeStoreLookups(generator: generator, count: 20_000, library: library)
        poolMiss = try await timePoolLookups(generator: generator, count: 20_000, store: store, library: library)
        try store.close()
    }
    print("| \(size) | \(hit) | \(miss) | \(poolMiss) | \(foundText) |")
    size *= 10
}

// What a found lookup adds: the proof body, encoded by protobuf-c, sealed with Ed25519.
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookup-bench-keys-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: directory) }
let keyring = try SealKeyring.openOrCreate(directory: directory)
let sample = DemoDataGenerator(licenceCount: 100).makeLicences()
let rounds = 20_000
var start = DispatchTime.now()
var bytes = 0
for index in 0..<rounds {
    let licence = sample[index % sample.count]
    let body = APIProofBody(
        proofSerial: "P-\(index)", sealKind: "data-sharing", licence: LicenceMessage(licence),
        purpose: APIPurpose(itemCode: "ITEM", caseReference: "CASE"), extractingUnitCode: "11370400MB0000001R",
        extractingUnitName: "unit", producingUnitCode: licence.issuerCode.value, producingUnitName: licence.issuerName,
        extractedAtMillis: 1, staff: "s")
    bytes += ProtoCodec.encode(body).count
}
let encode = nanoseconds(start) / Double(rounds)
let body = ProtoCodec.encode(APIProofBody(proofSerial: "P", licence: LicenceMessage(sample[0])))
start = DispatchTime.now()
for _ in 0..<rounds { _ = keyring.seal(body, kind: .dataSharing) }
let seal = nanoseconds(start) / Double(rounds)
start = DispatchTime.now()
let batches = rounds / 64
for _ in 0..<batches { _ = keyring.sealBatch(Array(repeating: body, count: 64), kind: .dataSharing) }
let batchSeal = nanoseconds(start) / Double(batches * 64)
print("")
print("| per found lookup | ns |")
print("|---|---:|")
print("| encode ProofBody (protobuf-c, \(bytes / rounds) bytes) | \(String(format: "%.0f", encode)) |")
print("| seal one proof (Ed25519 sign) | \(String(format: "%.0f", seal)) |")
print("| seal in batches of 64 (Merkle + one signature), per proof | \(String(format: "%.0f", batchSeal)) |")

/// The index-only run never reaches a store.
enum SQLiteOnlyForMisses {
    static let unused: any LicenceStore = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookup-bench-empty-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try! SQLiteLicenceStore(directory: directory)
    }()
}
