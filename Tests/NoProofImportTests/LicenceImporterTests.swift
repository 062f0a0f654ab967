import Foundation
import NoProofTestSupport
import Testing
import NoProofDomain
@testable import NoProofLicenceStore
@testable import NoProofDemoData
@testable import NoProofImport

@Suite struct LicenceImporterTests {
    static let jhz = LicenceTypeCatalogue.type(code: "JHZ")!
    static let hkb = LicenceTypeCatalogue.type(code: "HKB")!

    static func jhzID(_ serial: String) -> String {
        try! LicenceIdentifier.make(typeCode: "JHZ", issuer: jhz.issuerCode, serial: serial).description
    }

    /// Line numbers: header is line 1.
    static var mixedCSV: String {
        """
        licence_id,type_code,issuer_code,serial,version,holder_id,holder_name,issue_date,valid_from,valid_to,status,field.spouse_name,field.certificate_number,field.address
        \(jhzID("A1")),,,,,37040219850312123X,张伟,2020-05-20,,,,李娜,"J370402-2020-000001",
        ,HKB,\(hkb.issuerCode),H77,1,11010519491231002X,"王, 芳",2019-01-01,2019-01-01,,valid,,,"山东省枣庄市市中区""光明""路1号
        二单元"
        \(jhzID("A2")),,,,,110105194912310021,李四,2020-05-20,,,,,,
        \(jhzID("A3")),,,,,440524198001010013,赵六,2020-02-30,,,,,,
        \(jhzID("A4")),,,,,440524198001010013,赵六,2020-02-01,,2019-01-01,,,,
        \(jhzID("A5")),,,,,440524198001010013,赵六,2020-02-01,,,lost,,,

        \(jhzID("A6")),,,,,91350100M000100Y43,某公司,2020-02-01,,,,,,
        ,JHZ,\(jhz.issuerCode),A7,1,440524198001010013,赵六,2020-02-01,,,,,,
        1.2.156.3005.2.JHZ.\(jhz.issuerCode).A8.001.Q,,,,,440524198001010013,赵六,2020-02-01,,,,,,
        ,HKB,\(hkb.issuerCode),H78,1,440524198001010013,赵六,2021-03-04,,,,,,,extra
        """
    }

    static func openStore(_ dir: TemporaryDirectory) async throws -> SQLiteLicenceStore {
        let store = try SQLiteLicenceStore(directory: dir.url)
        try await store.upsertLicenceTypes(LicenceTypeCatalogue.starter)
        return store
    }

    @Test func csvWithMixedRows() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try await Self.openStore(dir)
        let file = dir.url.appendingPathComponent("export.csv")
        try Self.mixedCSV.write(to: file, atomically: true, encoding: .utf8)
        let importer = LicenceImporter(store: store, batchSize: 3)
        let report = try await importer.importFile(at: file)
        #expect(report.format == .csv)
        #expect(report.rowsRead == 10)
        #expect(report.inserted == 3)
        #expect(report.rejectedCount == 7)
        let checkA8 = ISO7064Mod3736.checkCharacter(for: "JHZ\(Self.jhz.issuerCode)A8001")!
        #expect(
            report.rejections == [
                .init(row: 5, field: "holder_id", reason: "check digit is 1, expected X"),
                .init(row: 6, field: "issue_date", reason: "2020-02-30 is not a real calendar date"),
                .init(row: 7, field: "valid_to", reason: "valid_to 2019-01-01 is before valid_from 2020-02-01"),
                .init(row: 8, field: "status", reason: "status must be one of valid, suspended, revoked, expired, got \"lost\""),
                .init(row: 10, field: "holder_id", reason: "licence type JHZ (Marriage certificate) is held by person holders, not by organization holders"),
                .init(row: 12, field: "licence_id", reason: "check character is Q, expected \(checkA8)"),
                .init(row: 13, field: "row", reason: "has 15 cells, the header has 14"),
            ])
        let hkbLicence = try #require(try await store.licences(holder: try Holder.parse("11010519491231002X"), typeCode: "HKB").first)
        #expect(hkbLicence.holderName == "王, 芳")
        #expect(hkbLicence.fields == ["address": "山东省枣庄市市中区\"光明\"路1号\n二单元"])
        #expect(hkbLicence.issuerName == Self.hkb.issuerName)
        let a1 = try #require(try await store.licence(byID: try LicenceIdentifier.parse(Self.jhzID("A1"))))
        #expect(a1.fields == ["spouse_name": "李娜", "certificate_number": "J370402-2020-000001"])
        #expect(a1.validFrom == a1.issueDate)
        #expect(a1.validTo == nil)
        #expect(a1.status == .valid)

        // Re-running changes nothing.
        let again = try await importer.importFile(at: file)
        #expect(again.inserted == 0)
        #expect(again.updated == 0)
        #expect(again.unchanged == 3)
        #expect(again.rejectedCount == 7)
        #expect(try await store.count() == 3)
    }

    @Test func jsonLinesWithMixedRows() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try await Self.openStore(dir)
        let text = """
            {"licence_id":"\(Self.jhzID("J1"))","holder_id":"37040219850312123X","holder_name":"张伟","issue_date":"2020-05-20","fields":{"spouse_name":"李娜"}}
            {"type_code":"HKB","issuer_code":"\(Self.hkb.issuerCode)","serial":"H1","version":"001","holder_id":"11010519491231002x","holder_name":"王芳","issue_date":"2019-01-01","valid_to":"","status":"suspended","fields":{"household_number":123456789}}
            not json

            {"licence_id":"\(Self.jhzID("J2"))","holder_id":"37040219850312123X","holder_name":"张伟","issue_date":"2020-05-20","fields":{"colour":"red"}}
            {"licence_id":"\(Self.jhzID("J3"))","holder_id":"37040219850312123X","holder_name":"张伟","issue_date":"2020-05-20","nickname":"x"}
            {"licence_id":"\(Self.jhzID("J4"))","holder_name":"张伟","issue_date":"2020-05-20"}
            """
        let file = dir.url.appendingPathComponent("export.jsonl")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let progress = ProgressLog()
        let report = try await LicenceImporter(store: store).importFile(at: file) { progress.append($0) }
        #expect(report.format == .jsonLines)
        #expect(report.rowsRead == 6)
        #expect(report.inserted == 2)
        #expect(
            report.rejections == [
                .init(row: 3, field: "row", reason: "not valid JSON"),
                .init(row: 5, field: "field.colour", reason: "not a data field of licence type JHZ"),
                .init(row: 6, field: "nickname", reason: "unknown key (data fields belong in the fields object)"),
                .init(row: 7, field: "holder_id", reason: "required"),
            ])
        let hkb = try #require(try await store.licences(holder: try Holder.parse("11010519491231002X"), typeCode: "HKB").first)
        #expect(hkb.status == .suspended)
        #expect(hkb.fields == ["household_number": "123456789"])
        let last = try #require(progress.values.last)
        #expect(last.rowsProcessed == 6)
        #expect(last.bytesRead == text.utf8.count)
        #expect(last.fraction == 1)

        let again = try await LicenceImporter(store: store).importFile(at: file)
        #expect(again.unchanged == 2)
        #expect(again.inserted == 0)
        #expect(again.rejectedCount == 4)
    }

    @Test func changedRowsBecomeNewVersions() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try await Self.openStore(dir)
        let header = "licence_id,holder_id,holder_name,issue_date,field.spouse_name\n"
        let importer = LicenceImporter(store: store)
        _ = try await importer.importText(header + "\(Self.jhzID("V1")),37040219850312123X,张伟,2020-05-20,李娜\n", format: .csv)
        let report = try await importer.importText(header + "\(Self.jhzID("V1")),37040219850312123X,张伟,2020-05-20,李娜娜\n", format: .csv)
        #expect(report.updated == 1)
        let versions = try await store.versions(of: try LicenceIdentifier.parse(Self.jhzID("V1")))
        #expect(versions.map { $0.fields["spouse_name"] } == ["李娜", "李娜娜"])
    }

    @Test func badHeadersFailTheWholeFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try await Self.openStore(dir)
        let importer = LicenceImporter(store: store)
        for (text, message) in [
            ("holder_id,holder_name,issue_date\n", "CSV header needs licence_id or all of type_code, issuer_code, serial, version"),
            ("licence_id,holder_id,issue_date\n", "CSV header lacks the required column holder_name"),
            ("licence_id,holder_id,holder_name,issue_date,colour\n", "CSV header has unknown column \"colour\" (data fields are written field.<key>)"),
            ("", "the CSV input is empty: a header row is required"),
        ] {
            do {
                _ = try await importer.importText(text, format: .csv)
                Issue.record("accepted header \(text)")
            } catch let error as LicenceImporter.FileError {
                #expect(error.message == message)
            }
        }
    }

    @Test func largeGeneratedFileRoundTrips() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try await Self.openStore(dir)
        let generator = DemoDataGenerator(seed: 21, licenceCount: 3_000)
        let file = dir.url.appendingPathComponent("demo.csv")
        try LicenceCSVWriter.write(generator.licences(), to: file)
        let report = try await LicenceImporter(store: store, batchSize: 700).importFile(at: file)
        #expect(report.rowsRead == 3_000)
        #expect(report.inserted == 3_000)
        #expect(report.rejectedCount == 0)
        for licence in generator.licences().prefix(50) {
            #expect(try await store.licence(byID: licence.id) == licence)
        }
    }

    @Test func parserHandlesChunkBoundaries() {
        let text = "a,b,c\r\n\"x\"\"y\",\"multi\nline\",3\n\n1,2,\"\"\n\u{FEFF}"
        for split in 0...text.utf8.count {
            var parser = CSVRecordParser()
            let bytes = Array(text.utf8)
            var records: [[String]] = []
            parser.append(bytes[..<split])
            while let r = parser.next(atEndOfInput: false) { records.append(r.fields) }
            parser.append(bytes[split...])
            while let r = parser.next(atEndOfInput: true) { records.append(r.fields) }
            #expect(records.prefix(3) == [["a", "b", "c"], ["x\"y", "multi\nline", "3"], ["1", "2", ""]], "split at \(split)")
        }
    }
}

/// Collects progress reports from the importer's callback.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [LicenceImporter.Progress] = []

    func append(_ p: LicenceImporter.Progress) {
        lock.lock()
        storage.append(p)
        lock.unlock()
    }

    var values: [LicenceImporter.Progress] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
