import NoProofCodec
package import NoProofDomain
package import NoProofMessages

/// The protobuf message of a licence (the domain has its own `Licence`).
package typealias LicenceMessage = APILicence
package typealias LicenceTypeMessage = APILicenceType

extension APILicence {
    package init(_ licence: Licence) {
        self.init(
            licenceID: licence.id.description, typeCode: licence.typeCode, holderID: licence.holder.key,
            holderName: licence.holderName, issuerCode: licence.issuerCode.value, issuerName: licence.issuerName,
            issueDate: licence.issueDate.description, validFrom: licence.validFrom.description,
            validTo: licence.validTo?.description ?? "", status: licence.status.rawValue, version: UInt32(clamping: licence.version),
            fields: licence.sortedFields.map { APILicenceField(key: $0.key, value: $0.value) }
        )
    }
}

extension Licence {
    /// A licence from a request, every field parsed and its check characters verified; errors name the field.
    package init(message: LicenceMessage) throws(ValidationError) {
        guard !message.licenceID.isEmpty else { throw ValidationError(field: "licence_id", reason: "required") }
        let id = try LicenceIdentifier.parse(message.licenceID, field: "licence_id")
        if !message.typeCode.isEmpty, message.typeCode != id.typeCode {
            throw ValidationError(field: "type_code", reason: "\(message.typeCode) differs from the identifier's \(id.typeCode)")
        }
        if !message.issuerCode.isEmpty, message.issuerCode != id.issuerCode.value {
            throw ValidationError(field: "issuer_code", reason: "\(message.issuerCode) differs from the identifier's \(id.issuerCode.value)")
        }
        var fields: [String: String] = [:]
        for field in message.fields {
            guard fields[field.key] == nil else { throw ValidationError(field: "fields", reason: "field '\(field.key)' given twice") }
            fields[field.key] = field.value
        }
        self.init(
            id: id, holder: try Holder.parse(message.holderID, field: "holder_id"), holderName: message.holderName,
            issuerName: message.issuerName,
            issueDate: try CivilDate.parse(message.issueDate, field: "issue_date"),
            validFrom: try CivilDate.parse(message.validFrom.isEmpty ? message.issueDate : message.validFrom, field: "valid_from"),
            validTo: message.validTo.isEmpty ? nil : try CivilDate.parse(message.validTo, field: "valid_to"),
            status: message.status.isEmpty ? .valid : try LicenceStatus.parse(message.status, field: "status"),
            version: Int(max(1, message.version)), fields: fields
        )
        // Consistency with the licence type (`validate(against:)`) is checked where the licence is
        // written: LicenceLibrary.issue and the store's importBatch.
    }
}

extension APILicenceType {
    package init(_ type: LicenceType) {
        self.init(
            code: type.code, nameZh: type.nameZh, nameEn: type.nameEn, issuerCode: type.issuerCode.value,
            issuerName: type.issuerName, holderKinds: type.holderKinds.map(\.rawValue),
            fields: type.fields.map { APILicenceFieldDescriptor(key: $0.key, labelZh: $0.labelZh, labelEn: $0.labelEn) },
            connected: type.connected
        )
    }
}
