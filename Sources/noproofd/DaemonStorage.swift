import Foundation
import Logging
import NoProofDomain
import NoProofLibrary
import NoProofOversight
import NoProofSeals
import NoProofServices
import NoProofUnitStore
import NoProofVerification
import NoProofUnits
import NoProofSQLite
import NoProofAudit
import NoProofLicenceStore
import NoProofDemoData
import NoProofPostgres

/// What noproofd keeps, opened at start-up: the record stores (`DaemonStores`, in the data folder
/// or in PostgreSQL by `--database`): the licence library (licences.sqlite), units, staff,
/// credentials and item lists (units.sqlite), department verification requests
/// (verification.sqlite), commitments, the voluntary-proof ledger, mismatch cases and complaints
/// (oversight.sqlite); the audit trail (audit.sqlite, or in PostgreSQL beside the stores, with its
/// signed heads witnessed there too); and always in the data folder: the commitment risk rule
/// (commitment-risk.json), the seal keys (seals/) and the instance's `audit-head` note.
struct DaemonStorage {
    /// Held while the server runs: no second server and no offline import on the same folder.
    let lock: DataFolderLock
    let stores: DaemonStores
    let licences: LicenceLibrary
    let keyring: SealKeyring
    let audit: any SignedAuditTrail
    var store: any LicenceStore { stores.licences }
    var units: any UnitStore { stores.units }
    var verification: any VerificationStore { stores.verification }
    var oversight: any OversightStore { stores.oversight }
    let riskRule: CheckRiskRule
    let dataDirectory: URL
    /// Signs the audit tree's heads and hands them to the witnesses (docs/AUDIT.md).
    let heads: AuditHeadPublisher

    /// - Parameter newAuditEpoch: the operator's reason to start a new audit chain when the trail is
    ///   missing, empty or shorter than its recorded head (`--new-audit-epoch`); nil refuses to start then.
    /// - Parameter witnesses: where the audit log's signed heads are kept outside the data folder;
    ///   the trail must be consistent with the newest head each holds.
    static func open(
        dataDirectory: URL, database: DaemonDatabase = .embedded, demoLicences: Int?, cacheLicences: Int,
        auditWALRestartPages: Int = WALCheckpointer.defaultRestartPages, newAuditEpoch: String? = nil,
        witnesses: [any AuditWitness] = [], rotateSealKey: (kind: SealKind, reason: String)? = nil,
        logger: Logger
    ) async throws -> DaemonStorage {
        let lock: DataFolderLock
        do {
            lock = try DataFolderLock.acquire(dataDirectory, holder: "noproofd")
        } catch {
            throw ConfigurationError("\(error)")
        }
        // What the folder held before this start creates or seeds anything (AuditStartCheck).
        var survey = AuditStartCheck.survey(directory: dataDirectory)
        let stores = try await DaemonStores.open(database, dataDirectory: dataDirectory, logger: logger)
        do {
            // On PostgreSQL the records of earlier starts are not files in the folder: a registry
            // with units in it means the trail cannot be empty either (each start wrote to it).
            if stores.postgres != nil {
                survey.trailExists = true  // the trail's tables are created with the stores'
                if !(try await stores.units.units().isEmpty) { survey.evidence.append("the unit registry in PostgreSQL") }
            }
            return try await open(
                dataDirectory: dataDirectory, lock: lock, stores: stores, survey: survey, demoLicences: demoLicences,
                cacheLicences: cacheLicences, auditWALRestartPages: auditWALRestartPages, newAuditEpoch: newAuditEpoch, witnesses: witnesses,
                rotateSealKey: rotateSealKey, logger: logger)
        } catch {
            await stores.close()
            throw error
        }
    }

    private static func open(
        dataDirectory: URL, lock: DataFolderLock, stores: DaemonStores, survey: AuditStartCheck.Survey,
        demoLicences: Int?, cacheLicences: Int, auditWALRestartPages: Int, newAuditEpoch: String?, witnesses: [any AuditWitness],
        rotateSealKey: (kind: SealKind, reason: String)?, logger: Logger
    ) async throws -> DaemonStorage {
        let store = stores.licences
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
        let units = stores.units
        if demoLicences != nil {
            _ = try await UnitDemoSeeding.seed(into: units)
            logger.info("demo units, staff and published item lists ready", metadata: ["units": "\(UnitDemoData.units.count)"])
        }
        let sealDirectory = dataDirectory.appendingPathComponent("seals", isDirectory: true)
        // On PostgreSQL the trail is shared: every instance seals and signs with the same keys.
        let sharedKeys =
            stores.postgres == nil
            ? ""
            : ". Every noproofd on one PostgreSQL database seals and signs with the same keys: copy the seals folder of an "
                + "instance already serving the database to \(sealDirectory.path) (as a TLS key)"
        // The audit key signs the tree heads the witnesses hold: the trail is checked against them with it.
        var auditKey: AuditSigningKey?
        if AuditSigningKey.fileExists(in: sealDirectory) {
            do {
                auditKey = try AuditSigningKey.load(directory: sealDirectory)
            } catch {
                throw ConfigurationError("audit key: \(error)")
            }
        }
        var witnesses = witnesses
        let audit: any SignedAuditTrail
        if let postgres = stores.postgres {
            // The signed heads of every instance, witnessed in the database beside the trail.
            witnesses.append(PostgresAuditWitness(postgres.database))
            audit = try await openPostgresAuditTrail(
                postgres.database, dataDirectory: dataDirectory, survey: survey, newEpoch: newAuditEpoch, auditKey: auditKey,
                witnesses: witnesses)
        } else {
            audit = try await openAuditTrail(
                dataDirectory, survey: survey, newEpoch: newAuditEpoch, auditKey: auditKey, witnesses: witnesses,
                walRestartPages: auditWALRestartPages, logger: logger)
        }
        let keyring: SealKeyring
        let existingKeys = Set(
            SealKind.allCases.filter {
                FileManager.default.fileExists(atPath: sealDirectory.appendingPathComponent("\($0.rawValue).key.json").path)
            })
        // New keys would make every proof sealed so far unverifiable against the published keys.
        let missingKeys = SealKind.allCases.filter { !existingKeys.contains($0) }
        if !missingKeys.isEmpty, try await audit.recordsIssuedProofs() {
            await audit.close()
            throw ConfigurationError(
                "refusing to start: the seal key file\(missingKeys.count == 1 ? "" : "s") "
                    + "\(missingKeys.map { "\($0.rawValue).key.json" }.joined(separator: ", ")) \(missingKeys.count == 1 ? "is" : "are") "
                    + "missing from \(sealDirectory.path), but the audit trail records proofs issued (found lookups or answered "
                    + "verification requests) sealed with the keys; new keys would make those proofs stop verifying. Restore the seal "
                    + "folder from its backup. Replacing a seal key is an explicit key rotation that keeps the old public keys "
                    + "published: noproofd --rotate-seal-key KIND --rotation-reason REASON, with the key file in place" + sharedKeys)
        }
        // A missing audit key while heads signed with it exist: a new key would leave them unverifiable.
        if auditKey == nil {
            var found = try? await audit.latestStoredHead()
            for witness in witnesses where found == nil { found = try? await witness.latest() }
            if let head = found {
                await audit.close()
                throw ConfigurationError(
                    "refusing to start: the audit key \(sealDirectory.appendingPathComponent(AuditSigningKey.fileName).path) is missing, "
                        + "but heads of the audit log signed with it exist (\(head.keyID), \(head.treeSize) records at \(head.timestampText)); "
                        + "a new key would leave every head the witnesses hold unverifiable. Restore the seal folder from its backup" + sharedKeys)
            }
        }
        if let rotation = rotateSealKey {
            do {
                _ = try await SealKeyAudit.rotate(rotation.kind, reason: rotation.reason, sealDirectory: sealDirectory, audit: audit, logger: logger)
            } catch {
                await audit.close()
                throw ConfigurationError("--rotate-seal-key \(rotation.kind.rawValue): \(error)")
            }
        }
        do {
            keyring = try SealKeyring.openOrCreate(directory: sealDirectory)
        } catch {
            await audit.close()
            throw ConfigurationError("seal keys: \(error)")
        }
        for key in keyring.currentKeys {
            logger.info("seal key", metadata: ["id": "\(key.id)", "seal": "\(key.kind.nameZh)"])
        }
        // The chain's head, for an operator to keep and compare with `noproofd audit-verify --anchor` later.
        if let head = try? await audit.head() {
            logger.info(
                "audit chain head at start",
                metadata: [
                    "sequence": "\(head.sequence)", "hash": "\(head.hashHex)",
                    "anchor": "\(head)",
                ])
        }
        do {
            try await SealKeyAudit.record(keyring, existing: existingKeys, audit: audit, logger: logger)
        } catch let replaced as SealKeyReplaced {
            await audit.close()
            throw ConfigurationError("refusing to start: \(replaced)\(sharedKeys)")
        }
        await Self.recordHead(audit, directory: dataDirectory, logger: logger)
        let heads: AuditHeadPublisher
        do {
            let key = try auditKey ?? AuditSigningKey.openOrCreate(directory: sealDirectory)
            heads = AuditHeadPublisher(log: audit, key: key, witnesses: witnesses, logger: logger)
            let head = try await heads.publishNow()
            logger.info(
                "audit tree head signed at start",
                metadata: [
                    "tree_size": "\(head.treeSize)", "root": "\(head.rootHex)", "audit_key": "\(key.keyID)",
                    "audit_public_key": "\(key.publicKey.hex)", "witnesses": "\(witnesses.map(\.name))",
                ])
        } catch {
            await audit.close()
            throw ConfigurationError("cannot sign the audit tree head: \(error)")
        }
        let oversight = stores.oversight
        let riskRule: CheckRiskRule
        do {
            let ruleFile = dataDirectory.appendingPathComponent("commitment-risk.json")
            riskRule = FileManager.default.fileExists(atPath: ruleFile.path) ? try CheckRiskRule.load(ruleFile) : .standard
        } catch {
            await audit.close()
            throw ConfigurationError("cannot read the commitment risk rule in \(dataDirectory.path): \(error)")
        }
        if demoLicences != nil, try await OversightDemoHistory.seed(into: oversight, rule: riskRule, at: Date()) {
            logger.info("demo oversight history ready (commitments, ledger, mismatches, complaints)")
        }
        let licences = try await LicenceLibrary.open(store: store, cacheCapacity: cacheLicences, logger: logger)
        _ = try await licences.warmUp()
        return DaemonStorage(
            lock: lock, stores: stores, licences: licences, keyring: keyring, audit: audit,
            riskRule: riskRule, dataDirectory: dataDirectory, heads: heads)
    }

    /// Opens the audit trail after checking it (`AuditStartCheck`): a trail missing, empty, shorter
    /// than the recorded head or rewritten at it refuses the start, naming what is missing and the
    /// flag; with `newEpoch` the old trail (if any) is moved aside and the new chain's first record
    /// is `Audit.NewEpoch` with the reason and the previous head.
    static func openAuditTrail(
        _ directory: URL, survey: AuditStartCheck.Survey, newEpoch: String?, auditKey: AuditSigningKey? = nil,
        witnesses: [any AuditWitness] = [], walRestartPages: Int = WALCheckpointer.defaultRestartPages, logger: Logger
    ) async throws -> AuditLog {
        func open() throws -> AuditLog {
            do {
                return try AuditLog(directory: directory, walRestartPages: walRestartPages)
            } catch {
                throw ConfigurationError("cannot open the audit trail in \(directory.path): \(error)")
            }
        }
        var existing: AuditLog?
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("audit.sqlite").path) { existing = try open() }
        let problem: String?
        do {
            if let found = try await AuditStartCheck.problem(survey, audit: existing, directory: directory) {
                problem = found
            } else {
                problem = try await witnessProblem(existing, auditKey: auditKey, witnesses: witnesses)
            }
        } catch {
            existing?.close()
            throw ConfigurationError("cannot read the audit trail in \(directory.path): \(error)")
        }
        guard let problem else {
            if newEpoch != nil {
                let head = (try? existing?.head())?.description ?? "none"
                existing?.close()
                throw ConfigurationError(
                    "--new-audit-epoch: the audit trail in \(directory.path) is intact (head \(head)); "
                        + "a new epoch is only for a trail that is missing, empty or shorter than its recorded head: drop the flag")
            }
            return try existing ?? open()
        }
        guard let reason = newEpoch, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            existing?.close()
            throw ConfigurationError(
                "refusing to start: \(problem). Restore audit.sqlite (with audit.sqlite-wal) from a backup and start again; "
                    + "or, to start a new audit chain deliberately, run noproofd --new-audit-epoch \"REASON\" "
                    + "(recorded as the new chain's first record, Audit.NewEpoch, with the previous head)")
        }
        var previousHead = survey.recordedHead
        if previousHead == nil, let existing, let head = try? existing.head(), head.sequence > 0 { previousHead = head }
        existing?.close()
        existing = nil
        let now = Date()
        let moved = try AuditStartCheck.moveTrailAside(directory: directory, at: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
        let audit = try open()
        _ = try audit.appendBatch([AuditStartCheck.epochRecord(reason: reason, previousHead: previousHead, previousTrail: moved, at: now)])
        logger.warning(
            "a new audit epoch was started",
            metadata: [
                "reason": "\(reason)", "problem": "\(problem)", "previous_head": "\(previousHead?.description ?? "unknown")",
                "previous_trail": "\(moved ?? "none")",
            ])
        return audit
    }

    /// Opens the audit trail in PostgreSQL (`PostgresAuditTrail`, in the stores' database and
    /// schema) after the same checks as `openAuditTrail`: against this instance's `audit-head` note,
    /// the unit registry's evidence of earlier starts, and the witnesses — `PostgresAuditWitness`
    /// (the heads every instance signed) among them. A trail cut short or rewritten in the database
    /// refuses the start; the way out is the database's backup (pg_dump or point-in-time recovery):
    /// `--new-audit-epoch` is for the data folder's trail only.
    static func openPostgresAuditTrail(
        _ database: PostgresStoreDatabase, dataDirectory: URL, survey: AuditStartCheck.Survey, newEpoch: String?,
        auditKey: AuditSigningKey?, witnesses: [any AuditWitness]
    ) async throws -> PostgresAuditTrail {
        let place = "the audit trail in PostgreSQL (\(database.url), schema \(database.schema))"
        let trail: PostgresAuditTrail
        do {
            trail = try await PostgresAuditTrail.open(database)
        } catch {
            throw ConfigurationError("cannot open \(place): \(error.message)")
        }
        let problem: String?
        do {
            if let found = try await AuditStartCheck.problem(survey, audit: trail, directory: dataDirectory, trailName: place) {
                problem = found
            } else {
                problem = try await witnessProblem(trail, auditKey: auditKey, witnesses: witnesses)
            }
        } catch {
            await trail.close()
            throw ConfigurationError("cannot read \(place): \(error)")
        }
        if let problem {
            await trail.close()
            throw ConfigurationError(
                "refusing to start: \(problem). Restore the PostgreSQL database from its backup (pg_restore of a pg_dump, or "
                    + "point-in-time recovery) and start again\(newEpoch == nil ? "" : "; --new-audit-epoch applies to the data folder's trail (audit.sqlite) only, not to one in PostgreSQL")"
            )
        }
        if newEpoch != nil {
            let head = (try? await trail.head())?.description ?? "none"
            await trail.close()
            throw ConfigurationError(
                "--new-audit-epoch: \(place) is intact (head \(head)); a new epoch is only for a trail that is missing, empty or "
                    + "shorter than its recorded head: drop the flag")
        }
        return trail
    }

    /// The trail checked against its witnesses' newest heads (AuditWitnessCheck); a missing audit key
    /// while heads signed with it exist is a problem too (restore it: a new key would leave every
    /// head the witnesses hold unverifiable).
    static func witnessProblem(
        _ trail: (any SignedAuditTrail)?, auditKey: AuditSigningKey?, witnesses: [any AuditWitness]
    ) async throws -> String? {
        guard let trail else {
            for witness in witnesses {
                if let head = try? await witness.latest(), head.treeSize > 0 {
                    return "the audit trail is missing but the audit witness \(witness.name) holds a head of \(head.treeSize) records "
                        + "signed at \(head.timestampText)"
                }
            }
            return nil
        }
        // Without the audit key the heads cannot be checked; `missingAuditKeyProblem` refuses that case.
        guard let auditKey else { return nil }
        return try await AuditWitnessCheck.problem(log: trail, publicKey: auditKey.publicKey, witnesses: witnesses)
    }

    /// Writes the chain's head to `audit-head` (checked at the next start).
    static func recordHead(_ audit: any SignedAuditTrail, directory: URL, logger: Logger?) async {
        do {
            try AuditHeadFile.write(try await audit.head(), directory: directory)
        } catch {
            logger?.warning("could not record the audit chain head", metadata: ["file": "\(AuditHeadFile.fileName)", "error": "\(error)"])
        }
    }

    /// Drains the audit trail and closes the databases.
    func close(logger: Logger? = nil) async {
        await audit.close()
        // The last head covers every record written before the stop.
        do {
            let head = try await heads.publishNow()
            logger?.info("audit tree head signed at stop", metadata: ["tree_size": "\(head.treeSize)", "root": "\(head.rootHex)"])
        } catch {
            logger?.warning("could not sign the audit tree head at stop", metadata: ["error": "\(error)"])
        }
        await Self.recordHead(audit, directory: dataDirectory, logger: logger)
        if let logger, let head = try? await audit.head() {
            logger.info(
                "audit chain head at stop",
                metadata: [
                    "sequence": "\(head.sequence)", "hash": "\(head.hashHex)",
                    "anchor": "\(head)",
                ])
        }
        await stores.close()
    }
}
