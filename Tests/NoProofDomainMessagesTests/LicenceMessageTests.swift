import NoProofDemoData
import NoProofDomain
import NoProofDomainMessages
import NoProofMessages
import Testing

/// A licence to its protobuf message and back (what IssueLicence, GetLicence and the import take
/// and give): every field kept, and a message that does not make a licence refused naming the field.
@Suite("Licence+Message")
struct LicenceMessageTests {
    static let licences = DemoDataGenerator(licenceCount: 60).makeLicences()

    @Test func aLicenceSurvivesItsMessage() throws {
        #expect(!Self.licences.isEmpty)
        for licence in Self.licences {
            let message = APILicence(licence)
            #expect(message.licenceID == licence.id.description)
            #expect(message.fields.map(\.key) == licence.sortedFields.map(\.key))
            #expect(try Licence(message: message) == licence)
        }
    }

    @Test func defaultsApplyToWhatAMessageLeavesOut() throws {
        var message = APILicence(try #require(Self.licences.first))
        message.validFrom = ""
        message.status = ""
        message.version = 0
        let licence = try Licence(message: message)
        #expect(licence.validFrom.description == message.issueDate)
        #expect(licence.status == .valid)
        #expect(licence.version == 1)
    }

    /// A way to spoil a licence's message, named by the field the refusal must name.
    enum Spoiled: String, CaseIterable, Sendable {
        case noIdentifier, badIdentifier, typeCode, issuerCode, fieldTwice, holderID, issueDate, status

        var field: String {
            switch self {
            case .noIdentifier, .badIdentifier: "licence_id"
            case .typeCode: "type_code"
            case .issuerCode: "issuer_code"
            case .fieldTwice: "fields"
            case .holderID: "holder_id"
            case .issueDate: "issue_date"
            case .status: "status"
            }
        }

        func apply(to m: inout APILicence) {
            switch self {
            case .noIdentifier: m.licenceID = ""
            case .badIdentifier: m.licenceID = "not-an-identifier"
            case .typeCode: m.typeCode = "XXXXX"
            case .issuerCode: m.issuerCode = "91370400MA3C7WX81E"
            case .fieldTwice: m.fields += m.fields.prefix(1)
            case .holderID: m.holderID = "370404199306107800"
            case .issueDate: m.issueDate = "2023-02-30"
            case .status: m.status = "lost"
            }
        }
    }

    @Test(arguments: Spoiled.allCases)
    func aMessageThatIsNoLicenceIsRefusedNamingTheField(_ spoiled: Spoiled) throws {
        var message = APILicence(try #require(Self.licences.first { !$0.fields.isEmpty }))
        spoiled.apply(to: &message)
        #expect {
            _ = try Licence(message: message)
        } throws: { error in
            (error as? ValidationError)?.field == spoiled.field
        }
    }
}
