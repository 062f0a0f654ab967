import Foundation
import NoProofCodec
package import NoProofDomain
package import NoProofMessages
package import NoProofUnits

extension APIItemProof {
    /// The message of a proof requirement: its obtaining method with the issuing unit (department
    /// verification) or the exclusion ground, category and note.
    package init(_ proof: ProofRequirement) {
        let record = proof.record
        self.init(
            proof: proof.proofCode, name: proof.name, method: proof.method.token, issuingUnit: record.issuingUnit ?? "",
            exclusion: record.exclusion ?? "", exclusionCategory: record.exclusionCategory ?? "",
            exclusionNote: record.exclusionNote ?? "", fields: proof.disclosure.keys)
    }

    /// The flat exchange form (empty strings become absent values).
    package var record: ProofRequirementRecord {
        func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
        return ProofRequirementRecord(
            proof: optional(proof), name: optional(name), method: optional(method),
            issuingUnit: optional(issuingUnit), exclusion: optional(exclusion),
            exclusionCategory: optional(exclusionCategory), exclusionNote: optional(exclusionNote),
            fields: fields.isEmpty ? nil : fields)
    }
}

extension APIListItem {
    /// The message of a service item.
    package init(_ item: ServiceItem) {
        var days: UInt32 = 0, hours: UInt32 = 0
        switch item.kind.promisedTime {
        case .workingDays(let value): days = UInt32(clamping: value)
        case .hours(let value): hours = UInt32(clamping: value)
        case nil: break
        }
        self.init(
            code: item.code, name: item.name, kind: item.kind.token, promisedDays: days, promisedHours: hours,
            proofs: item.proofs.map(APIItemProof.init))
    }

    /// The flat exchange form (0 promised days or hours = not given).
    package var record: ServiceItemRecord {
        ServiceItemRecord(
            code: code.isEmpty ? nil : code, name: name.isEmpty ? nil : name, kind: kind.isEmpty ? nil : kind,
            promisedDays: promisedDays == 0 ? nil : Int(promisedDays),
            promisedHours: promisedHours == 0 ? nil : Int(promisedHours), proofs: proofs.map(\.record))
    }
}

extension ServiceItem {
    /// A service item from a request, validated.
    /// - Parameter field: prefix for error fields (for example `items[2]`).
    /// - Throws: `ValidationError` naming the field.
    package init(message: APIListItem, field: String) throws(ValidationError) {
        try self.init(record: message.record, field: field)
    }
}

extension APIDeclaredChange {
    /// The message of a declared change, with its timeliness once submitted.
    package init(_ change: ListChange) {
        self.init(
            kind: change.kind.rawValue, item: change.itemCode, proof: change.proofCode ?? "", cause: change.cause,
            causeDate: change.causeDate.description, assessed: change.timeliness != nil, late: change.isLate,
            reportedOn: change.timeliness?.reportedOn.description ?? "", deadline: change.timeliness?.deadline.description ?? "",
            workingDaysElapsed: UInt32(clamping: change.timeliness?.workingDaysElapsed ?? 0))
    }
}

extension ListChange {
    /// A declared change from a request (its timeliness is computed on submission, not taken
    /// from the request).
    /// - Parameter field: prefix for error fields (for example `changes[0]`).
    /// - Throws: `ValidationError` naming the field.
    package init(message: APIDeclaredChange, field: String) throws(ValidationError) {
        let kind = try ListChangeKind.parse(message.kind, field: "\(field).kind")
        let date = try CivilDate.parse(message.causeDate, field: "\(field).cause_date")
        self.init(
            kind: kind, itemCode: message.item, proofCode: message.proof.isEmpty ? nil : message.proof,
            cause: message.cause, causeDate: date)
        try validate(field: field)
    }
}

extension APIItemList {
    /// The message of a list version with its items, declared changes and full history.
    package init(_ list: ItemListVersion) {
        func millis(_ date: Date?) -> Int64 { date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) } ?? 0 }
        self.init(
            unitCode: list.unitCode.value, version: UInt32(clamping: list.version), basedOn: UInt32(clamping: list.basedOn ?? 0),
            status: list.status.rawValue, items: list.items.map(APIListItem.init), changes: list.changes.map(APIDeclaredChange.init),
            createdAtMillis: millis(list.createdAt), updatedAtMillis: millis(list.updatedAt),
            submittedAtMillis: millis(list.submittedAt), submittedBy: list.submittedBy ?? "",
            reviewedAtMillis: millis(list.reviewedAt), reviewedBy: list.reviewedBy ?? "",
            effectiveAtMillis: millis(list.effectiveAt), rejectionReason: list.rejectionReason ?? "",
            publishedAtMillis: millis(list.publishedAt),
            history: list.history.map {
                APIListHistoryEntry(action: $0.action, atMillis: millis($0.at), actor: $0.actor, status: $0.status.rawValue, note: $0.note)
            }
        )
    }
}
