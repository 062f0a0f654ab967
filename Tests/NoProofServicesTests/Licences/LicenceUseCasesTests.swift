import Foundation
import Logging
import NoProofAudit
import NoProofAuditChain
import NoProofCodec
import NoProofDemoData
import NoProofDomain
import NoProofLibrary
import NoProofLicenceStore
import NoProofMessages
import NoProofProtocol
import NoProofSeals
import NoProofTestSupport
import Synchronization
import Testing
@testable import NoProofServices

/// The licence use cases called directly — no server, no socket: a SQLite library of demo
/// licences, seals and audit log on a temporary folder, callers built by hand. The access gate is
/// the explicit double `EveryUnitAllowed` (the gate's own rules have their tests).
@Suite("Licence use cases")
struct LicenceUseCasesTests {
    static let taskForce = AuthenticatedUnit(unitCode: "11370400MB0000001R", unitName: "专班", credentialID: "tf", roles: ["taskforce"])
    static let bank = AuthenticatedUnit(unitCode: "91350100M000100Y43", unitName: "Bank", credentialID: "bank")
    static let today = DemoDataGenerator.defaultReferenceDate
    static let demo = DemoDataGenerator(licenceCount: 200)
    static let purpose = LicenceUseCases.CasePurpose(itemCode: "ITEM-001", caseReference: "CASE-1")

    struct Environment: Sendable {
        let useCases: LicenceUseCases
        let audit: AuditLog
        let keyring: SealKeyring
    }

    static func withEnvironment(_ body: @Sendable (Environment) async throws -> Void) async throws {
        try await withTemporaryDirectory(prefix: "noproof-licence-uc") { directory in
            let store = try SQLiteLicenceStore(directory: directory)
            try await seedDemo(store: store, count: 200)
            var quiet = Logger(label: "test")
            quiet.logLevel = .critical
            let library = try await LicenceLibrary.open(store: store, cacheCapacity: 10_000, today: { today }, logger: quiet)
            let keyring = try SealKeyring.openOrCreate(directory: directory.appendingPathComponent("seals"))
            let audit = try AuditLog(directory: directory)
            let useCases = LicenceUseCases(library: library, keyring: keyring, audit: audit, gate: EveryUnitAllowed(), logger: quiet)
            try await body(Environment(useCases: useCases, audit: audit, keyring: keyring))
            audit.close()
            try store.close()
        }
    }

    /// A licence valid on the reference day whose holder holds no other licence of its type.
    static func validLicence() -> Licence {
        let all = demo.makeLicences()
        return all.first { licence in
            licence.effectiveStatus(asOf: today) == .valid
                && all.filter { $0.holder == licence.holder && $0.typeCode == licence.typeCode }.count == 1
        }!
    }

    /// Runs a lookup to its answer.
    static func lookup(_ useCases: LicenceUseCases, _ input: LicenceUseCases.LookupInput, caller: Caller) async throws
        -> LicenceUseCases.IssuedProof
    {
        try await withCheckedThrowingContinuation { continuation in
            do {
                try useCases.lookup(input, caller: caller, stamps: nil) { continuation.resume(with: $0) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    static func error(_ body: () async throws -> Void) async -> NoProofError? {
        await thrownError(body) as? NoProofError
    }

    @Test("lookup: a found licence is answered with a sealed proof once its record (found, unit, staff, serial) is durable")
    func lookupFound() async throws {
        try await Self.withEnvironment { env in
            let licence = Self.validLicence()
            let caller = Caller(unit: Self.bank, claimedStaff: "agent-9")
            let proof = try await Self.lookup(
                env.useCases, .init(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: Self.purpose), caller: caller)
            let key = try SealVerifier(keys: env.keyring.publicKeys).verify(body: proof.body, seal: proof.seal)
            #expect(key.kind == .dataSharing)
            let body = try ProtoCodec.decode(APIProofBody.self, from: proof.body)
            #expect(body.licence?.licenceID == licence.id.description && body.staff == "agent-9")
            let record = try #require(try env.audit.records().last)
            #expect(record.action == .lookup && record.result == .found)
            #expect(record.unitCode == Self.bank.unitCode && record.staff == "agent-9" && record.credentialID == "bank")
            #expect(record.proofSerial == body.proofSerial && record.licenceID == licence.id.description)
            #expect(record.itemCode == "ITEM-001" && record.caseReference == "CASE-1")
        }
    }

    @Test("lookup: without a purpose it is refused (invalid, naming the field) and the refusal audited")
    func lookupRefused() async throws {
        try await Self.withEnvironment { env in
            let licence = Self.validLicence()
            let input = LicenceUseCases.LookupInput(
                holderID: licence.holder.key, typeCode: licence.typeCode,
                purpose: .init(itemCode: "", caseReference: "CASE-1"))
            let error = await Self.error { _ = try await Self.lookup(env.useCases, input, caller: Caller(unit: Self.bank, claimedStaff: "agent-9")) }
            #expect(error?.code == .invalid && error?.field == "purpose.item_code")
            let record = try #require(try env.audit.records().last)
            #expect(record.action == .lookup && record.result == .invalidArgument)
            #expect(record.unitCode == Self.bank.unitCode && record.staff == "agent-9" && record.holderID == licence.holder.key)
        }
    }

    @Test("get: a licence of another holder answers like no licence (not found) and is audited so; the holder's is found")
    func getLicence() async throws {
        try await Self.withEnvironment { env in
            let licence = Self.validLicence()
            let other = Self.demo.makeLicences().first { $0.holder != licence.holder && $0.holder.key.count == licence.holder.key.count }!
            let caller = Caller(unit: Self.bank, claimedStaff: "agent-9")
            let refused = await Self.error {
                _ = try await env.useCases.licence(licence.id.description, holderID: other.holder.key, purpose: Self.purpose, caller: caller)
            }
            #expect(refused?.code == .notFound)
            let miss = try #require(try env.audit.records().last)
            #expect(miss.action == .getLicence && miss.result == AuditResult(rawValue: "not_found") && miss.staff == "agent-9")
            let found = try await env.useCases.licence(licence.id.description, holderID: licence.holder.key, purpose: Self.purpose, caller: caller)
            #expect(found.licence.id == licence.id && found.withheldFields.isEmpty)
            let hit = try #require(try env.audit.records().last)
            #expect(hit.action == .getLicence && hit.result == .found && hit.unitCode == Self.bank.unitCode && hit.licenceID == licence.id.description)
        }
    }

    @Test("check: a field declared twice is invalid (audited invalid_argument); a check answers per field and is audited match or mismatch")
    func check() async throws {
        try await Self.withEnvironment { env in
            let licence = Self.validLicence()
            let caller = Caller(unit: Self.bank, claimedStaff: "agent-9")
            let twice = [
                LicenceUseCases.DeclaredField(key: "holder_name", value: "a"), LicenceUseCases.DeclaredField(key: "holder_name", value: "b"),
            ]
            let refused = await Self.error {
                _ = try await env.useCases.check(
                    holderID: licence.holder.key, typeCode: licence.typeCode, declared: twice, purpose: Self.purpose, caller: caller)
            }
            #expect(refused?.code == .invalid && refused?.field == "declared[1].key")
            #expect(try env.audit.records().last?.result == .invalidArgument)
            let checked = try await env.useCases.check(
                holderID: licence.holder.key, typeCode: licence.typeCode,
                declared: [.init(key: "holder_name", value: licence.holderName)], purpose: Self.purpose, caller: caller)
            #expect(checked.status == .valid && checked.matches.map(\.matches) == [true])
            let record = try #require(try env.audit.records().last)
            #expect(record.action == .checkLicence && record.result == .match && record.unitCode == Self.bank.unitCode && record.staff == "agent-9")
            let wrong = try await env.useCases.check(
                holderID: licence.holder.key, typeCode: licence.typeCode,
                declared: [.init(key: "holder_name", value: licence.holderName + "x")], purpose: Self.purpose, caller: caller)
            #expect(wrong.matches.map(\.matches) == [false])
            #expect(try env.audit.records().last?.result == .mismatch)
        }
    }

    @Test("writes: a unit that did not issue the licence may not revoke it (intent, then failed); the task force office may (intent, then revoked)")
    func revoke() async throws {
        try await Self.withEnvironment { env in
            let licence = Self.validLicence()
            let refused = await thrownError {
                _ = try await env.useCases.changeStatus(
                    licence.id.description, to: .revoke, reason: "x", caller: Caller(unit: Self.bank, claimedStaff: "clerk-1"))
            }
            #expect((refused as? NoProofError)?.code == .forbidden)
            let failed = try env.audit.records().suffix(2)
            #expect(failed.map(\.action) == [.licenceRevoke, .licenceRevoke])
            #expect(failed.map(\.result) == [.intended, .failed(status: "permission_denied")])
            #expect(failed.allSatisfy { $0.unitCode == Self.bank.unitCode && $0.staff == "clerk-1" && $0.licenceID == licence.id.description })
            let revoked = try await env.useCases.changeStatus(
                licence.id.description, to: .revoke, reason: "obtained by fraud", caller: Caller(unit: Self.taskForce, claimedStaff: "officer-1"))
            #expect(revoked.status == .revoked)
            let done = try env.audit.records().suffix(2)
            #expect(done.map(\.result) == [.intended, .revoked])
            #expect(done.allSatisfy { $0.unitCode == Self.taskForce.unitCode && $0.staff == "officer-1" && $0.caseReference == "obtained by fraud" })
        }
    }

    @Test("import: only an issuing unit or the task force office may import")
    func mayImport() async throws {
        try await Self.withEnvironment { env in
            let refused = await Self.error { try env.useCases.mayImport(caller: Caller(unit: Self.bank)) }
            #expect(refused?.code == .forbidden && refused?.message.contains("only an issuing unit or the task force office") == true)
            try env.useCases.mayImport(caller: Caller(unit: Self.taskForce))
        }
    }
}
