import Foundation
import GRDB
import NoProofTestSupport
import Testing
import NoProofDomain
@testable import NoProofLicenceStore

/// The cache-miss read path: the store's own read-only connections with prepared statements.
@Suite("SQLite licence reader (the miss path)")
struct SQLiteLicenceReaderTests {
    static func openStore(_ dir: TemporaryDirectory) async throws -> SQLiteLicenceStore {
        let store = try SQLiteLicenceStore(directory: dir.url)
        try await store.upsertLicenceTypes(LicenceTypeCatalogue.starter)
        return store
    }

    @Test func aRevokeCommittedOnTheWriterIsReadAtOnce() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try await Self.openStore(dir)
        let licence = try LicenceStoreBehaviour.marriage()
        try await store.issue(licence)
        #expect(try await store.licences(holder: licence.holder, typeCode: "JHZ").map(\.status) == [.valid])
        try await store.revoke(licence.id, reason: "issued in error")
        // The reader's statements are reused: the next execution must see the new commit.
        #expect(try await store.licences(holder: licence.holder, typeCode: "JHZ").map(\.status) == [.revoked])
        #expect(try await store.licence(byID: licence.id)?.status == .revoked)
        #expect(try await store.licence(byID: licence.id)?.version == 1)
        try store.close()
    }

    @Test func holderQueriesAreOrderedByTypeThenIdentifierAndFilterByType() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try await Self.openStore(dir)
        let second = try LicenceStoreBehaviour.marriage(serial: "2020000009")
        let first = try LicenceStoreBehaviour.marriage(serial: "2020000002")
        let other = try LicenceStoreBehaviour.marriage(serial: "2020000003", holder: try ResidentID.make(first17: "11010119800101001").value)
        // A licence of a type that sorts after JHZ, issued first: the order is the type's, then the identifier's, not the insertion's.
        let idCardType = try #require(LicenceTypeCatalogue.type(code: "JMSFZ"))
        let idCard = Licence(
            id: try LicenceIdentifier.make(typeCode: "JMSFZ", issuer: idCardType.issuerCode, serial: "2020000001"), holder: first.holder,
            holderName: first.holderName, issuerName: idCardType.issuerName, issueDate: first.issueDate, validFrom: first.validFrom,
            validTo: nil, fields: [:])
        for licence in [idCard, second, first, other] { try await store.issue(licence) }
        #expect(try await store.licences(holder: first.holder, typeCode: nil).map(\.id) == [first.id, second.id, idCard.id])
        #expect(try await store.licences(holder: first.holder, typeCode: nil) == store.licencesThroughPool(holder: first.holder, typeCode: nil))
        #expect(try await store.licences(holder: first.holder, typeCode: "JHZ").map(\.id) == [first.id, second.id])
        #expect(try await store.licences(holder: first.holder, typeCode: "JMSFZ").map(\.id) == [idCard.id])
        #expect(try await store.licences(holder: other.holder, typeCode: "JMSFZ").isEmpty)
        let read = try #require(try await store.licence(byID: first.id))
        #expect(read == first)
        #expect(read.holderName == "张伟" && read.fields["spouse_name"] == "李娜", "UTF-8 text read back exactly")
        #expect(
            try await store.licence(byID: LicenceIdentifier.make(typeCode: "JHZ", issuer: LicenceStoreBehaviour.jhz.issuerCode, serial: "2099999999")) == nil)
        try store.close()
    }

    @Test func aDamagedStoredRowIsAStorageErrorNamingTheLicence() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try await Self.openStore(dir)
        let licence = try LicenceStoreBehaviour.marriage()
        try await store.issue(licence)
        try await store.dbPool.write { db in
            try db.execute(sql: "UPDATE licence SET fields_json = 'not json' WHERE id = ?", arguments: [licence.id.description])
        }
        let error = await #expect(throws: NoProofError.self) { try await store.licences(holder: licence.holder, typeCode: nil) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("stored licence \(licence.id) is unreadable") == true)
        try store.close()
    }

    @Test func readsAfterCloseFailWithAStorageError() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try await Self.openStore(dir)
        let licence = try LicenceStoreBehaviour.marriage()
        try await store.issue(licence)
        try store.close()
        let error = await #expect(throws: NoProofError.self) { try await store.licence(byID: licence.id) }
        #expect(error?.message == "the licence reader is closed")
    }

    @Test func manyConcurrentReadersGetTheirOwnAnswers() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try await Self.openStore(dir)
        var licences: [Licence] = []
        for index in 0..<40 {
            let holder = try ResidentID.make(first17: "11010119800101" + String(format: "%03d", index)).value
            let licence = try LicenceStoreBehaviour.marriage(serial: String(2020000100 + index), holder: holder)
            try await store.issue(licence)
            licences.append(licence)
        }
        #expect(licences.count == 40)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<400 {
                let licence = licences[round % licences.count]
                group.addTask {
                    let found = try await store.licences(holder: licence.holder, typeCode: "JHZ")
                    #expect(found.map(\.id) == [licence.id])
                }
            }
            try await group.waitForAll()
        }
        try store.close()
    }
}
