import Foundation
import Logging
import NoProofDomain
import NoProofLibrary
import NoProofOversight
import NoProofOversightStore
import NoProofSeals
import NoProofServices
import NoProofStore
import NoProofUnitStore
import NoProofUnits
import NoProofVerificationStore

/// What noproofd keeps in its data folder: the licence library (licences.sqlite), units, staff,
/// credentials and item lists (units.sqlite), department verification requests
/// (verification.sqlite), commitments, the voluntary-proof ledger, mismatch cases and complaints
/// (oversight.sqlite, with the commitment risk rule from commitment-risk.json), the audit trail (audit.sqlite) and the seal keys
/// (seals/), opened at start-up.
struct DaemonStorage {
    /// Held while the server runs: no second server and no offline import on the same folder.
    let lock: DataFolderLock
    let store: SQLiteLicenceStore
    let units: SQLiteUnitStore
    let licences: LicenceLibrary
    let keyring: SealKeyring
    let audit: AuditLog
    let verification: SQLiteVerificationStore
    let oversight: SQLiteOversightStore
    let riskRule: CheckRiskRule

    static func open(dataDirectory: URL, demoLicences: Int?, cacheLicences: Int, logger: Logger) async throws -> DaemonStorage {
        let lock: DataFolderLock
        do {
            lock = try DataFolderLock.acquire(dataDirectory, holder: "noproofd")
        } catch {
            throw ConfigurationError("\(error)")
        }
        let store: SQLiteLicenceStore
        do {
            store = try SQLiteLicenceStore(directory: dataDirectory)
        } catch {
            throw ConfigurationError("cannot open the licence library in \(dataDirectory.path): \(error)")
        }
        if try await store.licenceTypes().isEmpty {
            try await store.upsertLicenceTypes(LicenceTypeCatalogue.starter)
            logger.info("installed the starter licence-type catalogue", metadata: ["types": "\(LicenceTypeCatalogue.starter.count)"])
        }
        if let demoLicences, try await store.count() == 0 {
            logger.info("generating demo licences", metadata: ["count": "\(demoLicences)"])
            let step = max(10_000, demoLicences / 10)
            let outcome = try await seedDemo(store: store, count: demoLicences) { done in
                if done % step == 0 || done == demoLicences {
                    logger.info("demo licences", metadata: ["written": "\(done)", "of": "\(demoLicences)"])
                }
            }
            logger.info("demo licences ready", metadata: ["inserted": "\(outcome.inserted)", "rejected": "\(outcome.rejected.count)"])
        }
        let units: SQLiteUnitStore
        do {
            units = try SQLiteUnitStore(directory: dataDirectory)
        } catch {
            throw ConfigurationError("cannot open the unit registry in \(dataDirectory.path): \(error)")
        }
        if demoLicences != nil {
            _ = try await UnitDemoSeeding.seed(into: units)
            logger.info("demo units, staff and published item lists ready", metadata: ["units": "\(UnitDemoData.units.count)"])
        }
        let keyring: SealKeyring
        let sealDirectory = dataDirectory.appendingPathComponent("seals", isDirectory: true)
        let existingKeys = Set(SealKind.allCases.filter {
            FileManager.default.fileExists(atPath: sealDirectory.appendingPathComponent("\($0.rawValue).key.json").path)
        })
        do {
            keyring = try SealKeyring.openOrCreate(directory: sealDirectory)
        } catch {
            throw ConfigurationError("seal keys: \(error)")
        }
        for key in keyring.publicKeys {
            logger.info("seal key", metadata: ["id": "\(key.id)", "seal": "\(key.kind.nameZh)"])
        }
        let audit: AuditLog
        do {
            audit = try AuditLog(directory: dataDirectory)
        } catch {
            throw ConfigurationError("cannot open the audit trail in \(dataDirectory.path): \(error)")
        }
        // The chain's head, for an operator to keep and compare with `noproof audit verify --anchor` later.
        if let head = try? audit.head() {
            logger.info("audit chain head at start", metadata: ["sequence": "\(head.sequence)", "hash": "\(head.hashHex)",
                                                             "anchor": "\(head)"])
        }
        try SealKeyAudit.record(keyring, existing: existingKeys, audit: audit, logger: logger)
        let verification: SQLiteVerificationStore
        do {
            verification = try SQLiteVerificationStore(directory: dataDirectory)
        } catch {
            throw ConfigurationError("cannot open the verification requests in \(dataDirectory.path): \(error)")
        }
        let oversight: SQLiteOversightStore
        let riskRule: CheckRiskRule
        do {
            oversight = try SQLiteOversightStore(directory: dataDirectory)
            let ruleFile = dataDirectory.appendingPathComponent("commitment-risk.json")
            riskRule = FileManager.default.fileExists(atPath: ruleFile.path) ? try CheckRiskRule.load(ruleFile) : .standard
        } catch {
            throw ConfigurationError("cannot open the oversight records in \(dataDirectory.path): \(error)")
        }
        if demoLicences != nil, try await OversightDemoHistory.seed(into: oversight, rule: riskRule, at: Date()) {
            logger.info("demo oversight history ready (commitments, ledger, mismatches, complaints)")
        }
        let licences = try await LicenceLibrary.open(store: store, cacheCapacity: cacheLicences, logger: logger)
        _ = try await licences.warmUp()
        return DaemonStorage(lock: lock, store: store, units: units, licences: licences, keyring: keyring, audit: audit,
                             verification: verification, oversight: oversight, riskRule: riskRule)
    }

    /// Drains the audit trail and closes the databases.
    func close(logger: Logger? = nil) {
        audit.close()
        if let logger, let head = try? audit.head() {
            logger.info("audit chain head at stop", metadata: ["sequence": "\(head.sequence)", "hash": "\(head.hashHex)",
                                                            "anchor": "\(head)"])
        }
        try? store.close()
        try? units.close()
        try? verification.close()
        try? oversight.close()
    }
}
