import Foundation
import GRPCCore
import LicencesGRPC
import NoProofDomain
import NoProofLibrary
import NoProofSeals
import NoProofAudit
import NoProofAuditChain
import Synchronization

/// noproof.v1.Licences/Lookup as a team would write it with grpc-swift-2: an async unary handler
/// that authenticates the caller from request metadata, validates, reads the holder's licences
/// from the same `LicenceLibrary` (indexed cache over SQLite), builds the proof body with
/// swift-protobuf, seals it with one Ed25519 signature (`SealKeyring.seal`), appends the audit
/// record to the same durable `AuditLog` (synchronous=FULL, group commit) and answers once that
/// record is on disk. Lookups that find nothing are audited the same way before the error leaves.
struct LookupService: Noproof_V1_Licences.ServiceProtocol {
    struct Unit: Sendable {
        var unitCode: String
        var unitName: String
        var credentialID: String
    }

    let library: LicenceLibrary
    let keyring: SealKeyring
    let audit: AuditLog
    /// credential id -> (secret, unit)
    let credentials: [String: (secret: String, unit: Unit)]
    let serials = SerialGenerator()

    func lookup(
        request: ServerRequest<Noproof_V1_LookupRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Noproof_V1_LookupResponse> {
        let unit = try authenticate(request.metadata)
        let staff = request.metadata[stringValues: "x-noproof-staff"].first(where: { _ in true }) ?? ""
        let message = request.message
        let purpose = message.purpose
        var record = AuditRecord(
            atMillis: Self.millis(), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff,
            action: .lookup, itemCode: purpose.itemCode, caseReference: purpose.caseReference,
            holderID: String(message.holderID.prefix(64)), typeCode: String(message.typeCode.prefix(32)), result: .unset
        )

        let holder: Holder
        let type: NoProofDomain.LicenceType
        do {
            try Self.checkPurpose(purpose)
            (holder, type) = try library.parseQuery(holderID: message.holderID, typeCode: message.typeCode)
        } catch {
            record.result = .invalidArgument
            try await audited(record)
            throw RPCError(code: .invalidArgument, message: "\(error)")
        }
        guard type.connected else {
            record.result = .notConnected
            try await audited(record)
            throw RPCError(code: .failedPrecondition,
                           message: "licence type \(type.code) (\(type.nameEn)) is not connected to the system: ask \(type.issuerName) by department verification")
        }
        let licences: [NoProofDomain.Licence]
        do {
            licences = try await library.licences(of: holder)
        } catch {
            record.result = .unavailable
            try await audited(record)
            throw RPCError(code: .unavailable, message: error.description)
        }

        switch library.outcome(licences, typeCode: type.code) {
        case .found(let licence):
            let serial = serials.next()
            let body = Noproof_V1_ProofBody.with {
                $0.proofSerial = serial
                $0.sealKind = SealKind.dataSharing.rawValue
                $0.licence = Noproof_V1_Licence(licence)
                $0.purpose = purpose
                $0.extractingUnitCode = unit.unitCode
                $0.extractingUnitName = unit.unitName
                $0.producingUnitCode = licence.issuerCode.value
                $0.producingUnitName = licence.issuerName
                $0.extractedAtMillis = record.atMillis
                $0.staff = staff
            }
            let bytes: [UInt8] = try body.serializedBytes()
            let seal = keyring.seal(bytes, kind: .dataSharing)
            record.result = .found
            record.licenceID = licence.id.description
            record.proofSerial = serial
            try await audited(record, proofWithheld: true)
            return ServerResponse(message: .with {
                $0.proof = .with {
                    $0.body = Data(bytes)
                    $0.keyID = seal.keyID
                    $0.signature = Data(seal.signature)
                }
            })
        case .notFound:
            record.result = .notFound
            try await audited(record)
            throw RPCError(code: .notFound,
                           message: "holder \(holder.masked) holds no \(type.nameEn) (\(type.code)) in the licence library")
        case .notInForce(let licence, let status):
            record.result = AuditResult(rawValue: status.rawValue)
            record.licenceID = licence.id.description
            try await audited(record)
            throw RPCError(code: .failedPrecondition,
                           message: "the holder's \(type.nameEn) (\(type.code)) \(licence.id) is \(status.rawValue); no proof can be issued")
        }
    }

    /// Waits until `record` is durable; a lookup whose record could not be written is answered UNAVAILABLE.
    private func audited(_ record: AuditRecord, proofWithheld: Bool = false) async throws {
        do {
            _ = try await audit.append(record)
        } catch {
            throw RPCError(code: .unavailable, message: proofWithheld
                ? "the lookup could not be recorded in the audit trail, so no proof was issued; retry"
                : "the lookup could not be recorded in the audit trail; retry")
        }
    }

    /// The caller's unit from the `authorization` metadata: "NoProof ID:SECRET".
    private func authenticate(_ metadata: Metadata) throws -> Unit {
        guard let value = metadata[stringValues: "authorization"].first(where: { _ in true }),
              value.hasPrefix("NoProof ") else {
            throw RPCError(code: .unauthenticated, message: "authorization metadata required: NoProof ID:SECRET")
        }
        let credential = value.dropFirst("NoProof ".count)
        guard let colon = credential.firstIndex(of: ":"),
              let known = credentials[String(credential[..<colon])],
              known.secret == credential[credential.index(after: colon)...] else {
            throw RPCError(code: .unauthenticated, message: "unknown credential")
        }
        return known.unit
    }

    static func checkPurpose(_ purpose: Noproof_V1_Purpose) throws(ValidationError) {
        if purpose.itemCode.isEmpty {
            throw ValidationError(field: "purpose.item_code", reason: "required: the service item (事项) the proof is for")
        }
        if purpose.caseReference.isEmpty {
            throw ValidationError(field: "purpose.case_reference", reason: "required: the unit's case reference")
        }
    }

    static func millis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// Proof serial numbers as NoProof makes them: "P" + start time (base 36) + "-" + a counter.
final class SerialGenerator: Sendable {
    private let prefix = "P" + String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36, uppercase: true) + "-"
    private let counter = Atomic<UInt64>(0)

    func next() -> String { prefix + String(counter.wrappingAdd(1, ordering: .relaxed).newValue) }
}

extension Noproof_V1_Licence {
    /// The protobuf message of a licence, field for field as NoProof's codec builds it.
    init(_ licence: NoProofDomain.Licence) {
        self.init()
        licenceID = licence.id.description
        typeCode = licence.typeCode
        holderID = licence.holder.key
        holderName = licence.holderName
        issuerCode = licence.issuerCode.value
        issuerName = licence.issuerName
        issueDate = licence.issueDate.description
        validFrom = licence.validFrom.description
        validTo = licence.validTo?.description ?? ""
        status = licence.status.rawValue
        version = UInt32(clamping: licence.version)
        fields = licence.sortedFields.map { field in .with { $0.key = field.key; $0.value = field.value } }
    }
}
