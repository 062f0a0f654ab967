import Foundation
import Logging
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofLibrary
import NoProofMessages
import NoProofProtocol
import NoProofSeals
import NoProofServer
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import NoProofVerificationStore
import Testing
@testable import NoProofServices
@testable import NoProofAudit
@testable import NoProofLicenceStore

/// Invalid identifiers and codes in every request field that carries one, across the licence,
/// unit and verification services, over a real socket: each call ends INVALID_ARGUMENT with a
/// message naming the field, and the server then serves a good call on the same connection.
@Suite("Invalid IDs and codes in every field")
struct InvalidFieldTests {
    static let water = UnitDemoData.water.code.value
    static let university = UnitDemoData.university.code.value
    static let holder = "370404199306107807"
    static let badHolder = "37040419930610780X"  // wrong check character
    static let badUnit = "91370400MA3C7WX81Z"  // wrong check character
    static let badLicenceID = "1.2.156.3005.2.NOPE"
    static let purpose = APIPurpose(itemCode: "SW-KH-001", caseReference: "CASE-1")

    /// One bad call: which credential makes it, and the field its message must name.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var credential: String
        var field: String
        var call: @Sendable (NoProofClient) async throws -> Void
        var testDescription: String { name }
    }

    static func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String, _ request: Request, _ response: Response.Type, staff: String = "agent-0001"
    ) -> @Sendable (NoProofClient) async throws -> Void {
        { client in _ = try await client.unary(.path(path), request: request, as: response, metadata: ["staff": staff]) }
    }

    static let cases: [Case] = [
        // Licences
        Case(
            name: "Lookup holder_id", credential: "water", field: "holder_id",
            call: unary("/noproof.v1.Licences/Lookup", APILookupRequest(holderID: badHolder, typeCode: "JMSFZ", purpose: purpose), APILookupResponse.self)),
        Case(
            name: "Lookup type_code", credential: "water", field: "type_code",
            call: unary("/noproof.v1.Licences/Lookup", APILookupRequest(holderID: holder, typeCode: "NO SUCH", purpose: purpose), APILookupResponse.self)),
        Case(
            name: "Lookup item_code", credential: "water", field: "item_code",
            call: unary(
                "/noproof.v1.Licences/Lookup",
                APILookupRequest(
                    holderID: holder, typeCode: "JMSFZ",
                    purpose: APIPurpose(itemCode: "", caseReference: "C-1")), APILookupResponse.self)),
        Case(
            name: "Lookup case_reference", credential: "water", field: "case_reference",
            call: unary(
                "/noproof.v1.Licences/Lookup",
                APILookupRequest(
                    holderID: holder, typeCode: "JMSFZ",
                    purpose: APIPurpose(itemCode: "SW-KH-001", caseReference: "")), APILookupResponse.self)),
        Case(
            name: "GetLicence licence_id", credential: "water", field: "licence_id",
            call: unary(
                "/noproof.v1.Licences/GetLicence", APIGetLicenceRequest(licenceID: badLicenceID, holderID: holder, purpose: purpose),
                APIGetLicenceResponse.self)),
        Case(
            name: "GetLicence holder_id", credential: "water", field: "holder_id",
            call: unary(
                "/noproof.v1.Licences/GetLicence", APIGetLicenceRequest(licenceID: badLicenceID, holderID: "", purpose: purpose),
                APIGetLicenceResponse.self)),
        Case(
            name: "CheckLicence declared[1].key", credential: "water", field: "declared[1].key",
            call: unary(
                "/noproof.v1.Licences/CheckLicence",
                APICheckLicenceRequest(
                    holderID: holder, typeCode: "JMSFZ",
                    declared: [APILicenceField(key: "address", value: "a"), APILicenceField(key: "address", value: "b")],
                    purpose: purpose), APICheckLicenceResponse.self)),
        Case(
            name: "CheckLicence holder_id", credential: "water", field: "holder_id",
            call: unary(
                "/noproof.v1.Licences/CheckLicence", APICheckLicenceRequest(holderID: "abc", typeCode: "JMSFZ", purpose: purpose),
                APICheckLicenceResponse.self)),
        Case(
            name: "SuspendLicence licence_id", credential: "taskforce", field: "licence_id",
            call: unary("/noproof.v1.Licences/SuspendLicence", APIChangeLicenceStatusRequest(licenceID: badLicenceID, reason: "r"), APILicenceResponse.self)),
        Case(
            name: "RevokeLicence licence_id", credential: "taskforce", field: "licence_id",
            call: unary("/noproof.v1.Licences/RevokeLicence", APIChangeLicenceStatusRequest(licenceID: "", reason: "r"), APILicenceResponse.self)),
        Case(
            name: "AmendLicence licence_id", credential: "taskforce", field: "licence_id",
            call: unary(
                "/noproof.v1.Licences/AmendLicence", APIAmendLicenceRequest(licenceID: badLicenceID, holderName: "x", reason: "r"),
                APILicenceResponse.self)),
        Case(
            name: "IssueLicence licence_id", credential: "taskforce", field: "licence_id",
            call: unary(
                "/noproof.v1.Licences/IssueLicence",
                APIIssueLicenceRequest(
                    licence: APILicence(
                        licenceID: badLicenceID, typeCode: "JMSFZ", holderID: holder, holderName: "张三", issueDate: "2020-01-01",
                        validFrom: "2020-01-01")), APILicenceResponse.self)),
        Case(
            name: "AmendLicence valid_to", credential: "taskforce", field: "valid_to",
            call: unary(
                "/noproof.v1.Licences/AmendLicence",
                APIAmendLicenceRequest(
                    licenceID: "1.2.156.3005.2.JMSFZ.11370400004315203J.20230000000000.001.P", validTo: "2026-02-30", reason: "r"),
                APILicenceResponse.self)),
        // Units
        Case(
            name: "SetStaff role", credential: "water/supervisor-0001", field: "role",
            call: unary(
                "/noproof.v1.Units/SetStaff",
                APISetStaffRequest(
                    unitCode: water,
                    staff: [
                        APIStaffEntry(staffID: "agent-0001", name: "x", role: "king", active: true)
                    ]), APIListStaffResponse.self, staff: "supervisor-0001")),
        Case(
            name: "SetStaff staff_id", credential: "water/supervisor-0001", field: "staff_id",
            call: unary(
                "/noproof.v1.Units/SetStaff",
                APISetStaffRequest(
                    unitCode: water,
                    staff: [
                        APIStaffEntry(staffID: "../root", name: "x", role: "agent", active: true)
                    ]), APIListStaffResponse.self, staff: "supervisor-0001")),
        Case(
            name: "SaveDraft cause_date", credential: "water", field: "cause_date",
            call: unary(
                "/noproof.v1.Units/SaveDraft",
                APISaveDraftRequest(
                    unitCode: water, version: 2, items: [],
                    changes: [
                        APIDeclaredChange(kind: "add", item: "SW-XH-003", cause: "c", causeDate: "2026-02-30")
                    ]), APIItemListResponse.self)),
        Case(
            name: "SaveDraft change kind", credential: "water", field: "kind",
            call: unary(
                "/noproof.v1.Units/SaveDraft",
                APISaveDraftRequest(
                    unitCode: water, version: 2, items: [],
                    changes: [
                        APIDeclaredChange(kind: "explode", item: "SW-XH-003", cause: "c", causeDate: "2026-11-20")
                    ]), APIItemListResponse.self)),
        Case(
            name: "LoadItemLists format", credential: "taskforce", field: "format",
            call: unary(
                "/noproof.v1.Units/LoadItemLists", APILoadItemListsRequest(format: "xml", text: "<lists/>"), APILoadItemListsResponse.self,
                staff: "supervisor-0001")),
        Case(
            name: "GetUnit unit_code", credential: "water", field: "unit_code",
            call: unary("/noproof.v1.Units/GetUnit", APIGetUnitRequest(unitCode: badUnit), APIGetUnitResponse.self)),
        Case(
            name: "ListStaff unit_code", credential: "water", field: "unit_code",
            call: unary("/noproof.v1.Units/ListStaff", APIListStaffRequest(unitCode: "123"), APIListStaffResponse.self)),
        Case(
            name: "IssueCredential unit_code", credential: "taskforce/supervisor-0001", field: "unit_code",
            call: unary(
                "/noproof.v1.Units/IssueCredential", APIIssueCredentialRequest(unitCode: badUnit), APIIssueCredentialResponse.self,
                staff: "supervisor-0001")),
        Case(
            name: "GetItemList unit_code", credential: "water", field: "unit_code",
            call: unary("/noproof.v1.Units/GetItemList", APIGetItemListRequest(unitCode: badUnit), APIGetItemListResponse.self)),
        Case(
            name: "CreateDraft unit_code", credential: "water", field: "unit_code",
            call: unary("/noproof.v1.Units/CreateDraft", APICreateDraftRequest(unitCode: "not-a-code"), APIItemListResponse.self)),
        Case(
            name: "SubmitList version", credential: "water", field: "version",
            call: unary("/noproof.v1.Units/SubmitList", APIListVersionRequest(unitCode: water, version: 0), APIItemListResponse.self)),
        Case(
            name: "SaveDraft item kind", credential: "water", field: "kind",
            call: unary(
                "/noproof.v1.Units/SaveDraft",
                APISaveDraftRequest(
                    unitCode: water, version: 2,
                    items: [
                        APIListItem(code: "SW-KH-001", name: "x", kind: "someday", proofs: [])
                    ]), APIItemListResponse.self)),
        Case(
            name: "ListDenials unit_code", credential: "taskforce", field: "unit_code",
            call: unary("/noproof.v1.Units/ListDenials", APIListDenialsRequest(unitCode: badUnit), APIListDenialsResponse.self, staff: "supervisor-0001")),
        // Verification
        Case(
            name: "File issuing_unit_code", credential: "civil", field: "issuing_unit_code",
            call: unary(
                "/noproof.v1.Verification/File",
                APIFileVerificationRequest(
                    requestKey: "k1", issuingUnitCode: badUnit, proofType: "XWZS", holderID: holder, holderName: "张三",
                    purpose: APIPurpose(itemCode: "MZ-HY-001", caseReference: "HY-1")), APIVerificationResponse.self)),
        Case(
            name: "File holder_id", credential: "civil", field: "holder_id",
            call: unary(
                "/noproof.v1.Verification/File",
                APIFileVerificationRequest(
                    requestKey: "k2", issuingUnitCode: university, proofType: "XWZS", holderID: badHolder, holderName: "张三",
                    purpose: APIPurpose(itemCode: "MZ-HY-001", caseReference: "HY-1")), APIVerificationResponse.self)),
        Case(
            name: "File proof_type", credential: "civil", field: "proof_type",
            call: unary(
                "/noproof.v1.Verification/File",
                APIFileVerificationRequest(
                    requestKey: "k3", issuingUnitCode: university, proofType: "", holderID: holder, holderName: "张三",
                    purpose: APIPurpose(itemCode: "MZ-HY-001", caseReference: "HY-1")), APIVerificationResponse.self)),
        Case(
            name: "File case_reference", credential: "civil", field: "case_reference",
            call: unary(
                "/noproof.v1.Verification/File",
                APIFileVerificationRequest(
                    requestKey: "k4", issuingUnitCode: university, proofType: "XWZS", holderID: holder, holderName: "张三",
                    purpose: APIPurpose(itemCode: "MZ-HY-001", caseReference: "")), APIVerificationResponse.self)),
        Case(
            name: "Get request_id", credential: "civil", field: "request_id",
            call: unary("/noproof.v1.Verification/Get", APIGetVerificationRequest(requestID: ""), APIVerificationResponse.self)),
        Case(
            name: "Take request_id", credential: "university", field: "request_id",
            call: unary("/noproof.v1.Verification/Take", APITakeVerificationRequest(requestID: "../../etc"), APIVerificationResponse.self)),
        Case(
            name: "Answer outcome", credential: "university", field: "outcome",
            call: unary(
                "/noproof.v1.Verification/Answer", APIAnswerVerificationRequest(requestID: "VR-00000000000000AB", outcome: "maybe"),
                APIVerificationResponse.self)),
        Case(
            name: "Return suggested_unit_code", credential: "university", field: "suggested_unit_code",
            call: unary(
                "/noproof.v1.Verification/Return", APIReturnVerificationRequest(requestID: "VR-00000000000000AB", reason: "r", suggestedUnitCode: badUnit),
                APIVerificationResponse.self)),
        Case(
            name: "Refile issuing_unit_code", credential: "civil", field: "issuing_unit_code",
            call: unary(
                "/noproof.v1.Verification/Refile", APIRefileVerificationRequest(requestID: "VR-00000000000000AB", issuingUnitCode: badUnit),
                APIVerificationResponse.self)),
    ]

    @Test(arguments: cases)
    func invalidValueIsInvalidArgumentNamingTheField(_ bad: Case) async throws {
        try await Self.withEnvironment { port in
            let client = try await NoProofClient.connect(.init(port: port, credential: (bad.credential, "secret")))
            do {
                try await bad.call(client)
                Issue.record("\(bad.name): the call succeeded")
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument, "\(bad.name): \(error.code) \(error.message)")
                #expect(error.message.contains(bad.field), "\(bad.name): the message does not name \(bad.field): \(error.message)")
            }
            // The server, and this connection, go on serving.
            #expect(try await client.health().status == .serving)
            _ = try await client.unary(.path("/noproof.v1.Units/GetUnit"), request: APIGetUnitRequest(unitCode: Self.water), as: APIGetUnitResponse.self)
            await client.close()
        }
    }

    static func withEnvironment(_ body: @Sendable (Int) async throws -> Void) async throws {
        try await DemoServiceStores.with(prefix: "noproof-invalid", demoLicences: 0) { stores in
            let (directory, quiet, library, units, keyring) = (stores.directory, stores.quiet, stores.library, stores.units, stores.keyring)
            let audit = try AuditLog(directory: directory)
            let verificationStore = try SQLiteVerificationStore(directory: directory)
            let gate = AccessGate(store: units, limits: nil, audit: audit, logger: quiet)
            try await gate.refresh()
            var registry = RPCRegistry()
            LicenceService(library: library, keyring: keyring, audit: audit, gate: gate).register(in: &registry)
            UnitService(store: units, gate: gate, audit: audit, logger: quiet).register(in: &registry)
            let verification = VerificationService(
                store: verificationStore, units: units, keyring: keyring, audit: audit,
                databaseBacked: { $0 == "XWZS" }, logger: quiet)
            _ = try await verification.start()
            verification.register(in: &registry)
            let fixed = FixedCredentials.make([
                ("taskforce", UnitDemoData.taskForce), ("water", UnitDemoData.water), ("civil", UnitDemoData.civilAffairs),
                ("university", UnitDemoData.university),
            ])
            let configuration = ServerConfiguration.forTests
            let server = NoProofServer(
                configuration: configuration, registry: registry,
                authenticator: StaticCredentialAuthenticator(fixed), logger: quiet)
            try await withRunningServer(server) { port in
                try await body(port)
            }
            audit.close()
            try verificationStore.close()
        }
    }
}
