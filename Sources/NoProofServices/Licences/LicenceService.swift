import Crypto
package import Foundation
package import Logging
package import NoProofAuditChain
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
package import NoProofLibrary
import NoProofLicenceStore
import NoProofMessages
import NoProofProtocol
package import NoProofSeals
package import NoProofServer
import NoProofUnits

/// The licence library over RPC (`noproof.v1.Licences`): the adapter of `LicenceUseCases`, which
/// holds the policy and the audit. Here: the method registrations, the request messages turned
/// into the use cases' inputs (the checks of a field that need no library), the domain values
/// turned into the response messages, and the import's limits checked before it is decoded.
///
/// Lookup stays a `.callback` method: it starts on the event loop and answers from the proof
/// issuer's delivery queue, with no task per call on a cache hit (docs/PERFORMANCE.md).
package struct LicenceService: Sendable {
    package let useCases: LicenceUseCases

    /// `overload`: when lookups are shed with UNAVAILABLE because the audit writer is behind.
    package init(
        library: LicenceLibrary, keyring: SealKeyring, audit: any AuditTrail, gate: any LookupAccess,
        overload: OverloadPolicy = .off, statistics: ServerStatistics? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "noproof.licences")
    ) {
        useCases = LicenceUseCases(
            library: library, keyring: keyring, audit: audit, gate: gate, overload: overload, statistics: statistics, now: now,
            logger: logger)
    }

    package func register(in registry: inout RPCRegistry) {
        let useCases = self.useCases
        registry.callback(LicenceMethods.lookup, APILookupRequest.self, APILookupResponse.self, stages: true) { request, context, respond in
            let caller = try Caller(context)
            let purpose = request.purpose ?? APIPurpose()
            let input = LicenceUseCases.LookupInput(
                holderID: request.holderID, typeCode: request.typeCode, purpose: Self.purpose(purpose))
            try useCases.lookup(input, caller: caller, stamps: context.stamps) { result in
                respond(
                    result.map { issued in
                        APILookupResponse(
                            proof: APISealedProof(
                                body: issued.body, keyID: issued.seal.keyID, signature: issued.seal.signature,
                                leafIndex: issued.seal.leafIndex, batchSize: issued.seal.batchSize, path: issued.seal.path))
                    })
            }
        }
        registry.unary(LicenceMethods.getLicence, APIGetLicenceRequest.self, APIGetLicenceResponse.self) { request, context in
            let found = try await useCases.licence(
                request.licenceID, holderID: request.holderID, purpose: Self.purpose(request.purpose ?? APIPurpose()),
                caller: Caller(context))
            return APIGetLicenceResponse(licence: LicenceMessage(found.licence), withheldFields: found.withheldFields)
        }
        registry.unary(LicenceMethods.checkLicence, APICheckLicenceRequest.self, APICheckLicenceResponse.self) { request, context in
            let checked = try await useCases.check(
                holderID: request.holderID, typeCode: request.typeCode,
                declared: request.declared.map { LicenceUseCases.DeclaredField(key: $0.key, value: $0.value) },
                purpose: Self.purpose(request.purpose ?? APIPurpose()), caller: Caller(context))
            return APICheckLicenceResponse(
                status: checked.status.rawValue, fields: checked.matches.map { APIFieldCheck(key: $0.key, result: $0.matches ? .match : .mismatch) })
        }
        registry.unary(LicenceMethods.getProofStatus, APIProofStatusRequest.self, APIProofStatusResponse.self) { request, context in
            let caller = try Caller(context)
            let held = request.proof.map {
                LicenceUseCases.HeldProof(
                    body: $0.body,
                    seal: Seal(keyID: $0.keyID, signature: $0.signature, leafIndex: $0.leafIndex, batchSize: $0.batchSize, path: $0.path))
            }
            let signed = try await useCases.proofStatus(held, caller: caller)
            let statement = signed.statement
            return APIProofStatusResponse(
                proofDigest: statement.proofDigest, proofSerial: statement.proofSerial, licenceID: statement.licenceID,
                proofVersion: statement.proofVersion, status: statement.status, currentVersion: statement.currentVersion,
                changedAtMillis: statement.changedAtMillis, reason: statement.reason, checkedAtMillis: statement.checkedAtMillis,
                keyID: signed.seal.keyID, signature: signed.seal.signature
            )
        }
        let keys = APIGetSealKeysResponse(
            keys: useCases.sealKeys.map {
                APISealKey(
                    keyID: $0.id, sealKind: $0.kind.rawValue, nameZh: $0.kind.nameZh, algorithm: "Ed25519",
                    publicKey: $0.publicKey, validFromMillis: $0.validFromMillis, validToMillis: $0.validToMillis)
            })
        registry.inline(LicenceMethods.getSealKeys, APIGetSealKeysRequest.self, APIGetSealKeysResponse.self) { _, _ in keys }
        registry.inline(LicenceMethods.listLicenceTypes, APIListLicenceTypesRequest.self, APIListLicenceTypesResponse.self) { _, _ in
            APIListLicenceTypesResponse(types: useCases.licenceTypes.map(LicenceTypeMessage.init))
        }
        registry.unary(LicenceMethods.issueLicence, APIIssueLicenceRequest.self, APILicenceResponse.self) { request, context in
            let caller = try Caller(context)
            guard let message = request.licence else { throw RPCError(.invalidArgument, "licence: required") }
            let licence = try Licence(message: message)
            return APILicenceResponse(licence: LicenceMessage(try await useCases.issue(licence, caller: caller)))
        }
        registry.unary(LicenceMethods.amendLicence, APIAmendLicenceRequest.self, APILicenceResponse.self) { request, context in
            let caller = try Caller(context)
            let amendment = try Self.amendment(request)
            let amended = try await useCases.amend(request.licenceID, changes: amendment, reason: request.reason, caller: caller)
            return APILicenceResponse(licence: LicenceMessage(amended))
        }
        for (method, change) in [
            (LicenceMethods.suspendLicence, LicenceLibrary.StatusChange.suspend),
            (LicenceMethods.reinstateLicence, .reinstate), (LicenceMethods.revokeLicence, .revoke),
        ] {
            registry.unary(method, APIChangeLicenceStatusRequest.self, APILicenceResponse.self) { request, context in
                let changed = try await useCases.changeStatus(request.licenceID, to: change, reason: request.reason, caller: Caller(context))
                return APILicenceResponse(licence: LicenceMessage(changed))
            }
        }
        registry.unary(
            LicenceMethods.importLicences, APIImportLicencesRequest.self, APIImportLicencesResponse.self,
            beforeDecoding: { bytes, context in try Self.admitImport(bytes, caller: Caller(context), useCases: useCases) }
        ) { request, context in
            let caller = try Caller(context)
            let imported = try await useCases.importLicences(
                Self.rows(request.licences), digest: Self.importDigest(request.licences), listing: FieldLimits.listedRejections,
                caller: caller)
            return APIImportLicencesResponse(
                inserted: UInt32(imported.inserted), updated: UInt32(imported.updated), unchanged: UInt32(imported.unchanged),
                rejected: imported.rejected.map { APIImportRejection(index: UInt32($0.index), field: $0.field, reason: $0.reason) },
                rejectionsOmitted: UInt32(imported.rejectionsOmitted))
        }
    }

    static func purpose(_ purpose: APIPurpose) -> LicenceUseCases.CasePurpose {
        LicenceUseCases.CasePurpose(itemCode: purpose.itemCode, caseReference: purpose.caseReference)
    }

    // MARK: Writes

    static func amendment(_ request: APIAmendLicenceRequest) throws -> LicenceAmendment {
        var amendment = LicenceAmendment()
        if !request.holderName.isEmpty { amendment.holderName = request.holderName }
        switch request.validTo {
        case "": break
        case "indefinite": amendment.validTo = .some(nil)
        default:
            amendment.validTo = .some(try CivilDate.parse(request.validTo, field: "valid_to"))
        }
        for field in request.fields {
            if field.value.isEmpty { amendment.removeFields.insert(field.key) } else { amendment.setFields[field.key] = field.value }
        }
        if amendment == LicenceAmendment() {
            throw RPCError(.invalidArgument, "nothing to amend: give fields, holder_name or valid_to")
        }
        return amendment
    }

    /// Each row of an import parsed, or its rejection (a field over its length limit, a field
    /// that does not parse).
    static func rows(_ messages: [LicenceMessage]) -> [Result<Licence, LicenceUseCases.ImportRejection>] {
        messages.enumerated().map { index, message in
            do throws(RPCError) {
                try message.checkLengths("")
            } catch {
                // "holder_name: at most 200 characters, got 5000": the field, then the reason.
                let (field, reason) =
                    error.message.firstRange(of: ": ").map {
                        (String(error.message[..<$0.lowerBound]), String(error.message[$0.upperBound...]))
                    } ?? ("row", error.message)
                return .failure(LicenceUseCases.ImportRejection(index: index, field: field, reason: reason))
            }
            do throws(ValidationError) {
                return .success(try Licence(message: message))
            } catch {
                return .failure(LicenceUseCases.ImportRejection(index: index, field: error.field, reason: error.reason))
            }
        }
    }

    /// Refuses an import before any of it is decoded: only an issuing unit (the issuer of a
    /// licence type of the catalogue) or the task force office may import
    /// (`LicenceUseCases.mayImport`), and one call carries at most `FieldLimits.importRows` rows
    /// and `FieldLimits.importBytes` bytes (RESOURCE_EXHAUSTED, a wire status of its own).
    private static func admitImport(_ bytes: [UInt8], caller: Caller, useCases: LicenceUseCases) throws {
        try useCases.mayImport(caller: caller)
        let split = "split the export into batches (noproof import sends at most \(FieldLimits.importRows) rows a call)"
        if bytes.count > FieldLimits.importBytes {
            throw RPCError(
                .resourceExhausted, "ImportLicences takes at most \(FieldLimits.importBytes) bytes (2 MiB) a call, this one has \(bytes.count): \(split)")
        }
        if let rows = Self.countRows(bytes), rows > FieldLimits.importRows {
            throw RPCError(.resourceExhausted, "ImportLicences takes at most \(FieldLimits.importRows) rows a call, this one has \(rows): \(split)")
        }
    }

    /// The number of `licences` entries (field 1) of an encoded `ImportLicencesRequest`, counted
    /// on the wire without decoding; nil if the bytes are malformed (the decoder then says so).
    static func countRows(_ bytes: [UInt8]) -> Int? {
        var rows = 0
        let walked = ProtoWire.walk(bytes) { field in
            if field.number == 1, field.wireType == 2 { rows += 1 }
            return true
        }
        return walked ? rows : nil
    }

    /// `sha256:HEX` over the call's rows as sent: for each row, its protobuf encoding's length as
    /// 4 bytes big-endian, then the encoding (docs/AUDIT.md).
    static func importDigest(_ rows: [LicenceMessage]) -> String {
        var hasher = SHA256()
        for row in rows {
            let bytes = ProtoCodec.encode(row)
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: bytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
