import Foundation
import GRDB
import NoProofAudit
import NoProofAuditChain
import NoProofDemoData
import NoProofDomain
import NoProofLicenceStore
import NoProofMigration
import NoProofOversight
import NoProofOversightStore
import NoProofPostgres
import NoProofSeals
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import NoProofVerification
import NoProofVerificationStore
import Testing

/// `noproofd migrate` (issue 18): a data folder built with the SQLite stores is copied into a fresh
/// schema, and every record read back through the PostgreSQL stores' protocols is the record the
/// SQLite stores hold; the audit trail is the same trail (head, tree, signed heads, tallies).
@Suite(.enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason), .timeLimit(.minutes(5)))
struct DataFolderMigrationTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let licences = 1_500
    static let auditRecords = 700

    /// A data folder with licences (one re-imported with a change: two versions; one revoked), the
    /// demo units with staff, lists and a credential, a denial, a verification request, the demo
    /// oversight history, and an audit trail of 700 records with a signed head.
    static func makeDataFolder(_ directory: URL) async throws -> LicenceIdentifier {
        let licenceStore = try SQLiteLicenceStore(directory: directory)
        try await seedDemo(store: licenceStore, count: licences, batchSize: 500)
        var changed = try await licenceStore.licences(after: nil, limit: 1)[0]
        changed.holderName += "（更名）"
        _ = try await licenceStore.importBatch([changed])
        let revoked = try await licenceStore.licences(after: changed.id, limit: 1)[0]
        _ = try await licenceStore.revoke(revoked.id, reason: "issued in error")
        try licenceStore.close()

        let units = try SQLiteUnitStore(directory: directory)
        _ = try await UnitDemoSeeding.seed(into: units)
        try await units.insertCredential(
            Credential(
                id: "water-system", unitCode: UnitDemoData.water.code, secretHash: CredentialHash.make(secret: "s3cret", rounds: 1_000),
                label: "the water company's billing system", issuedAt: t0, issuedBy: "supervisor-0001", expiresAt: t0.addingTimeInterval(86_400 * 365)))
        _ = try await units.appendDenial(
            DenialRecord(
                at: t0, unitCode: UnitDemoData.water.code.value, staffID: "agent-0001", itemCode: "SW-KH-001", caseReference: "CASE-1",
                typeCode: "JHZ", kind: .denial, reason: "not_listed", message: "JHZ is not a proof of item SW-KH-001"))
        try units.close()

        let verification = try SQLiteVerificationStore(directory: directory)
        let filing = VerificationRequest.Filing(
            requestKey: "k1", requestingUnit: "11370400004315119G", requestingUnitName: "枣庄市民政局", issuingUnit: "12370000495570452X",
            issuingUnitName: "枣庄学院", proofType: "XWZS", holderID: "370404199306107807", holderName: "张三",
            declared: [DeclaredFact(key: "degree", value: "学士")], itemCode: "MZ-HY-001", caseReference: "HY-1", itemKind: .immediate,
            promisedCompletionAt: nil, databaseBacked: true, caseAcceptedAt: nil, filedBy: "agent-0001")
        _ = try await verification.insert(try VerificationRequest.file(filing, id: "VR-1", at: t0))
        try verification.close()

        let oversight = try SQLiteOversightStore(directory: directory)
        _ = try await OversightDemoHistory.seed(into: oversight, at: t0)
        try oversight.close()

        let log = try AuditLog(directory: directory)
        var records: [AuditRecord] = []
        let water = UnitDemoData.water.code.value
        let university = UnitDemoData.university.code.value
        for index in 0..<auditRecords {
            let action: AuditAction = index % 5 == 0 ? .checkLicence : .lookup
            let result: AuditResult = index % 7 == 0 ? .notFound : .found
            let holder: String = "37040419930610" + String(format: "%04d", index)
            let counterpart: String = index % 11 == 0 ? university : ""
            let at: Int64 = 1_800_000_000_000 + Int64(index) * 1000
            records.append(
                AuditRecord(
                    atMillis: at, unitCode: water, credentialID: "demo-water", staff: "agent-000\(index % 3 + 1)", action: action,
                    itemCode: "SW-KH-001", caseReference: "CASE-\(index / 4)", holderID: holder, typeCode: "JMSFZ",
                    licenceID: "L-\(index)", result: result, proofSerial: "P-\(index)", counterpartUnit: counterpart))
        }
        _ = try await log.writeBatch(Array(records[..<500]))
        let seals = directory.appendingPathComponent("seals", isDirectory: true)
        try FileManager.default.createDirectory(at: seals, withIntermediateDirectories: true)
        let key = try AuditSigningKey.openOrCreate(directory: seals, now: t0)
        let tree = try log.currentTree()
        try log.storeHead(key.sign(treeSize: tree.size, root: tree.root, timestampMillis: 1_800_000_600_000))
        _ = try await log.writeBatch(Array(records[500...]))
        log.close()
        return revoked.id
    }

    static func database(_ schema: String) throws -> PostgresStoreDatabase {
        try PostgresStoreDatabase.connect(url: PostgresTestDatabase.url!, schema: schema, maximumConnections: 4)
    }

    @Test("every record of the data folder reads back equal through the PostgreSQL stores; the audit trail is the same trail")
    func copiesEveryRecord() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let directory = folder.url
        let revokedID = try await Self.makeDataFolder(directory)
        let schema = PostgresTestDatabase.freshSchema("mig")
        let database = try Self.database(schema)
        do {
            let report = try await DataFolderMigration(directory: directory, database: database, batchSize: 400).run()
            #expect(report.tables.allSatisfy { $0.sourceRows == $0.targetRows })
            #expect(report.tables.first { $0.name == "licence" }?.targetRows == Self.licences)
            #expect(report.tables.first { $0.name == "audit_record" }?.targetRows == Self.auditRecords)
            #expect(report.source == report.target)
            #expect(report.source?.signedHeadsMatched == 1)
            try await Self.expectEqualRecords(directory, database, revokedID: revokedID)
            #expect(try await MigrationMarker.state(of: database) == .complete(source: directory.path, completedMillis: Self.completed(database)))
            try await MigrationMarker.refuseIfPartial(database)

            // A second migration into the same schema is refused, and changes nothing.
            let again = await #expect(throws: NoProofError.self) {
                try await DataFolderMigration(directory: directory, database: database).run()
            }
            #expect(again?.code == .alreadyExists)
            #expect(again?.message.contains("already holds the migration") == true)
            #expect(try await PostgresLicenceStore.open(database).count() == Self.licences)
        } catch {
            try? await database.dropSchema()
            await database.shutdown()
            throw error
        }
        try await database.dropSchema()
        await database.shutdown()
    }

    static func completed(_ database: PostgresStoreDatabase) async throws -> Int64 {
        if case .complete(_, let millis) = try await MigrationMarker.state(of: database) { return millis }
        return -1
    }

    /// The records as the SQLite stores read them and as the PostgreSQL stores do.
    static func expectEqualRecords(_ directory: URL, _ database: PostgresStoreDatabase, revokedID: LicenceIdentifier) async throws {
        let sqliteLicences = try SQLiteLicenceStore(directory: directory)
        let postgresLicences = try await PostgresLicenceStore.open(database)
        #expect(try await postgresLicences.count() == licences)
        #expect(try await postgresLicences.licenceTypes() == sqliteLicences.licenceTypes())
        var after: LicenceIdentifier?
        var compared = 0
        while true {
            let page = try await sqliteLicences.licences(after: after, limit: 500)
            if page.isEmpty { break }
            #expect(try await postgresLicences.licences(after: after, limit: 500) == page)
            compared += page.count
            after = page.last!.id
        }
        #expect(compared == licences)
        let first = try await sqliteLicences.licences(after: nil, limit: 1)[0]
        let versions = try await sqliteLicences.versions(of: first.id)
        #expect(versions.count == 2)
        #expect(try await postgresLicences.versions(of: first.id) == versions)
        let supersessions = try await sqliteLicences.supersessions(of: first.id)
        #expect(supersessions.count == 1)
        #expect(
            try await postgresLicences.supersessions(of: first.id).mapValues { "\($0.at) \($0.reason)" } == supersessions.mapValues { "\($0.at) \($0.reason)" })
        let changes = try await sqliteLicences.statusChanges(of: revokedID)
        #expect(changes.map(\.to) == [.revoked])
        #expect(try await postgresLicences.statusChanges(of: revokedID) == changes)
        #expect(try await postgresLicences.licence(byID: revokedID)?.status == .revoked)
        try sqliteLicences.close()

        let sqliteUnits = try SQLiteUnitStore(directory: directory)
        let postgresUnits = try await PostgresUnitStore.open(database)
        let units = try await sqliteUnits.units()
        #expect(units.count >= 6)
        #expect(try await postgresUnits.units() == units)
        for unit in units {
            #expect(try await postgresUnits.staff(of: unit.code, includeInactive: true) == sqliteUnits.staff(of: unit.code, includeInactive: true))
            #expect(try await postgresUnits.credentials(of: unit.code) == sqliteUnits.credentials(of: unit.code))
            #expect(try await postgresUnits.listHistory(unit: unit.code) == sqliteUnits.listHistory(unit: unit.code))
        }
        #expect(try await postgresUnits.credential(id: "water-system") == sqliteUnits.credential(id: "water-system"))
        #expect(try await postgresUnits.credential(id: "water-system") != nil)
        #expect(try await postgresUnits.listsInForce(at: t0) == sqliteUnits.listsInForce(at: t0))
        #expect(try await postgresUnits.calendarYears() == sqliteUnits.calendarYears())
        let denials = try await sqliteUnits.denials(unit: nil, limit: 100)
        #expect(denials.count == 1)
        #expect(try await postgresUnits.denials(unit: nil, limit: 100) == denials)
        try sqliteUnits.close()

        let sqliteVerification = try SQLiteVerificationStore(directory: directory)
        let postgresVerification = try await PostgresVerificationStore.open(database)
        #expect(try await sqliteVerification.request(id: "VR-1") != nil)
        #expect(try await postgresVerification.request(id: "VR-1") == sqliteVerification.request(id: "VR-1"))
        #expect(try await postgresVerification.pending() == sqliteVerification.pending())
        try sqliteVerification.close()

        let sqliteOversight = try SQLiteOversightStore(directory: directory)
        let postgresOversight = try await PostgresOversightStore.open(database)
        let commitments = try await sqliteOversight.commitments(unit: nil, filter: .all, limit: 1000)
        #expect(!commitments.isEmpty)
        #expect(try await postgresOversight.commitments(unit: nil, filter: .all, limit: 1000) == commitments)
        #expect(
            try await postgresOversight.ledgerEntries(unit: nil, from: nil, to: nil, limit: 1000)
                == sqliteOversight.ledgerEntries(unit: nil, from: nil, to: nil, limit: 1000))
        #expect(try await postgresOversight.mismatches(unit: nil, limit: 1000) == sqliteOversight.mismatches(unit: nil, limit: 1000))
        #expect(
            try await postgresOversight.complaints(routedTo: nil, status: nil, limit: 1000)
                == sqliteOversight.complaints(routedTo: nil, status: nil, limit: 1000))
        #expect(try await postgresOversight.correctionNotices(unit: nil, limit: 1000) == sqliteOversight.correctionNotices(unit: nil, limit: 1000))
        try sqliteOversight.close()

        let log = try AuditLog.openReadOnly(directory: directory)
        let trail = PostgresAuditTrail.reader(database)
        #expect(try await trail.head() == log.head())
        #expect(try await trail.head().sequence == Int64(auditRecords))
        let (size, root) = try await trail.currentTree()
        let sqliteTree = try log.currentTree()
        #expect(size == sqliteTree.size && root == sqliteTree.root)
        #expect(try await trail.storedHeads(limit: 100) == log.storedHeads())
        #expect(try await trail.records(after: 0, limit: 10_000) == log.records(after: 0, limit: 10_000))
        #expect(try await trail.tallies(fromDay: 0, throughDay: 100_000, unitCode: nil) == log.tallies(fromDay: 0, throughDay: 100_000))
        #expect(try await trail.records(aboutHolder: "370404199306100042", actions: [.lookup], before: nil, limit: 10).map(\.sequence) == [43])
        #expect(try await trail.verifyChain(anchor: log.head()).isIntact)
        log.close()

        // The trail goes on from the copied head: the next record chains to the last copied one.
        let writer = try await PostgresAuditTrail.open(database)
        let next = try await writer.append(
            AuditRecord(
                atMillis: 1_800_001_000_000, unitCode: UnitDemoData.water.code.value, credentialID: "demo-water", staff: "agent-0001",
                action: .lookup, itemCode: "SW-KH-001", caseReference: "CASE-X", holderID: "370404199306107807", typeCode: "JMSFZ",
                result: .found))
        await writer.close()
        #expect(next == Int64(auditRecords) + 1)
        #expect(try await trail.verifyChain(anchor: nil).isIntact)
    }

    @Test("a tampered audit record in the data folder: migrate refuses before writing anything")
    func refusesATamperedSource() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        _ = try await Self.makeDataFolder(folder.url)
        let audit = try DatabaseQueue(path: folder.url.appendingPathComponent("audit.sqlite").path)
        try await audit.write { db in try db.execute(sql: "UPDATE audit SET staff = 'someone-else' WHERE sequence = 123") }
        try audit.close()
        let schema = PostgresTestDatabase.freshSchema("mig")
        let database = try Self.database(schema)
        let refused = await #expect(throws: NoProofError.self) {
            try await DataFolderMigration(directory: folder.url, database: database).run()
        }
        #expect(refused?.code == .invalid)
        #expect(refused?.message.contains("audit chain broken at sequence 123") == true)
        #expect(refused?.message.contains("nothing was copied") == true)
        // Nothing written: not even the stores' tables.
        let tables = try await database.withConnection { connection in
            var count = 0
            for try await n in try await connection.query(
                "SELECT COUNT(*)::bigint FROM information_schema.tables WHERE table_schema = \(schema)", logger: database.logger
            ).decode(Int64.self) {
                count = Int(n)
            }
            return count
        }
        #expect(tables == 0)
        #expect(try await MigrationMarker.state(of: database) == .empty)
        try? await database.dropSchema()
        await database.shutdown()
    }

    @Test("a schema with a partial migration is refused by migrate and by noproofd's start, saying to drop it")
    func refusesAPartialMigration() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        _ = try await Self.makeDataFolder(folder.url)
        let schema = PostgresTestDatabase.freshSchema("mig")
        let database = try Self.database(schema)
        do {
            _ = try await DataFolderMigration(directory: folder.url, database: database).run()
            // As an interruption between the first copied batch and the end leaves it.
            try await database.withConnection { connection in
                try await connection.query("UPDATE data_folder_migration SET completed_ms = NULL", logger: database.logger)
            }
            let refused = await #expect(throws: NoProofError.self) {
                try await DataFolderMigration(directory: folder.url, database: database).run()
            }
            #expect(refused?.code == .alreadyExists)
            #expect(refused?.message.contains("a partial migration is in") == true)
            #expect(refused?.message.contains("DROP SCHEMA \(schema) CASCADE") == true)
            let start = await #expect(throws: NoProofError.self) { try await MigrationMarker.refuseIfPartial(database) }
            #expect(start?.code == .conflict)
        } catch {
            try? await database.dropSchema()
            await database.shutdown()
            throw error
        }
        try await database.dropSchema()
        await database.shutdown()
    }

    @Test("a schema noproofd served (records, no migration) is refused: migrate copies into a new or empty schema only")
    func refusesASchemaWithRecords() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        _ = try await Self.makeDataFolder(folder.url)
        let schema = PostgresTestDatabase.freshSchema("mig")
        let database = try Self.database(schema)
        do {
            try await PostgresLicenceStore.open(database).upsertLicenceTypes(LicenceTypeCatalogue.starter)
            let refused = await #expect(throws: NoProofError.self) {
                try await DataFolderMigration(directory: folder.url, database: database).run()
            }
            #expect(refused?.code == .alreadyExists)
            #expect(refused?.message.contains("already holds records (table licence_type)") == true)
        } catch {
            try? await database.dropSchema()
            await database.shutdown()
            throw error
        }
        try await database.dropSchema()
        await database.shutdown()
    }
}
