import Foundation
import Logging
import NoProofDemoData
import NoProofDomain
import NoProofLibrary
import NoProofLicenceStore
import NoProofSeals
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits

/// What most service tests over a real server start from: a temporary data folder with 400 demo
/// licences in the licence library (cached; `demoLicences: 0` for the starter catalogue alone), the demo units with their staff and published lists,
/// seal keys, a test clock a day after the demo lists take effect and a quiet logger. `with` closes
/// the stores and removes the folder afterwards, also when `body` throws; each test wires its own
/// audit log, access gate, services and server on top.
struct DemoServiceStores {
    let directory: URL
    let clock: TestClock
    let quiet: Logger
    let licences: SQLiteLicenceStore
    let library: LicenceLibrary
    let units: SQLiteUnitStore
    let keyring: SealKeyring

    static func with<T>(prefix: String, demoLicences: Int = 400, _ body: (DemoServiceStores) async throws -> T) async throws -> T {
        let temporary = try TemporaryDirectory(prefix: prefix)
        defer { temporary.remove() }
        let directory = temporary.url
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let licences = try SQLiteLicenceStore(directory: directory)
        defer { try? licences.close() }
        let library: LicenceLibrary
        if demoLicences > 0 {
            try await seedDemo(store: licences, count: demoLicences)
            library = try await LicenceLibrary.open(
                store: licences, cacheCapacity: 10_000, today: { DemoDataGenerator.defaultReferenceDate }, logger: quiet)
        } else {
            try await licences.upsertLicenceTypes(LicenceTypeCatalogue.starter)
            library = try await LicenceLibrary.open(store: licences, cacheCapacity: 1000, logger: quiet)
        }
        let units = try SQLiteUnitStore(directory: directory)
        defer { try? units.close() }
        _ = try await UnitDemoSeeding.seed(into: units)
        let keyring = try SealKeyring.openOrCreate(directory: directory.appendingPathComponent("seals"))
        let stores = DemoServiceStores(
            directory: directory, clock: TestClock(UnitDemoData.effectiveAt.addingTimeInterval(86_400)), quiet: quiet,
            licences: licences, library: library, units: units, keyring: keyring)
        return try await body(stores)
    }
}
