// lookup-bench: how the cost of a lookup grows with the size of the licence library.
//
//   swift run -c release lookup-bench [--max N] [--sqlite-max N] [--cache-licences N] [--misses N] [--pool-misses N]
//
// For N = 10^4, 10^5, ... up to --max (default 10^6) it streams N demo licences through the
// in-memory index, capped at --cache-licences (default N: everything cached), and times lookups
// of Zipf-distributed holders (a hit: index probe + choosing the valid licence; the hit ratio is
// shown). It measures the index's memory per licence (RSS growth while indexing licences
// already allocated, so the licence data is not counted; that is shown beside it). Up to --sqlite-max (default 10^6) it also loads N
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

/// Holders drawn uniformly (a typical holder: the Zipf draw favours the first ranks, which the
/// demo generator gives the most licences).
func uniformHolders(_ generator: DemoDataGenerator, count: Int) -> [DemoHolder] {
    var random = SplitMix64(seed: 7)
    return (0..<count).map { _ in generator.holder(at: Int(random.next() % UInt64(generator.holderCount))) }
}

/// Times lookups that go to the store, from one non-isolated task (no main-actor hops); the
/// holders are Zipf-drawn unless `uniform`. Returns "wall (CPU)" ns per miss and the mean number
/// of licences a missed holder has (each miss reads and decodes all of them).
@concurrent
func timeStoreLookups(generator: DemoDataGenerator, count: Int, library: LicenceLibrary, uniform: Bool = false) async throws -> String {
    let holders = uniform ? uniformHolders(generator, count: count) : sampleHolders(generator, count: count)
    let perHolder = Double(holders.reduce(0) { $0 + $1.licenceCount }) / Double(max(1, holders.count))
    return try await perOperation(count) {
        for holder in holders {
            library.cache.invalidate(holder: holder.holder.key)
            _ = library.outcome(try await library.licences(of: holder.holder), typeCode: holder.guaranteedTypeCode)
        }
    } + String(format: ", %.1f licences", perHolder)
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

/// The process's resident set in bytes (/proc/self/statm; Swift's Glibc module has no
/// `mallinfo2`): the index's memory is the growth while filling it with licences that are already
/// allocated (the cache shares the holders' arrays with the caller), so the licence data itself is
/// not counted. Page-grained and blind to freed memory reused, so meaningful from ~10^5 licences.
func allocatedBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

let cacheCap = argument("--cache-licences", default: Int.max)
/// Misses timed per size on each SQLite path (`--misses`, default 20,000; more for a profile).
let misses = argument("--misses", default: 20_000)
/// The same through GRDB's pool read (`--pool-misses`, default `--misses`; 0 skips that column).
let poolMisses = argument("--pool-misses", default: misses)

print("Cache capped at \(cacheCap == Int.max ? "the library size" : String(cacheCap)) licences.")
print("")
print(
    "| licences | cached | index lookup ns (hit ratio) | index bytes/licence | licence data bytes/licence | SQLite (miss) ns/lookup, wall (process CPU), licences of the holder | the same, holders drawn uniformly | SQLite miss via GRDB pool read, wall (CPU) | found |"
)
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
var size = 10_000
while size <= max(maxMemory, maxSQLite) {
    let generator = DemoDataGenerator(licenceCount: size)
    var hit = "-"
    var miss = "-"
    var uniformMiss = "-"
    var poolMiss = "-"
    var foundText = "-"
    var cachedText = "-"
    var indexBytes = "-"
    var dataBytes = "-"
    if size <= maxMemory {
        let capacity = min(size, cacheCap)
        let cache = LicenceCache(capacity: capacity)
        var licences = generator.licences().makeIterator()
        var pending = licences.next()
        /// The next holder's licences from the generator (which yields them grouped by holder).
        func nextHolder() -> (String, [Licence])? {
            guard let first = pending else { return nil }
            var list = [first]
            pending = licences.next()
            while let licence = pending, licence.holder.key == first.holder.key {
                list.append(licence)
                pending = licences.next()
            }
            return (first.holder.key, list)
        }
        // Memory: the first `capacity` licences, allocated first, then indexed.
        let beforeData = allocatedBytes()
        var held: [(String, [Licence])] = []
        var heldCount = 0
        while heldCount < capacity, let (key, list) = nextHolder() {
            held.append((key, list))
            heldCount += list.count
        }
        let beforeIndex = allocatedBytes()
        for (key, list) in held { cache.fill(holder: key, licences: list, generation: 0) }
        let afterIndex = allocatedBytes()
        let indexed = cache.statistics.licences
        indexBytes = String(format: "%.0f", Double(afterIndex - beforeIndex) / Double(max(1, indexed)))
        dataBytes = String(format: "%.0f", Double(beforeIndex - beforeData) / Double(max(1, heldCount)))
        held = []
        // The rest of the library streams through the capped cache (evicting).
        while let (key, list) = nextHolder() { cache.fill(holder: key, licences: list, generation: 0) }
        cachedText = "\(cache.statistics.licences)"
        let library = LicenceLibrary(
            store: SQLiteOnlyForMisses.unused, cache: cache, types: LicenceTypeCatalogue.starter,
            today: { today }, logger: logger)
        let before = cache.statistics
        let (ns, found) = timeIndexLookups(generator: generator, count: 200_000) { holder in
            guard let licences = library.cachedLicences(of: holder.holder) else { return false }
            if case .found = library.outcome(licences, typeCode: holder.guaranteedTypeCode) { return true }
            return false
        }
        let after = cache.statistics
        let ratio = Double(after.hits - before.hits) / Double(max(1, after.hits + after.misses - before.hits - before.misses))
        hit = String(format: "%.0f (%.0f%%)", ns, ratio * 100)
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
        miss = try await timeStoreLookups(generator: generator, count: misses, library: library)
        uniformMiss = try await timeStoreLookups(generator: generator, count: misses, library: library, uniform: true)
        if poolMisses > 0 {
            poolMiss = try await timePoolLookups(generator: generator, count: poolMisses, store: store, library: library)
        }
        try store.close()
    }
    print("| \(size) | \(cachedText) | \(hit) | \(indexBytes) | \(dataBytes) | \(miss) | \(uniformMiss) | \(poolMiss) | \(foundText) |")
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
