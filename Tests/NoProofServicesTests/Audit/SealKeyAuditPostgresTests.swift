import Foundation
import Logging
import NoProofAudit
import NoProofAuditChain
import NoProofPostgres
import NoProofSeals
import NoProofServices
import NoProofTestSupport
import Testing

/// Seal keys with several instances on one PostgreSQL trail (issue 18): every instance seals with
/// the same keys (the operator copies seals/ to each). A second instance starting with a copy of
/// the keys records them as in use; a rotation through one is in the shared trail, and the other is
/// refused until it has the new keys; one starting with keys of its own is refused, naming the key.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct SealKeyAuditPostgresTests {
    @Test func aSecondInstanceWithTheSameKeysStartsAndOneWithAnotherKeyIsRefused() async throws {
        let url = try #require(PostgresTestDatabase.url)
        let schema = PostgresTestDatabase.freshSchema("seal_keys")
        let databaseA = try PostgresStoreDatabase.connect(url: url, schema: schema)
        let databaseB = try PostgresStoreDatabase.connect(url: url, schema: schema)
        let folders = try TemporaryDirectory(prefix: "noproof-seal-keys-pg")
        defer { folders.remove() }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let sealsA = folders.url.appendingPathComponent("a/seals"), sealsB = folders.url.appendingPathComponent("b/seals")
        let sealsC = folders.url.appendingPathComponent("c/seals")
        var failure: (any Error)?
        do {
            let trailA = try await PostgresAuditTrail.open(databaseA)
            let trailB = try await PostgresAuditTrail.open(databaseB)
            // Instance A: the first start creates the keys and records them.
            let keysA = try SealKeyring.openOrCreate(directory: sealsA)
            try await SealKeyAudit.record(keysA, existing: [], audit: trailA, logger: quiet)
            // Instance B: seals/ copied from A; its start records the same keys in use, on the shared trail.
            try FileManager.default.createDirectory(at: sealsB.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: sealsA, to: sealsB)
            let keysB = try SealKeyring.openOrCreate(directory: sealsB)
            #expect(keysB.currentKeys.map(\.id) == keysA.currentKeys.map(\.id))
            try await SealKeyAudit.record(keysB, existing: Set(SealKind.allCases), audit: trailB, logger: quiet)
            for kind in SealKind.allCases {
                let latest = try #require(try await trailA.latestRecord(actions: [.sealKeyCreate, .sealKeyInUse], typeCode: kind.rawValue))
                #expect(latest.action == .sealKeyInUse)
                #expect(latest.licenceID == keysA.currentKeys.first { $0.kind == kind }?.id)
            }
            // A rotation through A is written to the shared trail (without blocking a thread on
            // PostgreSQL's async writes); B, still on the old key, is then refused until it has A's new keys.
            let rotation = try await SealKeyAudit.rotate(.dataSharing, reason: "scheduled rotation", sealDirectory: sealsA, audit: trailA, logger: quiet)
            let rotated = try #require(try await trailB.latestRecord(actions: [.sealKeyRotate], typeCode: SealKind.dataSharing.rawValue))
            #expect(rotated.result == .rotated && rotated.licenceID == rotation.new.id && rotated.proofSerial == rotation.old.id)
            await #expect(throws: SealKeyReplaced.self) {
                try await SealKeyAudit.record(try SealKeyring.openOrCreate(directory: sealsB), existing: Set(SealKind.allCases), audit: trailB, logger: quiet)
            }
            try FileManager.default.removeItem(at: sealsB)
            try FileManager.default.copyItem(at: sealsA, to: sealsB)
            try await SealKeyAudit.record(try SealKeyring.openOrCreate(directory: sealsB), existing: Set(SealKind.allCases), audit: trailB, logger: quiet)
            // Instance C: keys of its own (not a copy): refused, naming the key the trail recorded.
            let keysC = try SealKeyring.openOrCreate(directory: sealsC)
            let before = try await trailB.count()
            do {
                try await SealKeyAudit.record(keysC, existing: Set(SealKind.allCases), audit: trailB, logger: quiet)
                Issue.record("an instance with another seal key was not refused")
            } catch let replaced as SealKeyReplaced {
                let recorded = try #require(keysA.currentKeys.first { $0.kind == replaced.kind }?.id)
                #expect(replaced.recorded == (replaced.kind == .dataSharing ? rotation.new.id : recorded))
                #expect(replaced.found == keysC.currentKeys.first { $0.kind == replaced.kind }?.id)
                #expect("\(replaced)".contains("the audit trail last recorded \(replaced.recorded)"))
            }
            #expect(try await trailB.count() == before)  // nothing recorded for the refused start
            await trailA.close()
            await trailB.close()
        } catch {
            failure = error
        }
        try? await databaseA.dropSchema()
        await databaseA.shutdown()
        await databaseB.shutdown()
        if let failure { throw failure }
    }
}
