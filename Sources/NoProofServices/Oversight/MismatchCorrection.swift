import Foundation
import Logging
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
import NoProofLibrary
import NoProofMessages
import NoProofOversight
import NoProofProtocol
import NoProofSeals
import NoProofUnits
import NoProofServer
import NoProofAuditChain
import NoProofLicenceStore

/// A mismatch resolved as record corrected propagates (issue 16, Art. 11: the issuing unit's
/// record prevails and it answers for its truth):
///
/// 1. the licence is amended in the library to the corrected values, by the issuing unit's
///    signed-in staff member (a new version; `Licence.Amend` audited with the actor, as the
///    licence service's amend path);
/// 2. a corrected proof is sealed with the verification seal (电子证明核实信息专用章) for the unit
///    that raised the case: a new serial `C-<mismatch id>-V<version>`, the case's item and case
///    reference as purpose, the raising unit as extracting unit;
/// 3. every unit that fetched the old version — a `Lookup` or `GetLicence` of that licence id
///    answered `found`, read from the audit trail's holder index — and the raising unit get a
///    correction notice (`correction_notice` in oversight.sqlite, `ListCorrectionNotices`,
///    `noproof mismatch notices`); the raising unit's carries the corrected proof.
///
/// It fails closed (`AuditedChange`): the intents `Licence.Amend|intended` and
/// `Oversight.Reverify|intended` are durable before anything changes; then the outcomes
/// `Licence.Amend|amended vN`, `Oversight.Reverify|record_corrected`,
/// `Oversight.CorrectedProof|issued` (serial, the raising unit as counterpart) and one
/// `Oversight.CorrectionNotice|noticed` per unit told (that unit as counterpart). Part of the
/// oversight use cases (`OversightUseCases.reverify`); throws `NoProofError`.
struct MismatchCorrection: Sendable {
    let store: any OversightStore
    let library: LicenceLibrary
    let keyring: SealKeyring
    let audit: any AuditTrail
    let logger: Logger
    /// Where written notices are pushed to the units' watch streams.
    let hub: CorrectionNoticeHub

    /// What the change did: the case as stored, whether this call changed it, the new version,
    /// the corrected proof's serial and the units told.
    struct Done: Sendable {
        var record: MismatchCase
        var changed: Bool
        var version: Int
        var serial: String
        var noticed: [String]
    }

    /// The actions whose `found` records mean "this unit fetched the licence".
    static let fetches: [AuditAction] = [.lookup, .getLicence]

    /// - Parameter disclosure: the data fields the raising unit's item needs (its published list);
    ///   the corrected proof carries those and the corrected fields, and names the rest as withheld.
    func correct(
        _ existing: MismatchCase, corrected: [String: String], note: String, unit: AuthenticatedUnit, staff: String,
        disclosure: FieldDisclosure = .fullRecord, at moment: Date
    ) async throws -> (record: MismatchCase, replayed: Bool) {
        let (library, keyring, store, audit) = (self.library, self.keyring, self.store, self.audit)
        // The transition on a copy first: a replay answers replayed, a wrong state or key is refused, nothing is written.
        var trial = existing
        let changes = try trial.reverify(
            finding: .recordCorrected, note: note, corrected: corrected, actingUnit: unit.unitCode,
            credential: unit.credentialID, by: staff, at: moment)
        guard changes else { return (existing, true) }
        let (holder, type) = try library.parseQuery(holderID: existing.holderID, typeCode: existing.proofType)
        let licences = try await library.licences(of: holder)
        let licence: Licence
        switch library.outcome(licences, typeCode: type.code) {
        case .found(let found), .notInForce(let found, _): licence = found
        case .notFound:
            throw NoProofError(
                .conflict,
                "holder \(holder.masked) holds no \(type.code) in the licence library; there is no record to correct for mismatch \(existing.id)")
        }
        guard licence.issuerCode.value == unit.unitCode else {
            throw NoProofError(
                .forbidden, "licence \(licence.id) was issued by \(licence.issuerName) (\(licence.issuerCode)); only its issuing unit corrects it")
        }
        var amendment = LicenceAmendment()
        let fieldKeys = Set(type.fields.map(\.key))
        for (key, value) in corrected.sorted(by: { $0.key < $1.key }) {
            guard !value.isEmpty else { throw NoProofError.invalid("corrected", "the corrected value of \(key) is empty") }
            if key == "holder_name" {
                amendment.holderName = value
            } else if fieldKeys.contains(key) {
                amendment.setFields[key] = value
            } else {
                throw NoProofError.invalid(
                    "corrected",
                    "\(key) is not a field of \(type.code) (holder_name, \(type.fields.map(\.key).joined(separator: ", "))); the licence cannot be corrected by it"
                )
            }
        }
        let millis = OversightUseCases.millis(moment)
        let reason = "record corrected after mismatch case \(existing.id)"
        let amendIntent = AuditRecord(
            atMillis: millis, unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff,
            action: .licenceAmend, itemCode: "", caseReference: reason, holderID: holder.key, typeCode: type.code,
            licenceID: licence.id.description, result: .unset, proofSerial: LicenceUseCases.amendedFields(amendment))
        let reverifyIntent = AuditRecord(
            atMillis: millis, unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff,
            action: .oversightReverify, itemCode: existing.itemCode, caseReference: existing.caseReference,
            holderID: existing.holderID, typeCode: existing.proofType, licenceID: existing.id, result: .unset)
        let actor = "\(unit.unitCode)/\(unit.credentialID)/\(staff)"
        let done = try await AuditedChange.run(
            audit: audit, logger: logger, intent: [amendIntent, reverifyIntent],
            change: { () async throws -> Done in
                let amended = try await LicenceWriteActor.$current.withValue(actor) {
                    try await library.amend(licence.id.description, changes: amendment, reason: reason, byUnit: unit.unitCode)
                }
                let serial = "C-\(existing.id)-V\(amended.version)"
                var shown = disclosure
                if case .fields(let keys) = disclosure {
                    shown = .fields(keys + corrected.keys.sorted().filter { $0 != "holder_name" && !keys.contains($0) })
                } else if disclosure == .identityOnly {
                    let keys = corrected.keys.sorted().filter { $0 != "holder_name" }
                    shown = keys.isEmpty ? .identityOnly : .fields(keys)
                }
                let (minimised, withheld) = shown.apply(to: amended)
                let body = ProtoCodec.encode(
                    APIProofBody(
                        proofSerial: serial, sealKind: SealKind.verification.rawValue, licence: LicenceMessage(minimised),
                        purpose: APIPurpose(itemCode: existing.itemCode, caseReference: existing.caseReference),
                        extractingUnitCode: existing.unit, extractingUnitName: existing.unitName,
                        producingUnitCode: amended.issuerCode.value, producingUnitName: amended.issuerName, extractedAtMillis: millis, staff: staff,
                        withheldFields: withheld))
                let seal = keyring.seal(body, kind: .verification)
                let proof = APISealedProof(body: body, keyID: seal.keyID, signature: seal.signature)
                let notices = try await Self.notices(
                    for: existing, licence: amended, holder: holder.key, fields: corrected.keys.sorted(),
                    proof: ProtoCodec.encode(proof), audit: audit, at: moment)
                let noticed = notices.map(\.unit)
                let (record, changed) = try await store.updateMismatch(id: existing.id) { m throws(NoProofError) in
                    let changed = try m.reverify(
                        finding: .recordCorrected, note: note, corrected: corrected, actingUnit: unit.unitCode,
                        credential: unit.credentialID, by: staff, at: moment)
                    if changed {
                        m.recordPropagation(licenceID: licence.id.description, version: Int64(amended.version), proofSerial: serial, noticed: noticed)
                    }
                    return changed
                }
                if changed {
                    try await store.insertCorrectionNotices(notices)
                    hub.publish(notices)
                }
                return Done(record: record, changed: changed, version: amended.version, serial: serial, noticed: noticed)
            },
            outcome: { (done: Done) -> [AuditRecord] in
                guard done.changed else { return [] }
                var outcomes = [
                    amendIntent.with(result: .amended(version: done.version)),
                    reverifyIntent.with(result: AuditResult(rawValue: MismatchFinding.recordCorrected.rawValue)),
                ]
                var issued = reverifyIntent.with(result: .issued)
                issued.action = .oversightCorrectedProof
                issued.licenceID = licence.id.description
                issued.proofSerial = done.serial
                issued.counterpartUnit = existing.unit
                outcomes.append(issued)
                for code in done.noticed {
                    var told = reverifyIntent.with(result: .noticed)
                    told.action = .oversightCorrectionNotice
                    told.caseReference = existing.id
                    told.licenceID = licence.id.description
                    told.counterpartUnit = code
                    outcomes.append(told)
                }
                return outcomes
            })
        logger.debug(
            "mismatch corrected",
            metadata: [
                "mismatch": "\(existing.id)", "licence": "\(licence.id)", "version": "\(done.version)",
                "noticed": "\(done.noticed.count)",
            ])
        return (done.record, !done.changed)
    }

    /// One notice per unit that fetched `licence` (any earlier version) before now, other than
    /// its issuing unit, plus the raising unit, which gets the corrected proof.
    static func notices(
        for mismatch: MismatchCase, licence: Licence, holder: String, fields: [String], proof: [UInt8],
        audit: any AuditTrail, at moment: Date
    ) async throws -> [CorrectionNotice] {
        let records = try await audit.records(aboutHolder: holder, actions: fetches, before: nil, limit: 10_000)
        var byUnit: [String: (references: [String], last: Int64)] = [:]
        for record in records
        where record.result == .found && record.licenceID == licence.id.description
            && record.unitCode != licence.issuerCode.value
        {
            var entry = byUnit[record.unitCode] ?? ([], 0)
            if !record.caseReference.isEmpty, !entry.references.contains(record.caseReference) { entry.references.append(record.caseReference) }
            entry.last = max(entry.last, record.sequence)
            byUnit[record.unitCode] = entry
        }
        if byUnit[mismatch.unit] == nil { byUnit[mismatch.unit] = ([], 0) }
        return byUnit.keys.sorted().map { code in
            let entry = byUnit[code]!
            let raised = code == mismatch.unit
            return CorrectionNotice(
                id: "CN-\(mismatch.id)-\(code)", unit: code, mismatchID: mismatch.id, issuingUnit: mismatch.issuingUnit,
                issuingUnitName: mismatch.issuingUnitName, holderID: holder, typeCode: licence.typeCode, licenceID: licence.id.description,
                newVersion: Int64(licence.version), correctedFields: fields, fetchCaseReferences: entry.references.sorted(),
                lastFetchSequence: entry.last, noticedAt: moment, raisedTheCase: raised, correctedProof: raised ? proof : [])
        }
    }
}
