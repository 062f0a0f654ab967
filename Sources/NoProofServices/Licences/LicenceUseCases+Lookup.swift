import Foundation
import NoProofAuditChain
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
import NoProofLibrary
import NoProofMessages
package import NoProofProtocol
package import NoProofSeals
package import NoProofServer
import NoProofUnits
import Logging

extension LicenceUseCases {
    /// A lookup: the holder, the licence type, and the item and case it is for.
    package struct LookupInput: Sendable {
        package var holderID: String
        package var typeCode: String
        package var purpose: CasePurpose

        package init(holderID: String, typeCode: String, purpose: CasePurpose) {
            self.holderID = holderID
            self.typeCode = typeCode
            self.purpose = purpose
        }
    }

    /// A sealed electronic proof: the encoded `ProofBody` and its data-sharing seal (the batch's
    /// inclusion path when it was sealed in a batch).
    package struct IssuedProof: Sendable {
        package var body: [UInt8]
        package var seal: Seal
    }

    package typealias LookupCompletion = @Sendable (Result<IssuedProof, any Error>) -> Void

    /// Looks a licence up and answers with a sealed proof of it, the data fields minimised to what
    /// the item's list entry names; every outcome is audited and `completion` runs once its record
    /// is durable (from the proof issuer's delivery queue). Runs on the caller's thread until the
    /// licence is found: a cache hit takes no task and no thread hop before the issuer's queue.
    /// Throws (before anything is recorded) when the issuer sheds the lookup (`OverloadPolicy`).
    package func lookup(
        _ input: LookupInput, caller: Caller, stamps: CallStamps?, completion: @escaping LookupCompletion
    ) throws(RPCError) {
        let unit = caller.unit
        if let overloaded = issuer.admission() {
            statistics?.callShed()
            throw overloaded
        }
        let purpose = input.purpose
        var record = readRecord(
            caller, action: .lookup, purpose: purpose, holderID: String(input.holderID.prefix(64)),
            typeCode: String(input.typeCode.prefix(32)))
        // A proof the cited item lists as cancelled or excluded is answered from the list, with its
        // version and what to do, before the code is checked against the licence-type catalogue.
        if !purpose.itemCode.isEmpty, !purpose.caseReference.isEmpty,
            let noProof = gate.listedNoProof(
                unitCode: unit.unitCode, staff: record.staff, itemCode: purpose.itemCode,
                caseReference: purpose.caseReference, proofCode: input.typeCode,
                signedInStaff: unit.staffID)
        {
            let (refusal, guidance) = noProof
            record.result = guidance?.refusalToken.map(AuditResult.init(rawValue:)) ?? (refusal.error.code == .invalidArgument ? .invalidArgument : .denied)
            if let holder = try? Holder.parse(input.holderID, field: "holder_id") { record.holderID = holder.key }
            let refused = record
            let issuer = self.issuer
            let gate = self.gate
            Task {
                await gate.recorded(refusal.ticket)
                issuer.record(refused) { completion(.failure(Self.afterAudit($0, refusal.error))) }
            }
            return
        }
        let holder: Holder
        let type: LicenceType
        do throws(NoProofError) {
            try Self.checkPurpose(purpose)
            (holder, type) = try library.parseQuery(holderID: input.holderID, typeCode: input.typeCode)
            record.holderID = holder.key  // canonical, so "who looked at my data" finds it by the holder's key
        } catch {
            record.result = .invalidArgument
            issuer.record(record) { completion(.failure(Self.afterAudit($0, error))) }
            return
        }
        guard type.connected else {
            record.result = .notConnected
            let failure = Self.notConnected(type)
            issuer.record(record) { completion(.failure(Self.afterAudit($0, failure))) }
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
            stamps?.mark(.admitted)
        case .refused(let refusal):
            record.result = refusal.error.code == .resourceExhausted ? .rateLimited : .denied
            let refused = record
            let issuer = self.issuer
            let gate = self.gate
            // Answered once both the denial log's record and the audit record are durable.
            Task {
                await gate.recorded(refusal.ticket)
                issuer.record(refused) { completion(.failure(Self.afterAudit($0, refusal.error))) }
            }
            return
        }
        let pending = record
        let disclosed = disclosure
        let library = self.library
        let issuer = self.issuer
        let finish: @Sendable ([Licence]) -> Void = { licences in
            stamps?.mark(.lookedUp)
            answer(
                library.outcome(licences, typeCode: type.code), holder: holder, type: type, unit: unit,
                purpose: purpose, disclosure: disclosed, stamps: stamps, record: pending, completion: completion)
        }
        let failed: @Sendable (NoProofError) -> Void = { error in
            var failed = pending
            failed.result = .unavailable
            issuer.record(failed) { completion(.failure(Self.afterAudit($0, error))) }
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
        _ outcome: LookupOutcome, holder: Holder, type: LicenceType, unit: AuthenticatedUnit, purpose: CasePurpose,
        disclosure: FieldDisclosure, stamps: CallStamps?, record: AuditRecord, completion: @escaping LookupCompletion
    ) {
        var record = record
        switch outcome {
        case .found(let licence):
            let serial = serials.next()
            let (minimised, withheld) = disclosure.apply(to: licence)
            // The seal covers the encoded proof body, so the body is the message as the caller receives it.
            let body = APIProofBody(
                proofSerial: serial, sealKind: SealKind.dataSharing.rawValue, licence: LicenceMessage(minimised),
                purpose: APIPurpose(itemCode: purpose.itemCode, caseReference: purpose.caseReference),
                extractingUnitCode: unit.unitCode, extractingUnitName: unit.unitName,
                producingUnitCode: licence.issuerCode.value, producingUnitName: licence.issuerName,
                extractedAtMillis: record.atMillis, staff: record.staff, withheldFields: withheld
            )
            let bytes = ProtoCodec.encode(body)
            record.result = .found
            record.licenceID = licence.id.description
            record.proofSerial = serial
            let logger = self.logger
            issuer.issue(body: bytes, record: record, stamps: stamps) { result in
                switch result {
                case .success(let seal):
                    completion(.success(IssuedProof(body: bytes, seal: seal)))
                case .failure(let error):
                    logger.error("audit write failed; proof withheld", metadata: ["error": "\(error)"])
                    completion(
                        .failure(NoProofError(.unavailable, "the lookup could not be recorded in the audit trail, so no proof was issued; retry")))
                }
            }
        case .notFound:
            record.result = .notFound
            gate.noteMiss(unitCode: unit.unitCode, staff: record.staff, credentialID: unit.credentialID)
            let failure = NoProofError(.notFound, "holder \(holder.masked) holds no \(type.nameEn) (\(type.code)) in the licence library")
            issuer.record(record, stamps: stamps) { completion(.failure(Self.afterAudit($0, failure))) }
        case .notInForce(let licence, let status):
            record.result = AuditResult(rawValue: status.rawValue)
            record.licenceID = licence.id.description
            let failure = NoProofError.conflict(
                "the holder's \(type.nameEn) (\(type.code)) \(licence.id) is \(status.rawValue)\(status == .expired ? " (valid to \(licence.validTo.map { $0.description } ?? "?"))" : ""); no proof can be issued"
            )
            issuer.record(record, stamps: stamps) { completion(.failure(Self.afterAudit($0, failure))) }
        }
    }

    /// The failure to answer once the audit record is (or could not be) written: a lookup whose
    /// record is not durable is answered UNAVAILABLE, whatever it found.
    static func afterAudit(_ audited: Result<Void, any Error>, _ failure: any Error) -> any Error {
        if case .failure = audited {
            return NoProofError(.unavailable, "the lookup could not be recorded in the audit trail; retry")
        }
        return failure
    }
}
