package import NoProofDomain
import Foundation

/// A service item (事项) of a unit's list: what it is, how fast it is handled and which proofs
/// it needs with how each is obtained.
package struct ServiceItem: Hashable, Sendable, Identifiable {
    /// Item code, unique within the list: 1-64 characters of `A-Z a-z 0-9 . _ -`.
    package var code: String
    /// Item name (for example 居民用水新开户).
    package var name: String
    /// Immediate or commitment item.
    package var kind: ServiceItemKind
    /// The proofs the item needs, each with its obtaining method; proof codes are unique.
    package var proofs: [ProofRequirement]

    /// `code`.
    package var id: String { code }

    /// Creates an item.
    package init(code: String, name: String, kind: ServiceItemKind, proofs: [ProofRequirement]) {
        self.code = code
        self.name = name
        self.kind = kind
        self.proofs = proofs
    }

    /// The requirement for `proofCode`, if the item lists it.
    package func proof(_ proofCode: String) -> ProofRequirement? { proofs.first { $0.proofCode == proofCode } }

    /// Checks the item's own data: code and name syntax, a plausible promised time, unique and
    /// valid proofs.
    /// - Parameter field: prefix for error fields (for example `items[3]`).
    /// - Throws: `ValidationError`.
    package func validate(field: String) throws(ValidationError) {
        try ServiceItem.validateCode(code, field: "\(field).code")
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(field: "\(field).name", reason: "item \(code) needs a name")
        }
        if name.count > 200 { throw ValidationError(field: "\(field).name", reason: "item name must be at most 200 characters") }
        if let time = kind.promisedTime, !time.isPlausible {
            throw ValidationError(
                field: "\(field).promised",
                reason: "a commitment item's promised time must be 1-365 working days or 1-8760 hours, got \(time)")
        }
        var seen = Set<String>()
        for (index, proof) in proofs.enumerated() {
            try proof.validate(field: "\(field).proofs[\(index)]")
            if !seen.insert(proof.proofCode).inserted {
                throw ValidationError(
                    field: "\(field).proofs[\(index)].proof",
                    reason: "item \(code) lists proof \(proof.proofCode) twice; keep one entry per proof")
            }
        }
    }

    /// Checks an item code: 1-64 characters of `A-Z a-z 0-9 . _ -`.
    /// - Throws: `ValidationError` on `field`.
    package static func validateCode(_ code: String, field: String) throws(ValidationError) {
        let bytes = Array(code.utf8)
        func allowed(_ b: UInt8) -> Bool {
            (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 46 || b == 95
        }
        guard (1...64).contains(bytes.count), bytes.allSatisfy(allowed) else {
            throw ValidationError(field: field, reason: "item code must be 1-64 characters of A-Z, a-z, 0-9, '.', '_', '-', got \"\(code)\"")
        }
    }

    /// The flat exchange form.
    package var record: ServiceItemRecord {
        var record = ServiceItemRecord(code: code, name: name, kind: kind.token, proofs: proofs.map(\.record))
        switch kind.promisedTime {
        case .workingDays(let days): record.promisedDays = days
        case .hours(let hours): record.promisedHours = hours
        case nil: break
        }
        return record
    }

    /// Builds an item from its flat exchange form and validates it.
    /// - Throws: `ValidationError` with fields prefixed by `field`.
    package init(record: ServiceItemRecord, field: String) throws(ValidationError) {
        guard let code = record.code, !code.isEmpty else {
            throw ValidationError(field: "\(field).code", reason: "each item needs its code")
        }
        let kind: ServiceItemKind
        switch record.kind ?? "" {
        case "immediate":
            if record.promisedDays != nil || record.promisedHours != nil {
                throw ValidationError(
                    field: "\(field).kind", reason: "item \(code) is immediate but has a promised time; use kind commitment or drop the promised time")
            }
            kind = .immediate
        case "commitment":
            switch (record.promisedDays, record.promisedHours) {
            case (let days?, nil): kind = .commitment(.workingDays(days))
            case (nil, let hours?): kind = .commitment(.hours(hours))
            case (nil, nil):
                throw ValidationError(field: "\(field).promised_days", reason: "commitment item \(code) needs promised_days or promised_hours")
            case (_?, _?):
                throw ValidationError(field: "\(field).promised_days", reason: "commitment item \(code) must give promised_days or promised_hours, not both")
            }
        case "":
            throw ValidationError(field: "\(field).kind", reason: "item \(code) needs its kind: immediate or commitment")
        case let other:
            throw ValidationError(field: "\(field).kind", reason: "item kind must be immediate or commitment, got \"\(other)\"")
        }
        var proofs: [ProofRequirement] = []
        for (index, proofRecord) in (record.proofs ?? []).enumerated() {
            proofs.append(try ProofRequirement(record: proofRecord, field: "\(field).proofs[\(index)]"))
        }
        self.init(code: code, name: record.name ?? "", kind: kind, proofs: proofs)
        try validate(field: field)
    }
}

extension ServiceItem: Codable {
    /// Decodes the flat exchange form (`ServiceItemRecord`) and validates it.
    package init(from decoder: any Decoder) throws {
        let record = try ServiceItemRecord(from: decoder)
        do {
            try self.init(record: record, field: "item")
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Encodes the flat exchange form.
    package func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
    }
}
