package import Foundation
package import Logging
package import NoProofAuditChain
package import NoProofDomain
package import NoProofLibrary
import NoProofProtocol
package import NoProofSeals
package import NoProofServer
import NoProofUnits

/// The licence library's policy, apart from the RPC adapter (`LicenceService`): lookups that
/// answer with sealed electronic proofs (Art. 9), reads, field checks, proof status, and the
/// issuing units' writes — the access gate's decision, the audit record of every call, the store
/// calls, the errors.
///
/// Every lookup, found or not, is written to the audit log and the answer leaves only once that
/// record is durable. Found proofs are sealed and audited in batches (`ProofIssuer`). Licence
/// writes fail closed (`AuditedChange`). Methods take domain values and a `Caller`.
package struct LicenceUseCases: Sendable {
    let library: LicenceLibrary
    let keyring: SealKeyring
    let audit: any AuditTrail
    let now: @Sendable () -> Date
    /// Purpose-bound access control from the item lists (the server's `AccessGate`; tests of the
    /// library alone pass an explicit double).
    let gate: any LookupAccess
    let serials = ProofSerialGenerator()
    let issuer: ProofIssuer
    /// Counts lookups shed by the overload policy (GetStats calls_shed).
    let statistics: ServerStatistics?
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

    /// The service item and case a read is for (Art. 5: every read names its purpose).
    package struct CasePurpose: Hashable, Sendable {
        package var itemCode: String
        package var caseReference: String

        package init(itemCode: String, caseReference: String) {
            self.itemCode = itemCode
            self.caseReference = caseReference
        }
    }

    /// The licence types of the catalogue.
    package var licenceTypes: [LicenceType] { library.licenceTypes }

    /// The published seal keys.
    package var sealKeys: [SealPublicKey] { keyring.publicKeys }

    // MARK: Helpers

    /// The record of a read by `caller` (result to be set).
    func readRecord(
        _ caller: Caller, action: AuditAction, purpose: CasePurpose, holderID: String, typeCode: String, licenceID: String = ""
    ) -> AuditRecord {
        AuditRecord(
            atMillis: millis(), unitCode: caller.unit.unitCode, credentialID: caller.unit.credentialID, staff: Self.actingStaff(caller),
            action: action, itemCode: purpose.itemCode, caseReference: purpose.caseReference,
            holderID: holderID, typeCode: typeCode, licenceID: licenceID, result: .unset)
    }

    /// A licence type whose source database is not connected cannot be looked up (Art. 10).
    static func notConnected(_ type: LicenceType) -> NoProofError {
        .conflict("licence type \(type.code) (\(type.nameEn)) is not connected to the system: ask \(type.issuerName) by department verification")
    }

    static func checkPurpose(_ purpose: CasePurpose) throws(NoProofError) {
        if purpose.itemCode.isEmpty {
            throw .invalid("purpose.item_code", "required: the service item (事项) the proof is for")
        }
        if purpose.caseReference.isEmpty {
            throw .invalid("purpose.case_reference", "required: the unit's case reference")
        }
    }

    /// The audit result of a failed read: the wire status it is answered with, lower case.
    static func failureResult(_ error: any Error) -> AuditResult {
        AuditResult(rawValue: RPCError(error).code.name.lowercased())
    }

    func millis() -> Int64 { Int64(now().timeIntervalSince1970 * 1000) }

    /// The acting staff member as recorded: the signed-in one of a staff credential, otherwise the
    /// "staff" metadata (the access gate checks either against the unit's registered staff). Cut
    /// to 64 characters, the longest staff id, so a hostile value cannot bloat the audit trail.
    static func actingStaff(_ caller: Caller) -> String {
        if let signedIn = caller.unit.staffID, caller.claimedStaff?.isEmpty ?? true { return signedIn }
        return String((caller.claimedStaff ?? "").prefix(64))
    }
}

extension AuthenticatedUnit {
    /// The task force office may act for any unit.
    var isTaskForce: Bool { roles.contains("taskforce") }
}
