import Crypto
import Foundation
import Logging
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
import NoProofLibrary
import NoProofProtocol
import NoProofSeals
import NoProofServer
import NoProofUnitStore
import NoProofUnits
import NoProofVerification
import NoProofAuditChain
import NoProofLicenceStore

/// The licence library over RPC: lookups that answer with sealed electronic proofs (Art. 9),
/// reads, field checks, the seal keys, and the issuing units' writes.
///
/// Every lookup, found or not, is written to the audit log and the answer leaves only once that
/// record is durable. Found proofs are sealed and audited in batches (`ProofIssuer`).
package struct LicenceService: Sendable {
    let library: LicenceLibrary
    let keyring: SealKeyring
    let audit: any AuditTrail
    let now: @Sendable () -> Date
    /// Purpose-bound access control from the item lists; nil serves every authenticated unit
    /// (a library without units, as in tests of the library alone).
    let gate: any LookupAccess
    private let serials = ProofSerialGenerator()
    private let issuer: ProofIssuer
    /// Counts lookups shed by the overload policy (GetStats calls_shed).
    private let statistics: ServerStatistics?
    let logger: Logger

    /// `overload`: when lookups are shed with UNAVAILABLE because the audit writer is behind.
    package init(
        library: LicenceLibrary, keyring: SealKeyring, audit: any AuditTrail, gate: any LookupAccess,
        overload: OverloadPolicy = .off, statistics: ServerStatistics? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "noproof.licences")
    ) {
        self.library = library
        self.logger = logger
        self.gate = gate
        self.keyring = keyring
        self.audit = audit
        self.now = now
        self.statistics = statistics
        self.issuer = ProofIssuer(keyring: keyring, audit: audit, overload: overload, stages: statistics?.stages)
    }

    package func register(in registry: inout RPCRegistry) {
        registry.callback(LicenceMethods.lookup, LookupRequest.self, LookupResponse.self, stages: true) { request, context, respond in
            try lookup(request, context: context, respond: respond)
        }
        registry.unary(LicenceMethods.getLicence, GetLicenceRequest.self, GetLicenceResponse.self) { request, context in
            try await getLicence(request, context: context)
        }
        registry.unary(LicenceMethods.checkLicence, CheckLicenceRequest.self, CheckLicenceResponse.self) { request, context in
            try await checkLicence(request, context: context)
        }
        registry.unary(LicenceMethods.getProofStatus, ProofStatusRequest.self, ProofStatusResponse.self) { request, context in
            try await proofStatus(request, context: context)
        }
        let keys = GetSealKeysResponse(
            keys: keyring.publicKeys.map {
                SealKey(
                    keyID: $0.id, sealKind: $0.kind.rawValue, nameZh: $0.kind.nameZh, algorithm: "Ed25519",
                    publicKey: $0.publicKey, validFromMillis: $0.validFromMillis, validToMillis: $0.validToMillis)
            })
        registry.inline(LicenceMethods.getSealKeys, GetSealKeysRequest.self, GetSealKeysResponse.self) { _, _ in keys }
        let library = self.library
        registry.inline(LicenceMethods.listLicenceTypes, ListLicenceTypesRequest.self, ListLicenceTypesResponse.self) { _, _ in
            ListLicenceTypesResponse(types: library.licenceTypes.map(LicenceTypeMessage.init))
        }
        registry.unary(LicenceMethods.issueLicence, IssueLicenceRequest.self, LicenceResponse.self) { request, context in
            let unit = try context.requireUnit()
            guard let message = request.licence else { throw RPCError(.invalidArgument, "licence: required") }
            let licence = try NoProofDomain.Licence(message: message)
            let intent = licenceRecord(
                context, unit: unit, action: .licenceIssue, licenceID: licence.id.description,
                holder: licence.holder.key, typeCode: licence.typeCode)
            let issued = try await audited(
                [intent],
                {
                    try await library.issue(licence, byUnit: unit.unitCode, asTaskForce: unit.isTaskForce)
                }, outcome: { issued in [intent.with(result: .issued(status: issued.status.rawValue))] })
            return LicenceResponse(licence: LicenceMessage(issued))
        }
        registry.unary(LicenceMethods.amendLicence, AmendLicenceRequest.self, LicenceResponse.self) { request, context in
            let unit = try context.requireUnit()
            let amendment = try Self.amendment(request)
            let current = try? await library.licence(id: request.licenceID)
            let intent = licenceRecord(
                context, unit: unit, action: .licenceAmend, licenceID: String(request.licenceID.prefix(128)),
                holder: current?.holder.key ?? "", typeCode: current?.typeCode ?? "", reason: request.reason,
                detail: Self.amendedFields(amendment))
            let amended = try await audited(
                [intent],
                {
                    try await library.amend(
                        request.licenceID, changes: amendment, reason: request.reason,
                        byUnit: unit.unitCode, asTaskForce: unit.isTaskForce)
                }, outcome: { amended in [intent.with(result: .amended(version: amended.version))] })
            return LicenceResponse(licence: LicenceMessage(amended))
        }
        for (method, change) in [
            (LicenceMethods.suspendLicence, LicenceLibrary.StatusChange.suspend),
            (LicenceMethods.reinstateLicence, .reinstate), (LicenceMethods.revokeLicence, .revoke),
        ] {
            registry.unary(method, ChangeLicenceStatusRequest.self, LicenceResponse.self) { request, context in
                let unit = try context.requireUnit()
                let current = try? await library.licence(id: request.licenceID)
                let action: AuditAction = change == .suspend ? .licenceSuspend : change == .reinstate ? .licenceReinstate : .licenceRevoke
                let intent = licenceRecord(
                    context, unit: unit, action: action, licenceID: String(request.licenceID.prefix(128)),
                    holder: current?.holder.key ?? "", typeCode: current?.typeCode ?? "", reason: request.reason)
                let changed = try await audited(
                    [intent],
                    {
                        try await library.change(
                            request.licenceID, to: change, reason: request.reason,
                            byUnit: unit.unitCode, asTaskForce: unit.isTaskForce)
                    }, outcome: { _ in [intent.with(result: change == .suspend ? .suspended : change == .reinstate ? .reinstated : .revoked)] })
                context.logger.debug("licence status changed", metadata: ["licence": "\(changed.id)", "change": "\(change.rawValue)"])
                return LicenceResponse(licence: LicenceMessage(changed))
            }
        }
        registry.unary(
            LicenceMethods.importLicences, ImportLicencesRequest.self, ImportLicencesResponse.self,
            beforeDecoding: { bytes, context in try admitImport(bytes, context: context) }
        ) { request, context in
            let unit = try context.requireUnit()
            // One record per call, before and after the batch: the rows' digest and count, then the counts written.
            let intent = licenceRecord(
                context, unit: unit, action: .licenceImport, licenceID: "\(request.licences.count) rows",
                detail: Self.importDigest(request.licences))
            return try await audited(
                [intent], { try await importLicences(request, unit: unit) },
                outcome: { response in
                    [
                        intent.with(
                            result: .imported(
                                inserted: Int(response.inserted), updated: Int(response.updated),
                                unchanged: Int(response.unchanged), rejected: response.rejected.count))
                    ]
                })
        }
    }

    // MARK: Lookup

    private func lookup(
        _ request: LookupRequest, context: CallContext,
        respond: @escaping @Sendable (Result<LookupResponse, Error>) -> Void
    ) throws {
        let unit = try context.requireUnit()
        if let overloaded = issuer.admission() {
            statistics?.callShed()
            throw overloaded
        }
        let purpose = request.purpose ?? Purpose()
        var record = AuditRecord(
            atMillis: millis(), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: Self.actingStaff(context),
            action: .lookup, itemCode: purpose.itemCode, caseReference: purpose.caseReference,
            holderID: String(request.holderID.prefix(64)), typeCode: String(request.typeCode.prefix(32)), result: .unset
        )
        // A proof the cited item lists as cancelled or excluded is answered from the list, with its
        // version and what to do, before the code is checked against the licence-type catalogue.
        if !purpose.itemCode.isEmpty, !purpose.caseReference.isEmpty,
            let noProof = gate.listedNoProof(
                unitCode: unit.unitCode, staff: record.staff, itemCode: purpose.itemCode,
                caseReference: purpose.caseReference, proofCode: request.typeCode,
                signedInStaff: unit.staffID)
        {
            let (refusal, guidance) = noProof
            record.result = guidance?.refusalToken.map(AuditResult.init(rawValue:)) ?? (refusal.error.code == .invalidArgument ? .invalidArgument : .denied)
            if let holder = try? Holder.parse(request.holderID, field: "holder_id") { record.holderID = holder.key }
            let refused = record
            let issuer = self.issuer
            Task {
                await gate.recorded(refusal.ticket)
                issuer.record(refused) { respond(.failure(Self.afterAudit($0, refusal.error))) }
            }
            return
        }
        let holder: Holder
        let type: NoProofDomain.LicenceType
        do {
            try Self.checkPurpose(purpose)
            (holder, type) = try library.parseQuery(holderID: request.holderID, typeCode: request.typeCode)
            record.holderID = holder.key  // canonical, so "who looked at my data" finds it by the holder's key
        } catch {
            record.result = .invalidArgument
            let failure = RPCError(error)
            issuer.record(record) { respond(.failure(Self.afterAudit($0, failure))) }
            return
        }
        guard type.connected else {
            record.result = .notConnected
            let failure = Self.notConnected(type)
            issuer.record(record) { respond(.failure(Self.afterAudit($0, failure))) }
            return
        }
        // The data fields the item's list entry names (data minimisation).
        let disclosure: FieldDisclosure
        switch gate.admission(
            unitCode: unit.unitCode, staff: record.staff, itemCode: purpose.itemCode,
            caseReference: purpose.caseReference, typeCode: type.code,
            credentialID: unit.credentialID, signedInStaff: unit.staffID, holder: holder.key)
        {
        case .allowed(let allowed):
            disclosure = allowed
            context.stamps?.mark(.admitted)
        case .refused(let refusal):
            record.result = refusal.error.code == .resourceExhausted ? .rateLimited : .denied
            let refused = record
            let issuer = self.issuer
            let gate = self.gate
            // Answered once both the denial log's record and the audit record are durable.
            Task {
                await gate.recorded(refusal.ticket)
                issuer.record(refused) { respond(.failure(Self.afterAudit($0, refusal.error))) }
            }
            return
        }
        let pending = record
        let disclosed = disclosure
        let library = self.library
        let issuer = self.issuer
        let finish: @Sendable ([NoProofDomain.Licence]) -> Void = { licences in
            context.stamps?.mark(.lookedUp)
            answer(
                library.outcome(licences, typeCode: type.code), holder: holder, type: type, unit: unit,
                purpose: purpose, disclosure: disclosed, context: context, record: pending, respond: respond)
        }
        let failed: @Sendable (NoProofError) -> Void = { error in
            var failed = pending
            failed.result = .unavailable
            issuer.record(failed) { respond(.failure(Self.afterAudit($0, RPCError(error)))) }
        }
        // At once for the embedded store; over a shared one after the cache has caught up with
        // the other instances' changes (LicenceFreshness).
        library.whenFresh { stale in
            if let stale { return failed(stale) }
            if let cached = library.cachedLicences(of: holder) {
                finish(cached)
            } else {
                Task {
                    do throws(NoProofError) {
                        // The cache was just missed: straight to the store (the miss is counted once).
                        finish(try await library.storedLicences(of: holder))
                    } catch {
                        failed(error)
                    }
                }
            }
        }
    }

    private func answer(
        _ outcome: LookupOutcome, holder: Holder, type: NoProofDomain.LicenceType, unit: AuthenticatedUnit, purpose: Purpose,
        disclosure: FieldDisclosure, context: CallContext, record: AuditRecord, respond: @escaping @Sendable (Result<LookupResponse, Error>) -> Void
    ) {
        var record = record
        switch outcome {
        case .found(let licence):
            let serial = serials.next()
            let (minimised, withheld) = disclosure.apply(to: licence)
            let body = ProofBody(
                proofSerial: serial, sealKind: SealKind.dataSharing.rawValue, licence: LicenceMessage(minimised), purpose: purpose,
                extractingUnitCode: unit.unitCode, extractingUnitName: unit.unitName,
                producingUnitCode: licence.issuerCode.value, producingUnitName: licence.issuerName,
                extractedAtMillis: record.atMillis, staff: record.staff, withheldFields: withheld
            )
            let bytes = ProtoCodec.encode(body)
            record.result = .found
            record.licenceID = licence.id.description
            record.proofSerial = serial
            issuer.issue(body: bytes, record: record, stamps: context.stamps) { result in
                switch result {
                case .success(let seal):
                    respond(
                        .success(
                            LookupResponse(
                                proof: SealedProof(
                                    body: bytes, keyID: seal.keyID, signature: seal.signature,
                                    leafIndex: seal.leafIndex, batchSize: seal.batchSize, path: seal.path
                                ))))
                case .failure(let error):
                    context.logger.error("audit write failed; proof withheld", metadata: ["error": "\(error)"])
                    respond(.failure(RPCError(.unavailable, "the lookup could not be recorded in the audit trail, so no proof was issued; retry")))
                }
            }
        case .notFound:
            record.result = .notFound
            gate.noteMiss(unitCode: unit.unitCode, staff: record.staff, credentialID: unit.credentialID)
            let failure = RPCError(.notFound, "holder \(holder.masked) holds no \(type.nameEn) (\(type.code)) in the licence library")
            issuer.record(record, stamps: context.stamps) { respond(.failure(Self.afterAudit($0, failure))) }
        case .notInForce(let licence, let status):
            record.result = AuditResult(rawValue: status.rawValue)
            record.licenceID = licence.id.description
            let failure = RPCError(
                .failedPrecondition,
                "the holder's \(type.nameEn) (\(type.code)) \(licence.id) is \(status.rawValue)\(status == .expired ? " (valid to \(licence.validTo.map { $0.description } ?? "?"))" : ""); no proof can be issued"
            )
            issuer.record(record, stamps: context.stamps) { respond(.failure(Self.afterAudit($0, failure))) }
        }
    }

    /// The failure to answer once the audit record is (or could not be) written: a lookup whose
    /// record is not durable is answered UNAVAILABLE, whatever it found.
    static func afterAudit(_ audited: Result<Void, Error>, _ failure: RPCError) -> RPCError {
        if case .failure = audited {
            return RPCError(.unavailable, "the lookup could not be recorded in the audit trail; retry")
        }
        return failure
    }

    /// A licence type whose source database is not connected cannot be looked up (Art. 10).
    static func notConnected(_ type: NoProofDomain.LicenceType) -> RPCError {
        RPCError(
            .failedPrecondition, "licence type \(type.code) (\(type.nameEn)) is not connected to the system: ask \(type.issuerName) by department verification")
    }

    static func checkPurpose(_ purpose: Purpose) throws(ValidationError) {
        if purpose.itemCode.isEmpty {
            throw ValidationError(field: "purpose.item_code", reason: "required: the service item (事项) the proof is for")
        }
        if purpose.caseReference.isEmpty {
            throw ValidationError(field: "purpose.case_reference", reason: "required: the unit's case reference")
        }
    }

    // MARK: Reads

    /// GetLicence: the caller names the holder as well as the licence, and the access gate runs
    /// for the type the identifier names before the library is consulted, so a miss is limited
    /// and audited like a hit. A licence of another holder answers exactly like a miss.
    private func getLicence(_ request: GetLicenceRequest, context: CallContext) async throws -> GetLicenceResponse {
        let unit = try context.requireUnit()
        let purpose = request.purpose ?? Purpose()
        var record = AuditRecord(
            atMillis: millis(), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: Self.actingStaff(context),
            action: .getLicence, itemCode: purpose.itemCode, caseReference: purpose.caseReference,
            holderID: String(request.holderID.prefix(64)), typeCode: "",
            licenceID: String(request.licenceID.prefix(128)), result: .unset)
        do {
            if request.holderID.isEmpty {
                throw RPCError(.invalidArgument, "holder_id: required: the holder the case is about (a licence is read only together with its holder's id)")
            }
            let id = try LicenceIdentifier.parse(request.licenceID, field: "licence_id")
            record.typeCode = id.typeCode
            let (holder, type) = try library.parseQuery(holderID: request.holderID, typeCode: id.typeCode)
            record.holderID = holder.key
            try Self.checkPurpose(purpose)
            // Before the library is consulted: a guess costs the same as a hit.
            let disclosure = try await gate.checkedAdmission(
                unitCode: unit.unitCode, staff: record.staff, itemCode: purpose.itemCode,
                caseReference: purpose.caseReference, typeCode: type.code,
                credentialID: unit.credentialID, signedInStaff: unit.staffID, holder: holder.key)
            let missing = RPCError(.notFound, "holder \(holder.masked) holds no licence \(id) in the licence library")
            let found: NoProofDomain.Licence?
            do {
                found = try await library.licence(id: id.description)
            } catch {
                let failure = RPCError(error)
                guard failure.code == .notFound else { throw failure }
                found = nil
            }
            // Someone else's licence: the same answer as no licence at all.
            guard let licence = found, licence.holder == holder else {
                gate.noteMiss(unitCode: unit.unitCode, staff: record.staff, credentialID: unit.credentialID)
                throw missing
            }
            record.result = .found
            _ = try await audit.append(record)
            let (minimised, withheld) = disclosure.apply(to: licence)
            return GetLicenceResponse(licence: LicenceMessage(minimised), withheldFields: withheld)
        } catch {
            let failure = RPCError(error)
            record.result = AuditResult(rawValue: failure.code.name.lowercased())
            _ = try? await audit.append(record)
            throw failure
        }
    }

    /// CheckLicence answers MATCH or MISMATCH per declared field, one value per field, only for
    /// holder_name and the type's own fields: no guessing several values in one call, and no
    /// oracle on which fields a record holds.
    private func checkLicence(_ request: CheckLicenceRequest, context: CallContext) async throws -> CheckLicenceResponse {
        let unit = try context.requireUnit()
        let purpose = request.purpose ?? Purpose()
        var record = AuditRecord(
            atMillis: millis(), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: Self.actingStaff(context),
            action: .checkLicence, itemCode: purpose.itemCode, caseReference: purpose.caseReference,
            holderID: String(request.holderID.prefix(64)), typeCode: String(request.typeCode.prefix(32)), result: .unset)
        // A cancelled or excluded proof of the cited item: the list's answer, before the catalogue check.
        if !purpose.itemCode.isEmpty, !purpose.caseReference.isEmpty,
            let noProof = gate.listedNoProof(
                unitCode: unit.unitCode, staff: record.staff, itemCode: purpose.itemCode,
                caseReference: purpose.caseReference, proofCode: request.typeCode,
                signedInStaff: unit.staffID)
        {
            let (refusal, guidance) = noProof
            await gate.recorded(refusal.ticket)
            record.result = guidance?.refusalToken.map(AuditResult.init(rawValue:)) ?? (refusal.error.code == .invalidArgument ? .invalidArgument : .denied)
            if let holder = try? Holder.parse(request.holderID, field: "holder_id") { record.holderID = holder.key }
            do { _ = try await audit.append(record) } catch { throw RPCError(.unavailable, "the check could not be recorded in the audit trail; retry") }
            throw refusal.error
        }
        do {
            let (holder, type) = try library.parseQuery(holderID: request.holderID, typeCode: request.typeCode)
            record.holderID = holder.key
            guard type.connected else { throw Self.notConnected(type) }
            try Self.checkDeclared(request.declared, of: type)
            try Self.checkPurpose(purpose)
            let disclosure = try await gate.checkedAdmission(
                unitCode: unit.unitCode, staff: record.staff, itemCode: purpose.itemCode,
                caseReference: purpose.caseReference, typeCode: type.code,
                credentialID: unit.credentialID, signedInStaff: unit.staffID, holder: holder.key)
            try Self.checkNeeded(request.declared, by: disclosure, item: purpose.itemCode, type: type)
            let licences = try await library.licences(of: holder)
            let licence: NoProofDomain.Licence
            let status: LicenceStatus
            switch library.outcome(licences, typeCode: type.code) {
            case .found(let found):
                (licence, status) = (found, .valid)
            case .notInForce(let found, let effective):
                (licence, status) = (found, effective)
            case .notFound:
                throw RPCError(.notFound, "holder \(holder.masked) holds no \(type.nameEn) (\(type.code)) in the licence library")
            }
            // A field the type has but this record lacks is a MISMATCH: NOT_ON_RECORD is no longer answered.
            let checks = request.declared.map { declared -> FieldCheck in
                let recorded = declared.key == "holder_name" ? licence.holderName : licence.fields[declared.key]
                return FieldCheck(key: declared.key, result: recorded == declared.value ? .match : .mismatch)
            }
            record.result = checks.contains { $0.result != .match } ? .mismatch : .match
            record.licenceID = licence.id.description
            _ = try await audit.append(record)
            return CheckLicenceResponse(status: status.rawValue, fields: checks)
        } catch {
            let failure = RPCError(error)
            record.result = AuditResult(rawValue: failure.code.name.lowercased())
            _ = try? await audit.append(record)
            throw failure
        }
    }

    /// The declared fields of a check: each key `holder_name` or a field of the type, each at
    /// most once (so at most the type's field count + 1 entries); INVALID_ARGUMENT naming
    /// `declared[i].key` otherwise.
    static func checkDeclared(_ declared: [LicenceField], of type: NoProofDomain.LicenceType) throws(RPCError) {
        let allowed = ["holder_name"] + type.fields.map(\.key)
        if declared.count > allowed.count {
            throw RPCError(
                .invalidArgument,
                "declared: at most \(allowed.count) declared fields for \(type.code) (one per field: \(allowed.joined(separator: ", "))), got \(declared.count)"
            )
        }
        var seen: [String: Int] = [:]
        for (index, field) in declared.enumerated() {
            guard allowed.contains(field.key) else {
                throw RPCError(
                    .invalidArgument,
                    "declared[\(index)].key: \"\(field.key.prefix(40))\" is not a field of \(type.code) (\(type.nameEn)); declare one of \(allowed.joined(separator: ", "))"
                )
            }
            if let first = seen[field.key] {
                throw RPCError(
                    .invalidArgument,
                    "declared[\(index)].key: \(field.key) is already declared at declared[\(first)]; declare each field once, with the value the applicant gave"
                )
            }
            seen[field.key] = index
        }
    }

    /// A check compares only fields the item needs: a MATCH on a field the list does not name
    /// would disclose it (ethnicity, say, by trying its values). holder_name is identity and is
    /// always checkable.
    static func checkNeeded(
        _ declared: [LicenceField], by disclosure: FieldDisclosure, item: String,
        type: NoProofDomain.LicenceType
    ) throws(RPCError) {
        for (index, field) in declared.enumerated() where field.key != "holder_name" && !disclosure.discloses(field.key) {
            throw RPCError(
                .permissionDenied,
                "declared[\(index)].key: item \(item)'s list entry for \(type.code) needs \(disclosure.summary), not \(field.key); a unit checks only the fields its published list names (ask the task force office to add the field to the list if the item needs it)"
            )
        }
    }

    // MARK: Writes

    static func amendment(_ request: AmendLicenceRequest) throws -> LicenceAmendment {
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

    private func importLicences(_ request: ImportLicencesRequest, unit: AuthenticatedUnit) async throws -> ImportLicencesResponse {
        var parsed: [NoProofDomain.Licence] = []
        var positions: [Int] = []
        var rejected: [ImportRejection] = []
        for (index, message) in request.licences.enumerated() {
            do {
                try message.checkLengths("")
            } catch {
                // "holder_name: at most 200 characters, got 5000": the field, then the reason.
                let (field, reason) =
                    error.message.firstRange(of: ": ").map {
                        (String(error.message[..<$0.lowerBound]), String(error.message[$0.upperBound...]))
                    } ?? ("row", error.message)
                rejected.append(ImportRejection(index: UInt32(index), field: field, reason: reason))
                continue
            }
            do {
                parsed.append(try NoProofDomain.Licence(message: message))
                positions.append(index)
            } catch {
                rejected.append(ImportRejection(index: UInt32(index), field: error.field, reason: error.reason))
            }
        }
        let library = self.library
        let outcome = try await library.importBatch(parsed, byUnit: unit.unitCode, asTaskForce: unit.isTaskForce)
        rejected += outcome.rejected.map {
            ImportRejection(index: UInt32(positions[$0.index]), field: $0.error.field, reason: $0.error.reason)
        }
        rejected.sort { $0.index < $1.index }
        // The answer must fit in a frame: the first rejections in full, the rest only counted.
        let omitted = max(0, rejected.count - FieldLimits.listedRejections)
        if omitted > 0 { rejected.removeLast(omitted) }
        return ImportLicencesResponse(
            inserted: UInt32(outcome.inserted), updated: UInt32(outcome.updated),
            unchanged: UInt32(outcome.unchanged), rejected: rejected, rejectionsOmitted: UInt32(omitted))
    }

    /// Refuses an import before any of it is decoded: only an issuing unit (the issuer of a
    /// licence type of the catalogue) or the task force office may import, and one call carries at
    /// most `FieldLimits.importRows` rows and `FieldLimits.importBytes` bytes.
    private func admitImport(_ bytes: [UInt8], context: CallContext) throws(RPCError) {
        let unit = try context.requireUnit()
        if !unit.isTaskForce, !library.licenceTypes.contains(where: { $0.issuerCode.value == unit.unitCode }) {
            throw RPCError(
                .permissionDenied,
                "only an issuing unit or the task force office (工作专班办公室) may import licences; \(unit.unitName) (\(unit.unitCode)) issues no licence type of the catalogue (ListLicenceTypes): ask the issuing unit to import its licences"
            )
        }
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

    // MARK: Helpers

    /// The audit record of a licence write by the connection's unit and acting staff member:
    /// the licence in `licence_id` (an import: its row count), its holder and type, the reason in
    /// `case_reference`, the fields amended or an import's digest in `proof_serial`.
    private func licenceRecord(
        _ context: CallContext, unit: AuthenticatedUnit, action: AuditAction, licenceID: String,
        holder: String = "", typeCode: String = "", reason: String = "", detail: String = ""
    ) -> AuditRecord {
        AuditRecord(
            atMillis: millis(), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: Self.actingStaff(context),
            action: action, itemCode: "", caseReference: String(reason.prefix(200)), holderID: holder, typeCode: typeCode,
            licenceID: licenceID, result: .unset, proofSerial: String(detail.prefix(500)))
    }

    /// A licence write fails closed (`AuditedChange`): its intent is durable before the library changes.
    private func audited<T>(
        _ intent: [AuditRecord], _ change: () async throws -> T,
        outcome: (T) -> [AuditRecord]
    ) async throws(RPCError) -> T {
        do {
            // The library's own history (licence_version, licence_status_change) names the writer too.
            let actor = intent.first.map { "\($0.unitCode)/\($0.credentialID)/\($0.staff)" } ?? ""
            return try await AuditedChange.run(
                audit: audit, logger: logger, intent: intent,
                change: {
                    try await LicenceWriteActor.$current.withValue(actor) { try await change() }
                }, outcome: outcome)
        } catch {
            throw RPCError(error)
        }
    }

    /// The amended fields, named: `holder_name`, `valid_to`, `fields:KEY,...` (values are not copied into the trail).
    static func amendedFields(_ amendment: LicenceAmendment) -> String {
        var names: [String] = []
        if amendment.holderName != nil { names.append("holder_name") }
        if amendment.validTo != nil { names.append("valid_to") }
        let keys = (Array(amendment.setFields.keys) + Array(amendment.removeFields)).sorted()
        if !keys.isEmpty { names.append("fields:" + keys.joined(separator: ",")) }
        return names.joined(separator: " ")
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

    func millis() -> Int64 { Int64(now().timeIntervalSince1970 * 1000) }

    /// The acting staff member as recorded: the signed-in one of a staff credential, otherwise the
    /// "staff" metadata (the access gate checks either against the unit's registered staff). Cut
    /// to 64 characters, the longest staff id, so a hostile value cannot bloat the audit trail.
    static func actingStaff(_ context: CallContext) -> String {
        if let signedIn = context.unit?.staffID, context.staff?.isEmpty ?? true { return signedIn }
        return String((context.staff ?? "").prefix(64))
    }

}

extension AuthenticatedUnit {
    /// The task force office may act for any unit.
    var isTaskForce: Bool { roles.contains("taskforce") }
}
