import Foundation
import NoProofTestSupport
import Testing
import NoProofDomain
@testable import NoProofSQLite
@testable import NoProofLicenceStore
@testable import NoProofDemoData
@testable import NoProofImport

/// What every `LicenceStore` must do, written once and run against each backend by
/// `SQLiteLicenceStoreTests` and `PostgresLicenceStoreBehaviourTests`: the same assertions prove
/// the same behaviour.
enum LicenceStoreBehaviour {
    static let jhz = LicenceTypeCatalogue.type(code: "JHZ")!

    static func marriage(serial: String = "2020000001", holder: String = "37040219850312123X") throws -> Licence {
        let id = try LicenceIdentifier.make(typeCode: "JHZ", issuer: jhz.issuerCode, serial: serial)
        return Licence(
            id: id, holder: try Holder.parse(holder), holderName: "张伟", issuerName: jhz.issuerName,
            issueDate: CivilDate(year: 2020, month: 5, day: 20)!, validFrom: CivilDate(year: 2020, month: 5, day: 20)!,
            validTo: nil, fields: ["spouse_name": "李娜", "certificate_number": "J370402-2020-000123"])
    }

    /// Runs `body` with a fresh fixture of `backend` and a store opened in it (with the starter
    /// licence types when `withTypes`), closing and removing it afterwards whether `body` throws or not.
    static func withStore(
        _ backend: LicenceStoreBackend, withTypes: Bool = true,
        _ body: (LicenceStoreFixture, any LicenceStore) async throws -> Void
    ) async throws {
        let fixture = try await backend.makeFixture()
        do {
            let store = try await fixture.open()
            if withTypes { try await store.upsertLicenceTypes(LicenceTypeCatalogue.starter) }
            try await body(fixture, store)
        } catch {
            try? await fixture.remove()
            throw error
        }
        try await fixture.remove()
    }

    static func licenceTypesRoundTrip(_ backend: LicenceStoreBackend) async throws {
        try await withStore(backend) { _, store in
            let types = try await store.licenceTypes()
            #expect(types == LicenceTypeCatalogue.starter.sorted { $0.code < $1.code })
            #expect(try await store.licenceType(code: "XWZS")?.connected == false)
            #expect(try await store.licenceType(code: "NOPE") == nil)
            var changed = jhz
            changed.connected = false
            try await store.upsertLicenceTypes([changed])
            #expect(try await store.licenceType(code: "JHZ") == changed)
            var bad = jhz
            bad.code = "jhz"
            await #expect(throws: NoProofError.self) { try await store.upsertLicenceTypes([bad]) }
        }
    }

    static func issueAndGet(_ backend: LicenceStoreBackend) async throws {
        try await withStore(backend) { _, store in
            let licence = try marriage()
            let stored = try await store.issue(licence)
            #expect(stored == licence)
            #expect(try await store.licence(byID: licence.id) == licence)
            #expect(try await store.licences(holder: licence.holder, typeCode: "JHZ") == [licence])
            #expect(try await store.licences(holder: licence.holder, typeCode: "HKB") == [])
            #expect(try await store.licences(holder: licence.holder) == [licence])
            #expect(try await store.count() == 1)
            let other = try LicenceIdentifier.make(typeCode: "JHZ", issuer: jhz.issuerCode, serial: "404")
            #expect(try await store.licence(byID: other) == nil)
        }
    }

    static func duplicatesAreRejected(_ backend: LicenceStoreBackend) async throws {
        try await withStore(backend) { _, store in
            let licence = try marriage()
            try await store.issue(licence)
            do throws(NoProofError) {
                try await store.issue(licence)
                Issue.record("duplicate accepted")
            } catch {
                #expect(error.code == .alreadyExists)
                #expect(error.message.contains(licence.id.description))
            }
        }
    }

    static func invalidLicencesAreRefusedNamingTheField(_ backend: LicenceStoreBackend) async throws {
        try await withStore(backend) { _, store in
            var licence = try marriage()
            licence.fields["colour"] = "red"
            await #expect(throws: NoProofError.invalid(ValidationError(field: "field.colour", reason: "not a data field of licence type JHZ"))) {
                try await store.issue(licence)
            }
            licence = try marriage(holder: "91350100M000100Y43")
            do throws(NoProofError) {
                try await store.issue(licence)
                Issue.record("organisation accepted as marriage holder")
            } catch {
                guard let v = error.validation else { Issue.record("wrong kind \(error)"); return }
                #expect(v.field == "holder_id")
            }
            let unknownType = try LicenceIdentifier.make(typeCode: "ZZZ", issuer: jhz.issuerCode, serial: "1")
            let orphan = Licence(
                id: unknownType, holder: licence.holder, holderName: "x", issuerName: "y",
                issueDate: licence.issueDate, validFrom: licence.validFrom, validTo: nil)
            await #expect(throws: NoProofError.invalid(ValidationError(field: "type_code", reason: "unknown licence type ZZZ"))) {
                try await store.issue(orphan)
            }
        }
    }

    static func amendKeepsOldVersions(_ backend: LicenceStoreBackend) async throws {
        try await withStore(backend) { _, store in
            let original = try marriage()
            try await store.issue(original)
            let v2 = try await store.amend(original.id, changes: LicenceAmendment(setFields: ["spouse_name": "李娜娜"]), reason: "typo")
            #expect(v2.version == 2)
            #expect(v2.fields["spouse_name"] == "李娜娜")
            let v3 = try await store.amend(
                original.id,
                changes: LicenceAmendment(
                    validTo: .some(CivilDate(year: 2040, month: 1, day: 1)!),
                    removeFields: ["certificate_number"]), reason: "re-issue")
            #expect(v3.version == 3)
            #expect(v3.validTo == CivilDate(year: 2040, month: 1, day: 1))
            #expect(v3.fields["certificate_number"] == nil)
            let versions = try await store.versions(of: original.id)
            #expect(versions.map(\.version) == [1, 2, 3])
            #expect(versions[0] == original)
            #expect(versions[1] == v2)
            #expect(versions[2] == v3)
            // When and why each archived version was superseded (GetProofStatus "superseded").
            let supersessions = try await store.supersessions(of: original.id)
            #expect(supersessions.keys.sorted() == [1, 2])
            #expect(supersessions[1]?.reason == "typo" && supersessions[2]?.reason == "re-issue")
            #expect(supersessions.values.allSatisfy { Timestamp.millis($0.at) != nil })
            #expect(try await store.licence(byID: original.id) == v3)
            #expect(try await store.count() == 1)
            await #expect(throws: NoProofError.invalid(ValidationError(field: "changes", reason: "the amendment changes nothing"))) {
                try await store.amend(original.id, changes: LicenceAmendment(), reason: "noop")
            }
            let missing = try LicenceIdentifier.make(typeCode: "JHZ", issuer: jhz.issuerCode, serial: "404")
            await #expect(throws: NoProofError.notFound(missing)) { try await store.amend(missing, changes: LicenceAmendment(holderName: "x"), reason: "r") }
            #expect(try await store.versions(of: missing) == [])
        }
    }

    static func suspendReinstateRevoke(_ backend: LicenceStoreBackend) async throws {
        try await withStore(backend) { _, store in
            let licence = try marriage()
            try await store.issue(licence)
            #expect(try await store.suspend(licence.id, reason: "under investigation").status == .suspended)
            #expect(try await store.licence(byID: licence.id)?.status == .suspended)
            do throws(NoProofError) {
                try await store.suspend(licence.id, reason: "again")
                Issue.record("double suspend accepted")
            } catch {
                #expect(error.code == .conflict)
                #expect(error.message == "licence \(licence.id) is suspended and cannot be suspended")
            }
            #expect(try await store.reinstate(licence.id, reason: "cleared").status == .valid)
            await #expect(throws: NoProofError.self) { try await store.reinstate(licence.id, reason: "not suspended") }
            #expect(try await store.revoke(licence.id, reason: "marriage annulled").status == .revoked)
            #expect(try await store.licence(byID: licence.id)?.status == .revoked)
            for attempt in [0, 1, 2] {
                do throws(NoProofError) {
                    switch attempt {
                    case 0: try await store.revoke(licence.id, reason: "again")
                    case 1: try await store.suspend(licence.id, reason: "x")
                    default: try await store.amend(licence.id, changes: LicenceAmendment(holderName: "y"), reason: "z")
                    }
                    Issue.record("change of revoked licence accepted")
                } catch {
                    #expect(error.code == .conflict)
                }
            }
            let changes = try await store.statusChanges(of: licence.id)
            #expect(changes.map(\.to) == [.suspended, .valid, .revoked])
            #expect(changes.map(\.reason) == ["under investigation", "cleared", "marriage annulled"])
            // status changes do not create versions
            #expect(try await store.versions(of: licence.id).count == 1)
        }
    }

    static func importBatchIsIdempotent(_ backend: LicenceStoreBackend) async throws {
        try await withStore(backend) { _, store in
            let licences = DemoDataGenerator(seed: 3, licenceCount: 2_500).makeLicences()
            let first = try await store.importBatch(licences)
            #expect(first == ImportOutcome(inserted: 2_500, updated: 0, unchanged: 0))
            let second = try await store.importBatch(licences)
            #expect(second == ImportOutcome(inserted: 0, updated: 0, unchanged: 2_500))
            var changed = licences
            changed[1_500].holderName = "改名"
            var bad = changed[10]
            bad.fields["nonsense"] = "1"
            changed.append(bad)
            let third = try await store.importBatch(changed)
            #expect(third.inserted == 0 && third.updated == 1 && third.unchanged == 2_499)
            #expect(
                third.rejected == [
                    ImportOutcome.Rejection(
                        index: 2_500,
                        error: ValidationError(
                            field: "field.nonsense",
                            reason: "not a data field of licence type \(bad.typeCode)"))
                ])
            #expect(try await store.versions(of: licences[1_500].id).count == 2)
            #expect(try await store.count() == 2_500)
        }
    }

    static func revokedLicencesAreNotChangedByImport(_ backend: LicenceStoreBackend) async throws {
        try await withStore(backend) { _, store in
            let licence = try marriage()
            try await store.issue(licence)
            try await store.revoke(licence.id, reason: "annulled")
            let outcome = try await store.importBatch([licence])
            #expect(outcome.rejected.count == 1)
            #expect(outcome.rejected.first?.error.field == "status")
            #expect(try await store.licence(byID: licence.id)?.status == .revoked)
        }
    }

    static func dataSurvivesReopen(_ backend: LicenceStoreBackend) async throws {
        try await withStore(backend) { fixture, store in
            let licence = try marriage()
            try await store.issue(licence)
            try await store.amend(licence.id, changes: LicenceAmendment(holderName: "张伟伟"), reason: "name change")
            try await store.suspend(licence.id, reason: "check")
            try await fixture.closeAll()
            let reopened = try await fixture.open()
            let current = try #require(try await reopened.licence(byID: licence.id))
            #expect(current.holderName == "张伟伟")
            #expect(current.status == .suspended)
            #expect(current.version == 2)
            #expect(try await reopened.versions(of: licence.id).first == licence)
            #expect(try await reopened.licenceTypes().count == LicenceTypeCatalogue.starter.count)
        }
    }

    static func chunkedIterationVisitsEveryLicenceOnce(_ backend: LicenceStoreBackend) async throws {
        try await withStore(backend, withTypes: false) { _, store in
            let outcome = try await seedDemo(store: store, count: 1_234, seed: 5, batchSize: 500)
            #expect(outcome.inserted == 1_234)
            var seen: [String] = []
            try await store.forEachChunk(size: 100) { chunk in
                #expect(chunk.count <= 100)
                seen += chunk.map(\.id.description)
            }
            #expect(seen.count == 1_234)
            #expect(Set(seen).count == 1_234)
            #expect(seen == seen.sorted())
            let expected = Set(DemoDataGenerator(seed: 5, licenceCount: 1_234).licences().map(\.id.description))
            #expect(Set(seen) == expected)
            // seeding again changes nothing
            let again = try await seedDemo(store: store, count: 1_234, seed: 5)
            #expect(again.unchanged == 1_234)
        }
    }

    static func holderLookupReturnsAllTypes(_ backend: LicenceStoreBackend) async throws {
        try await withStore(backend, withTypes: false) { _, store in
            let generator = DemoDataGenerator(seed: 8, licenceCount: 800)
            try await seedDemo(store: store, count: 800, seed: 8)
            let top = generator.holder(at: 0)
            let all = try await store.licences(holder: top.holder)
            #expect(all.count == top.licenceCount)
            #expect(all.allSatisfy { $0.holderName == top.name })
            let guaranteed = try await store.licences(holder: top.holder, typeCode: top.guaranteedTypeCode)
            #expect(guaranteed.count == 1)
        }
    }
}
