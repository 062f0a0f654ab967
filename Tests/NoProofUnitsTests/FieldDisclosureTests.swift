import Foundation
import NoProofDomain
import Testing
@testable import NoProofUnits

/// Issue 16, data minimisation: a list entry names the fields an item needs; the rest is withheld.
@Suite("Field disclosure")
struct FieldDisclosureTests {
    static let idCard = LicenceTypeCatalogue.type(code: "JMSFZ")!

    static func licence() throws -> Licence {
        let id = try LicenceIdentifier.make(typeCode: "JMSFZ", issuer: LicenceTypeCatalogue.publicSecurityBureau.code, serial: "000001")
        return Licence(
            id: id, holder: try Holder.parse("370402199001011238", field: "holder"), holderName: "张三", issuerName: "枣庄市公安局",
            issueDate: Fixtures.date("2020-01-01"), validFrom: Fixtures.date("2020-01-01"), validTo: nil,
            fields: ["gender": "男", "ethnicity": "汉", "birth_date": "1990-01-01", "address": "枣庄市市中区", "issuing_authority": "枣庄市公安局"])
    }

    @Test func identityOnlyWithholdsEveryDataFieldAndNamesThem() throws {
        let (minimised, withheld) = FieldDisclosure.identityOnly.apply(to: try Self.licence())
        #expect(minimised.fields.isEmpty)
        #expect(withheld == ["address", "birth_date", "ethnicity", "gender", "issuing_authority"])
        #expect(minimised.holderName == "张三" && minimised.status == .valid && minimised.version == 1)
    }

    @Test func namedFieldsAreKeptAndTheRestWithheld() throws {
        let (minimised, withheld) = FieldDisclosure.fields(["birth_date", "gender"]).apply(to: try Self.licence())
        #expect(minimised.fields == ["birth_date": "1990-01-01", "gender": "男"])
        #expect(withheld == ["address", "ethnicity", "issuing_authority"])
    }

    @Test func theFullRecordWithholdsNothing() throws {
        let licence = try Self.licence()
        let (minimised, withheld) = FieldDisclosure.fullRecord.apply(to: licence)
        #expect(minimised == licence && withheld.isEmpty)
    }

    @Test func listFormRoundTripsAndRefusesBadKeys() throws {
        #expect(try FieldDisclosure(keys: [], field: "f") == .identityOnly)
        #expect(try FieldDisclosure(keys: ["*"], field: "f") == .fullRecord)
        #expect(try FieldDisclosure(keys: ["gender"], field: "f").keys == ["gender"])
        #expect(throws: ValidationError.self) { try FieldDisclosure(keys: ["*", "gender"], field: "f") }
        #expect(throws: ValidationError.self) { try FieldDisclosure(keys: ["gender", "gender"], field: "f") }
        #expect(throws: ValidationError.self) { try FieldDisclosure(keys: ["Birth Date"], field: "f") }
        do {
            try FieldDisclosure.fields(["gender", "blood_type"]).validate(against: Self.idCard, field: "items[0].proofs[0].fields")
            Issue.record("an unknown field was accepted")
        } catch {
            #expect(error.field == "items[0].proofs[0].fields[1]")
            #expect(error.reason.contains("blood_type is not a field of JMSFZ") && error.reason.contains("birth_date"))
        }
    }

    @Test func fieldsOnlyForDataSharingAndOnlyFieldsOfTheType() throws {
        let list = Fixtures.machine.newDraft(unitCode: Fixtures.civilAffairsCode, version: 1, basedOn: nil, by: "agent-0001", at: Fixtures.cst(2026, 3, 2))
        let unknownField = ServiceItem(
            code: "A", name: "a", kind: .immediate,
            proofs: [ProofRequirement(proofCode: "JMSFZ", method: .dataSharing, disclosure: .fields(["blood_type"]))])
        #expect(throws: NoProofError.self) {
            try Fixtures.machine.apply(.edit(items: [unknownField], changes: [], by: "agent-0001", at: Fixtures.cst(2026, 3, 2)), to: list)
        }
        let commitment = ProofRequirementRecord(proof: "JZZM", method: "commitment", fields: ["address"])
        #expect(throws: ValidationError.self) { try ProofRequirement(record: commitment, field: "proofs[0]") }
        let named = ServiceItem(
            code: "A", name: "a", kind: .immediate,
            proofs: [ProofRequirement(proofCode: "JMSFZ", method: .dataSharing, disclosure: .fields(["birth_date"]))])
        let edited = try Fixtures.machine.apply(.edit(items: [named], changes: [], by: "agent-0001", at: Fixtures.cst(2026, 3, 2)), to: list)
        #expect(edited.items[0].proofs[0].disclosure == .fields(["birth_date"]))
        // The flat form keeps the fields.
        let record = named.proofs[0].record
        #expect(record.fields == ["birth_date"])
        #expect(try ProofRequirement(record: record, field: "p") == named.proofs[0])
    }

    @Test func changingTheFieldsIsAChangeToDeclare() throws {
        var item = Fixtures.subsidyItem
        item.proofs[0].disclosure = .fields(["address"])
        let differences = ProofDifference.between([Fixtures.subsidyItem], [item])
        #expect(differences.count == 1)
        #expect(differences[0].kind == .change && differences[0].proofCode == "HKB")
        #expect(differences[0].description.contains("fields needed changed from identity and validity only to fields address"))
    }

    @Test func theDemoWaterCompanyGetsNoPersonalDetailsForAnAccount() throws {
        let item = try #require(UnitDemoData.items(of: UnitDemoData.water.code).first { $0.code == "SW-KH-001" })
        let (minimised, withheld) = try #require(item.proof("JMSFZ")).disclosure.apply(to: try Self.licence())
        #expect(minimised.fields["ethnicity"] == nil && minimised.fields["birth_date"] == nil && minimised.fields["address"] == nil)
        #expect(withheld.contains("ethnicity"))
    }

    @Test func bulkCSVCarriesTheFields() throws {
        let csv = """
            unit,item,item_name,item_kind,proof,method,fields
            \(Fixtures.civilAffairsCode),A,a,immediate,JMSFZ,data_sharing,gender;birth_date
            \(Fixtures.civilAffairsCode),A,a,immediate,HKB,data_sharing,*
            """
        let file = ItemListBulkFile.parseCSV(csv)
        #expect(file.problems.isEmpty)
        let proofs = try #require(file.entries.first?.items.first?.proofs)
        #expect(proofs.map(\.disclosure) == [.fields(["gender", "birth_date"]), .fullRecord])
    }
}
