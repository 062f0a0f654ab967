import Foundation
import Logging
import NoProofAuditChain
package import NoProofDomain
package import NoProofLibrary
package import NoProofLicenceStore
import NoProofImport
import NoProofProtocol

extension LicenceUseCases {
    /// One rejected row of an import: its position in the call, the field and the reason.
    package struct ImportRejection: Error, Hashable, Sendable {
        package var index: Int
        package var field: String
        package var reason: String

        package init(index: Int, field: String, reason: String) {
            self.index = index
            self.field = field
            self.reason = reason
        }
    }

    /// An import's answer: the counts written, the first rejections in full, the rest counted.
    package struct ImportResult: Sendable {
        package var inserted: Int
        package var updated: Int
        package var unchanged: Int
        package var rejected: [ImportRejection]
        package var rejectionsOmitted: Int
    }

    /// An issuing unit (or the task force office) issues a licence; audited fail-closed.
    package func issue(_ licence: Licence, caller: Caller) async throws -> Licence {
        let unit = caller.unit
        let intent = licenceRecord(
            caller, action: .licenceIssue, licenceID: licence.id.description, holder: licence.holder.key, typeCode: licence.typeCode)
        let library = self.library
        return try await audited(
            [intent], { try await library.issue(licence, byUnit: unit.unitCode, asTaskForce: unit.isTaskForce) },
            outcome: { issued in [intent.with(result: .issued(status: issued.status.rawValue))] })
    }

    /// The licence's issuing unit amends it (a new version); audited fail-closed, naming the
    /// fields amended but not their values.
    package func amend(_ licenceID: String, changes amendment: LicenceAmendment, reason: String, caller: Caller) async throws -> Licence {
        let unit = caller.unit
        let current = try? await library.licence(id: licenceID)
        let intent = licenceRecord(
            caller, action: .licenceAmend, licenceID: String(licenceID.prefix(128)),
            holder: current?.holder.key ?? "", typeCode: current?.typeCode ?? "", reason: reason,
            detail: Self.amendedFields(amendment))
        let library = self.library
        return try await audited(
            [intent],
            {
                try await library.amend(licenceID, changes: amendment, reason: reason, byUnit: unit.unitCode, asTaskForce: unit.isTaskForce)
            }, outcome: { amended in [intent.with(result: .amended(version: amended.version))] })
    }

    /// The licence's issuing unit suspends, reinstates or revokes it; audited fail-closed.
    package func changeStatus(
        _ licenceID: String, to change: LicenceLibrary.StatusChange, reason: String, caller: Caller
    ) async throws -> Licence {
        let unit = caller.unit
        let current = try? await library.licence(id: licenceID)
        let action: AuditAction = change == .suspend ? .licenceSuspend : change == .reinstate ? .licenceReinstate : .licenceRevoke
        let intent = licenceRecord(
            caller, action: action, licenceID: String(licenceID.prefix(128)),
            holder: current?.holder.key ?? "", typeCode: current?.typeCode ?? "", reason: reason)
        let library = self.library
        let changed = try await audited(
            [intent],
            {
                try await library.change(licenceID, to: change, reason: reason, byUnit: unit.unitCode, asTaskForce: unit.isTaskForce)
            }, outcome: { _ in [intent.with(result: change == .suspend ? .suspended : change == .reinstate ? .reinstated : .revoked)] })
        logger.debug("licence status changed", metadata: ["licence": "\(changed.id)", "change": "\(change.rawValue)"])
        return changed
    }

    /// Refuses (`forbidden`) an import by a unit that is neither an issuing unit (the issuer of a
    /// licence type of the catalogue) nor the task force office.
    package func mayImport(caller: Caller) throws(NoProofError) {
        let unit = caller.unit
        if !unit.isTaskForce, !library.licenceTypes.contains(where: { $0.issuerCode.value == unit.unitCode }) {
            throw NoProofError(
                .forbidden,
                "only an issuing unit or the task force office (工作专班办公室) may import licences; \(unit.unitName) (\(unit.unitCode)) issues no licence type of the catalogue (ListLicenceTypes): ask the issuing unit to import its licences"
            )
        }
    }

    /// Imports a call's rows: `rows` as parsed (a row that did not parse is its rejection),
    /// `digest` the rows' digest as sent (`importDigest`). One audit record per call, before and
    /// after the batch: the rows' digest and count, then the counts written.
    package func importLicences(
        _ rows: [Result<Licence, ImportRejection>], digest: String, listing maximum: Int, caller: Caller
    ) async throws -> ImportResult {
        let unit = caller.unit
        let intent = licenceRecord(caller, action: .licenceImport, licenceID: "\(rows.count) rows", detail: digest)
        let library = self.library
        return try await audited(
            [intent],
            {
                var parsed: [Licence] = []
                var positions: [Int] = []
                var rejected: [ImportRejection] = []
                for (index, row) in rows.enumerated() {
                    switch row {
                    case .success(let licence):
                        parsed.append(licence)
                        positions.append(index)
                    case .failure(let rejection):
                        rejected.append(rejection)
                    }
                }
                let outcome = try await library.importBatch(parsed, byUnit: unit.unitCode, asTaskForce: unit.isTaskForce)
                rejected += outcome.rejected.map {
                    ImportRejection(index: positions[$0.index], field: $0.error.field, reason: $0.error.reason)
                }
                rejected.sort { $0.index < $1.index }
                // The answer must fit in a frame: the first rejections in full, the rest only counted.
                let omitted = max(0, rejected.count - maximum)
                if omitted > 0 { rejected.removeLast(omitted) }
                return ImportResult(
                    inserted: outcome.inserted, updated: outcome.updated, unchanged: outcome.unchanged, rejected: rejected,
                    rejectionsOmitted: omitted)
            },
            outcome: { result in
                [
                    intent.with(
                        result: AuditResult.imported(
                            inserted: result.inserted, updated: result.updated, unchanged: result.unchanged,
                            rejected: result.rejected.count))
                ]
            })
    }

    // MARK: Helpers

    /// The audit record of a licence write by the caller's unit and acting staff member:
    /// the licence in `licence_id` (an import: its row count), its holder and type, the reason in
    /// `case_reference`, the fields amended or an import's digest in `proof_serial`.
    private func licenceRecord(
        _ caller: Caller, action: AuditAction, licenceID: String, holder: String = "", typeCode: String = "", reason: String = "",
        detail: String = ""
    ) -> AuditRecord {
        AuditRecord(
            atMillis: millis(), unitCode: caller.unit.unitCode, credentialID: caller.unit.credentialID, staff: Self.actingStaff(caller),
            action: action, itemCode: "", caseReference: String(reason.prefix(200)), holderID: holder, typeCode: typeCode,
            licenceID: licenceID, result: .unset, proofSerial: String(detail.prefix(500)))
    }

    /// A licence write fails closed (`AuditedChange`): its intent is durable before the library
    /// changes. Throws the library's `NoProofError`, or `AuditedChange`'s UNAVAILABLE when the
    /// intent cannot be recorded.
    private func audited<T>(
        _ intent: [AuditRecord], _ change: () async throws -> T, outcome: (T) -> [AuditRecord]
    ) async throws -> T {
        // The library's own history (licence_version, licence_status_change) names the writer too.
        let actor = intent.first.map { "\($0.unitCode)/\($0.credentialID)/\($0.staff)" } ?? ""
        return try await AuditedChange.run(
            audit: audit, logger: logger, intent: intent,
            change: {
                try await LicenceWriteActor.$current.withValue(actor) { try await change() }
            }, outcome: outcome)
    }

    /// The amended fields, named: `holder_name`, `valid_to`, `fields:KEY,...` (values are not copied into the trail).
    package static func amendedFields(_ amendment: LicenceAmendment) -> String {
        var names: [String] = []
        if amendment.holderName != nil { names.append("holder_name") }
        if amendment.validTo != nil { names.append("valid_to") }
        let keys = (Array(amendment.setFields.keys) + Array(amendment.removeFields)).sorted()
        if !keys.isEmpty { names.append("fields:" + keys.joined(separator: ",")) }
        return names.joined(separator: " ")
    }
}
