import Foundation
import NoProofAuditChain
package import NoProofDomain
import NoProofLibrary
import NoProofUnits
import NoProofProtocol

extension LicenceUseCases {
    /// A licence as a read answers it: minimised to the fields the item's list entry names, with
    /// the names of the fields withheld.
    package struct DisclosedLicence: Sendable {
        package var licence: Licence
        package var withheldFields: [String]
    }

    /// One declared value of a field check.
    package struct DeclaredField: Hashable, Sendable {
        package var key: String
        package var value: String

        package init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// A field check's answer: the licence's status and, per declared field, whether it matches.
    package struct CheckOutcome: Sendable {
        package var status: LicenceStatus
        package var matches: [(key: String, matches: Bool)]
    }

    /// GetLicence: the caller names the holder as well as the licence, and the access gate runs
    /// for the type the identifier names before the library is consulted, so a miss is limited
    /// and audited like a hit. A licence of another holder answers exactly like a miss.
    package func licence(_ licenceID: String, holderID: String, purpose: CasePurpose, caller: Caller) async throws -> DisclosedLicence {
        let unit = caller.unit
        var record = readRecord(
            caller, action: .getLicence, purpose: purpose, holderID: String(holderID.prefix(64)), typeCode: "",
            licenceID: String(licenceID.prefix(128)))
        do {
            if holderID.isEmpty {
                throw NoProofError.invalid(
                    "holder_id", "required: the holder the case is about (a licence is read only together with its holder's id)")
            }
            let id: LicenceIdentifier
            do { id = try LicenceIdentifier.parse(licenceID, field: "licence_id") } catch { throw NoProofError.invalid(error) }
            record.typeCode = id.typeCode
            let (holder, type) = try library.parseQuery(holderID: holderID, typeCode: id.typeCode)
            record.holderID = holder.key
            try Self.checkPurpose(purpose)
            // Before the library is consulted: a guess costs the same as a hit.
            let disclosure = try await gate.checkedAdmission(
                unitCode: unit.unitCode, staff: record.staff, itemCode: purpose.itemCode,
                caseReference: purpose.caseReference, typeCode: type.code,
                credentialID: unit.credentialID, signedInStaff: unit.staffID, holder: holder.key)
            let missing = NoProofError(.notFound, "holder \(holder.masked) holds no licence \(id) in the licence library")
            let found: Licence?
            do {
                found = try await library.licence(id: id.description)
            } catch {
                guard error.code == .notFound else { throw error }
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
            return DisclosedLicence(licence: minimised, withheldFields: withheld)
        } catch {
            record.result = Self.failureResult(error)
            _ = try? await audit.append(record)
            throw error
        }
    }

    /// CheckLicence answers MATCH or MISMATCH per declared field, one value per field, only for
    /// holder_name and the type's own fields: no guessing several values in one call, and no
    /// oracle on which fields a record holds.
    package func check(
        holderID: String, typeCode: String, declared: [DeclaredField], purpose: CasePurpose, caller: Caller
    ) async throws -> CheckOutcome {
        let unit = caller.unit
        var record = readRecord(
            caller, action: .checkLicence, purpose: purpose, holderID: String(holderID.prefix(64)), typeCode: String(typeCode.prefix(32)))
        // A cancelled or excluded proof of the cited item: the list's answer, before the catalogue check.
        if !purpose.itemCode.isEmpty, !purpose.caseReference.isEmpty,
            let noProof = gate.listedNoProof(
                unitCode: unit.unitCode, staff: record.staff, itemCode: purpose.itemCode,
                caseReference: purpose.caseReference, proofCode: typeCode,
                signedInStaff: unit.staffID)
        {
            let (refusal, guidance) = noProof
            await gate.recorded(refusal.ticket)
            record.result = guidance?.refusalToken.map(AuditResult.init(rawValue:)) ?? (refusal.error.code == .invalidArgument ? .invalidArgument : .denied)
            if let holder = try? Holder.parse(holderID, field: "holder_id") { record.holderID = holder.key }
            do { _ = try await audit.append(record) } catch { throw NoProofError(.unavailable, "the check could not be recorded in the audit trail; retry") }
            throw refusal.error
        }
        do {
            let (holder, type) = try library.parseQuery(holderID: holderID, typeCode: typeCode)
            record.holderID = holder.key
            guard type.connected else { throw Self.notConnected(type) }
            try Self.checkDeclared(declared, of: type)
            try Self.checkPurpose(purpose)
            let disclosure = try await gate.checkedAdmission(
                unitCode: unit.unitCode, staff: record.staff, itemCode: purpose.itemCode,
                caseReference: purpose.caseReference, typeCode: type.code,
                credentialID: unit.credentialID, signedInStaff: unit.staffID, holder: holder.key)
            try Self.checkNeeded(declared, by: disclosure, item: purpose.itemCode, type: type)
            let licences = try await library.licences(of: holder)
            let licence: Licence
            let status: LicenceStatus
            switch library.outcome(licences, typeCode: type.code) {
            case .found(let found):
                (licence, status) = (found, .valid)
            case .notInForce(let found, let effective):
                (licence, status) = (found, effective)
            case .notFound:
                throw NoProofError(.notFound, "holder \(holder.masked) holds no \(type.nameEn) (\(type.code)) in the licence library")
            }
            // A field the type has but this record lacks is a MISMATCH: NOT_ON_RECORD is no longer answered.
            let matches = declared.map { declared -> (key: String, matches: Bool) in
                let recorded = declared.key == "holder_name" ? licence.holderName : licence.fields[declared.key]
                return (declared.key, recorded == declared.value)
            }
            record.result = matches.contains { !$0.matches } ? .mismatch : .match
            record.licenceID = licence.id.description
            _ = try await audit.append(record)
            return CheckOutcome(status: status, matches: matches)
        } catch {
            record.result = Self.failureResult(error)
            _ = try? await audit.append(record)
            throw error
        }
    }

    /// The declared fields of a check: each key `holder_name` or a field of the type, each at
    /// most once (so at most the type's field count + 1 entries); `invalid` naming
    /// `declared[i].key` otherwise.
    static func checkDeclared(_ declared: [DeclaredField], of type: LicenceType) throws(NoProofError) {
        let allowed = ["holder_name"] + type.fields.map(\.key)
        if declared.count > allowed.count {
            throw .invalid(
                "declared",
                "at most \(allowed.count) declared fields for \(type.code) (one per field: \(allowed.joined(separator: ", "))), got \(declared.count)"
            )
        }
        var seen: [String: Int] = [:]
        for (index, field) in declared.enumerated() {
            guard allowed.contains(field.key) else {
                throw .invalid(
                    "declared[\(index)].key",
                    "\"\(field.key.prefix(40))\" is not a field of \(type.code) (\(type.nameEn)); declare one of \(allowed.joined(separator: ", "))"
                )
            }
            if let first = seen[field.key] {
                throw .invalid(
                    "declared[\(index)].key",
                    "\(field.key) is already declared at declared[\(first)]; declare each field once, with the value the applicant gave"
                )
            }
            seen[field.key] = index
        }
    }

    /// A check compares only fields the item needs: a MATCH on a field the list does not name
    /// would disclose it (ethnicity, say, by trying its values). holder_name is identity and is
    /// always checkable.
    static func checkNeeded(_ declared: [DeclaredField], by disclosure: FieldDisclosure, item: String, type: LicenceType) throws(NoProofError) {
        for (index, field) in declared.enumerated() where field.key != "holder_name" && !disclosure.discloses(field.key) {
            throw NoProofError(
                .forbidden,
                "declared[\(index)].key: item \(item)'s list entry for \(type.code) needs \(disclosure.summary), not \(field.key); a unit checks only the fields its published list names (ask the task force office to add the field to the list if the item needs it)"
            )
        }
    }
}
