import Foundation
import Logging
import NIOCore
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofLibrary
import NoProofMessages
import NoProofOversightStore
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

/// Request amplification (issue 14) over a real socket: one call must not make the server hold
/// hundreds of megabytes, build an answer larger than a frame, or write megabytes into the audit
/// trail and the denial log. Each refusal is followed by calls the server still serves.
@Suite("Request amplification")
struct AmplificationTests {
    static let water = UnitDemoData.water.code.value
    static let holder = "370404199306107807"
    static let licenceID = "1.2.156.3005.2.JMSFZ.11370400004315203J.20230000000000.001.P"
    /// 1 Mi characters: far over every limit, well within a 4 MiB frame.
    static let huge = String(repeating: "x", count: 1 << 20)
    static let purpose = APIPurpose(itemCode: "SW-KH-001", caseReference: "CASE-1")

    // MARK: ImportLicences

    /// An ImportLicencesRequest of `rows` empty licences, encoded by hand (two bytes a row), so
    /// that the test itself need not hold millions of messages.
    static func emptyRows(_ rows: Int) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(rows * 2)
        for _ in 0..<rows { bytes.append(0x0A); bytes.append(0x00) }
        return bytes
    }

    /// A unary call with a request already encoded, answered with the raw bytes or the failure.
    static func raw(_ client: NoProofClient, _ path: String, _ payload: [UInt8]) async -> Result<ByteBuffer, RPCError> {
        await withCheckedContinuation { continuation in
            client.eventLoop.execute {
                client.startUnary(.path(path), payload: payload, timeout: .seconds(60)) { continuation.resume(returning: $0) }
            }
        }
    }

    static func expectStillServing(_ client: NoProofClient) async throws {
        #expect(try await client.health().status == .serving)
        _ = try await client.unary(.path("/noproof.v1.Units/GetUnit"), request: APIGetUnitRequest(unitCode: water), as: APIGetUnitResponse.self)
    }

    @Test func twoMillionEmptyRowsFromAUnitThatIssuesNothingArePermissionDenied() async throws {
        try await Self.withEnvironment { environment in
            let client = try await environment.client("water")
            let payload = Self.emptyRows(2_000_000)
            switch await Self.raw(client, "/noproof.v1.Licences/ImportLicences", payload) {
            case .success(let answer):
                Issue.record("the water company's import was answered (\(answer.readableBytes) bytes)")
            case .failure(let error):
                #expect(error.code == .permissionDenied, "\(error)")
                #expect(error.message.contains("issuing unit"), "\(error.message)")
            }
            try await Self.expectStillServing(client)
            await client.close()
        }
    }

    @Test func anIssuingUnitsOversizedImportIsRefusedBeforeAnyRowIsRead() async throws {
        try await Self.withEnvironment { environment in
            // The university issues degree certificates (XWZS): an issuing unit.
            let client = try await environment.client("university")
            for (rows, limit) in [(2_000_000, "\(FieldLimits.importBytes) bytes"), (FieldLimits.importRows + 1, "\(FieldLimits.importRows) rows")] {
                switch await Self.raw(client, "/noproof.v1.Licences/ImportLicences", Self.emptyRows(rows)) {
                case .success:
                    Issue.record("an import of \(rows) rows was answered")
                case .failure(let error):
                    #expect(error.code == .resourceExhausted, "\(rows) rows: \(error)")
                    #expect(error.message.contains(limit), "\(error.message)")
                    #expect(error.message.contains("split the export into batches"), "\(error.message)")
                }
            }
            try await Self.expectStillServing(client)
            await client.close()
        }
    }

    @Test func rejectionsAreListedUpToTheCapAndTheRestCounted() async throws {
        try await Self.withEnvironment { environment in
            let taskForce = try await environment.client("taskforce")
            // A full batch of bad rows: the first has a name far over its limit, the others no id.
            var rows = Array(repeating: APILicence(), count: FieldLimits.importRows)
            rows[0] = APILicence(
                licenceID: Self.licenceID, typeCode: "JMSFZ", holderID: Self.holder,
                holderName: String(repeating: "名", count: 5_000), issueDate: "2023-05-31")
            let answer = try await taskForce.importLicences(rows)
            #expect(answer.inserted + answer.updated + answer.unchanged == 0)
            #expect(answer.rejected.count == FieldLimits.listedRejections)
            #expect(Int(answer.rejectionsOmitted) == FieldLimits.importRows - FieldLimits.listedRejections)
            #expect(answer.rejected.first?.index == 0)
            #expect(answer.rejected.first?.field == "holder_name", "\(String(describing: answer.rejected.first))")
            #expect(answer.rejected.first?.reason.contains("at most \(FieldLimits.name) characters") == true)
            #expect(answer.rejected.map(\.index) == (0..<UInt32(FieldLimits.listedRejections)).map { $0 })
            #expect(ProtoCodec.encode(answer).count < 1 << 20)
            try await Self.expectStillServing(taskForce)
            await taskForce.close()
        }
    }

    // MARK: Field lengths

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

    static let civilPurpose = APIPurpose(itemCode: "MZ-HY-001", caseReference: "HY-1")
    static func file(_ change: (inout APIFileVerificationRequest) -> Void) -> APIFileVerificationRequest {
        var request = APIFileVerificationRequest(
            requestKey: UUID().uuidString, issuingUnitCode: UnitDemoData.university.code.value,
            proofType: "XWZS", holderID: holder, holderName: "张三", purpose: civilPurpose)
        change(&request)
        return request
    }

    static let cases: [Case] = [
        // Licences: each of these is audited when refused for any other reason.
        Case(
            name: "Lookup purpose.case_reference", credential: "water", field: "purpose.case_reference",
            call: unary(
                "/noproof.v1.Licences/Lookup",
                APILookupRequest(
                    holderID: holder, typeCode: "JMSFZ",
                    purpose: APIPurpose(itemCode: "SW-KH-001", caseReference: huge)), APILookupResponse.self)),
        Case(
            name: "Lookup purpose.item_code", credential: "water", field: "purpose.item_code",
            call: unary(
                "/noproof.v1.Licences/Lookup",
                APILookupRequest(
                    holderID: holder, typeCode: "JMSFZ",
                    purpose: APIPurpose(itemCode: huge, caseReference: "C-1")), APILookupResponse.self)),
        Case(
            name: "Lookup staff metadata", credential: "water", field: "staff",
            call: unary(
                "/noproof.v1.Licences/Lookup", APILookupRequest(holderID: holder, typeCode: "JMSFZ", purpose: purpose),
                // Within the 8 KiB metadata cap (a larger value is RESOURCE_EXHAUSTED by the connection layer).
                APILookupResponse.self, staff: String(repeating: "s", count: 4000))),
        Case(
            name: "Lookup holder_id", credential: "water", field: "holder_id",
            call: unary("/noproof.v1.Licences/Lookup", APILookupRequest(holderID: huge, typeCode: "JMSFZ", purpose: purpose), APILookupResponse.self)),
        Case(
            name: "CheckLicence purpose.case_reference", credential: "water", field: "purpose.case_reference",
            call: unary(
                "/noproof.v1.Licences/CheckLicence",
                APICheckLicenceRequest(
                    holderID: holder, typeCode: "JMSFZ", purpose: APIPurpose(itemCode: "SW-KH-001", caseReference: huge)), APICheckLicenceResponse.self)),
        Case(
            name: "CheckLicence declared value", credential: "water", field: "declared[0].value",
            call: unary(
                "/noproof.v1.Licences/CheckLicence",
                APICheckLicenceRequest(
                    holderID: holder, typeCode: "JMSFZ", declared: [APILicenceField(key: "holder_name", value: huge)], purpose: purpose),
                APICheckLicenceResponse.self)),
        Case(
            name: "CheckLicence declared count", credential: "water", field: "declared",
            call: unary(
                "/noproof.v1.Licences/CheckLicence",
                APICheckLicenceRequest(
                    holderID: holder, typeCode: "JMSFZ", declared: (0..<5_000).map { APILicenceField(key: "holder_name", value: "名\($0)") },
                    purpose: purpose), APICheckLicenceResponse.self)),
        Case(
            name: "GetLicence purpose.case_reference", credential: "water", field: "purpose.case_reference",
            call: unary(
                "/noproof.v1.Licences/GetLicence",
                APIGetLicenceRequest(
                    licenceID: licenceID, purpose: APIPurpose(itemCode: "SW-KH-001", caseReference: huge)), APIGetLicenceResponse.self)),
        Case(
            name: "GetLicence licence_id", credential: "water", field: "licence_id",
            call: unary("/noproof.v1.Licences/GetLicence", APIGetLicenceRequest(licenceID: huge, purpose: purpose), APIGetLicenceResponse.self)),
        Case(
            name: "RevokeLicence reason", credential: "taskforce", field: "reason",
            call: unary(
                "/noproof.v1.Licences/RevokeLicence", APIChangeLicenceStatusRequest(licenceID: licenceID, reason: huge), APILicenceResponse.self,
                staff: "supervisor-0001")),
        // Verification
        Case(
            name: "File holder_name", credential: "civil", field: "holder_name",
            call: unary("/noproof.v1.Verification/File", file { $0.holderName = huge }, APIVerificationResponse.self)),
        Case(
            name: "File purpose.case_reference", credential: "civil", field: "purpose.case_reference",
            call: unary(
                "/noproof.v1.Verification/File", file { $0.purpose = APIPurpose(itemCode: "MZ-HY-001", caseReference: huge) },
                APIVerificationResponse.self)),
        Case(
            name: "File declared value", credential: "civil", field: "declared[0].value",
            call: unary(
                "/noproof.v1.Verification/File", file { $0.declared = [APILicenceField(key: "degree", value: huge)] },
                APIVerificationResponse.self)),
        Case(
            name: "File request_key", credential: "civil", field: "request_key",
            call: unary("/noproof.v1.Verification/File", file { $0.requestKey = huge }, APIVerificationResponse.self)),
        Case(
            name: "Return reason", credential: "university", field: "reason",
            call: unary(
                "/noproof.v1.Verification/Return", APIReturnVerificationRequest(requestID: "VR-00000000000000AB", reason: huge),
                APIVerificationResponse.self)),
        Case(
            name: "Answer note", credential: "university", field: "note",
            call: unary(
                "/noproof.v1.Verification/Answer", APIAnswerVerificationRequest(requestID: "VR-00000000000000AB", outcome: "not_on_record", note: huge),
                APIVerificationResponse.self)),
        // Units: list drafts, staff, credentials
        Case(
            name: "SaveDraft item name", credential: "water", field: "items[0].name",
            call: unary(
                "/noproof.v1.Units/SaveDraft",
                APISaveDraftRequest(
                    unitCode: water, version: 2,
                    items: [
                        APIListItem(code: "SW-XH-003", name: huge, kind: "immediate", proofs: [APIItemProof(proof: "JMSFZ", method: "data_sharing")])
                    ]), APIItemListResponse.self)),
        Case(
            name: "SaveDraft change cause", credential: "water", field: "changes[0].cause",
            call: unary(
                "/noproof.v1.Units/SaveDraft",
                APISaveDraftRequest(
                    unitCode: water, version: 2, items: [],
                    changes: [
                        APIDeclaredChange(kind: "add", item: "SW-XH-003", cause: huge, causeDate: "2026-11-20")
                    ]), APIItemListResponse.self)),
        Case(
            name: "SetStaff name", credential: "water", field: "staff[0].name",
            call: unary(
                "/noproof.v1.Units/SetStaff",
                APISetStaffRequest(
                    unitCode: water,
                    staff: [
                        APIStaffEntry(staffID: "supervisor-0001", name: huge, role: "supervisor", active: true)
                    ]), APIListStaffResponse.self, staff: "supervisor-0001")),
        Case(
            name: "IssueCredential label", credential: "taskforce", field: "label",
            call: unary(
                "/noproof.v1.Units/IssueCredential", APIIssueCredentialRequest(unitCode: water, label: huge), APIIssueCredentialResponse.self,
                staff: "supervisor-0001")),
        Case(
            name: "RevokeCredential reason", credential: "taskforce", field: "reason",
            call: unary(
                "/noproof.v1.Units/RevokeCredential", APIRevokeCredentialRequest(credentialID: "cred_x", reason: huge), APICredentialResponse.self,
                staff: "supervisor-0001")),
        Case(
            name: "RejectList reason", credential: "taskforce", field: "reason",
            call: unary(
                "/noproof.v1.Units/RejectList", APIRejectListRequest(unitCode: water, version: 2, reason: huge), APIItemListResponse.self,
                staff: "supervisor-0001")),
        // Oversight records
        Case(
            name: "RecordCommitment text", credential: "civil", field: "text",
            call: unary(
                "/noproof.v1.Oversight/RecordCommitment",
                APIRecordCommitmentRequest(
                    holderID: holder, holderName: "张三", itemCode: "MZ-DB-001", caseReference: "DB-1", proofType: "JZZM", text: huge,
                    channel: "app"), APICommitmentResponse.self)),
        Case(
            name: "RecordCommitment case_reference", credential: "civil", field: "case_reference",
            call: unary(
                "/noproof.v1.Oversight/RecordCommitment",
                APIRecordCommitmentRequest(
                    holderID: holder, holderName: "张三", itemCode: "MZ-DB-001", caseReference: huge, proofType: "JZZM", text: "承诺",
                    channel: "app"), APICommitmentResponse.self)),
        Case(
            name: "AddLedgerEntry note", credential: "civil", field: "note",
            call: unary(
                "/noproof.v1.Oversight/AddLedgerEntry",
                APIAddLedgerEntryRequest(
                    holderID: holder, itemCode: "MZ-HY-001", caseReference: "HY-1", proofType: "HKB", proofName: "户口簿", note: huge),
                APILedgerEntryResponse.self)),
        Case(
            name: "OpenMismatch facts declared", credential: "civil", field: "facts[0].declared",
            call: unary(
                "/noproof.v1.Oversight/OpenMismatch",
                APIOpenMismatchRequest(
                    issuingUnitCode: UnitDemoData.university.code.value, holderID: holder, itemCode: "MZ-HY-001", caseReference: "HY-1",
                    proofType: "XWZS", proofSerial: "P-1", facts: [APIMismatchFact(key: "degree", declared: huge, fetched: "学士")]),
                APIMismatchResponse.self)),
        Case(
            name: "FileComplaint summary", credential: "taskforce", field: "summary",
            call: unary(
                "/noproof.v1.Oversight/FileComplaint",
                APIFileComplaintRequest(
                    channel: "hotline_12345", channelReference: "12345-1", unitCode: water, breachType: "other", summary: huge),
                APIComplaintResponse.self, staff: "supervisor-0001")),
    ]

    @Test(arguments: cases)
    func anOversizedValueIsRefusedNamingTheFieldAndNeverStored(_ bad: Case) async throws {
        try await Self.withEnvironment { environment in
            let before = environment.storedBytes()
            let client = try await environment.client(bad.credential)
            do {
                try await bad.call(client)
                Issue.record("\(bad.name): the call succeeded")
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument, "\(bad.name): \(error.code) \(error.message.prefix(200))")
                #expect(error.message.hasPrefix("\(bad.field): at most "), "\(bad.name): \(error.message.prefix(200))")
                #expect(error.message.utf8.count < 200, "\(bad.name): the refusal echoes the value")
            }
            try await Self.expectStillServing(client)
            // Nothing of the value reached the audit trail or the denial log.
            let records = try environment.audit.records(after: 0, limit: 10_000)
            #expect(records.allSatisfy { "\($0)".utf8.count < 10_000 }, "\(bad.name): an audit record holds the value")
            let taskForce = try await environment.client("taskforce")
            let denials = try await taskForce.unary(
                .path("/noproof.v1.Units/ListDenials"), request: APIListDenialsRequest(limit: 1000),
                as: APIListDenialsResponse.self, metadata: ["staff": "supervisor-0001"])
            #expect(denials.denials.allSatisfy { "\($0)".utf8.count < 10_000 }, "\(bad.name): a denial holds the value")
            let grown = environment.storedBytes() - before
            #expect(grown < 256 << 10, "\(bad.name): the data folder grew by \(grown) bytes")
            await taskForce.close()
            await client.close()
        }
    }

    // MARK: Environment

    struct Environment: Sendable {
        let port: Int
        let audit: AuditLog
        let directory: URL

        func client(_ credential: String) async throws -> NoProofClient {
            try await NoProofClient.connect(.init(port: port, credential: (credential, "secret")))
        }

        /// The bytes of every file in the data folder (SQLite files and their write-ahead logs).
        func storedBytes() -> Int {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.reduce(0) { total, name in
                let size = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? NSNumber)?.intValue
                return total + (size ?? 0)
            }
        }
    }

    static func withEnvironment(_ body: @Sendable (Environment) async throws -> Void) async throws {
        try await DemoServiceStores.with(prefix: "noproof-amplification", demoLicences: 0) { stores in
            let (directory, quiet, library, units, keyring) = (stores.directory, stores.quiet, stores.library, stores.units, stores.keyring)
            let audit = try AuditLog(directory: directory)
            let verificationStore = try SQLiteVerificationStore(directory: directory)
            let oversightStore = try SQLiteOversightStore(directory: directory)
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
            OversightService(store: oversightStore, units: units, audit: audit, logger: quiet).register(in: &registry)
            let fixed: [StaticCredentialAuthenticator.Credential] = [
                ("taskforce", UnitDemoData.taskForce), ("water", UnitDemoData.water), ("civil", UnitDemoData.civilAffairs),
                ("university", UnitDemoData.university),
            ].map { id, unit in
                .init(
                    id: id, secret: "secret",
                    unit: AuthenticatedUnit(
                        unitCode: unit.code.value, unitName: unit.name, credentialID: id,
                        roles: unit.isTaskForceOffice ? ["taskforce"] : []))
            }
            let configuration = ServerConfiguration.forTests
            let server = NoProofServer(
                configuration: configuration, registry: registry,
                authenticator: StaticCredentialAuthenticator(fixed), logger: quiet)
            try await withRunningServer(server) { port in
                try await body(Environment(port: port, audit: audit, directory: directory))
            }
            audit.close()
            try oversightStore.close()
            try verificationStore.close()
        }
    }
}
