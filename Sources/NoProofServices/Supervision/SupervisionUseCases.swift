package import Foundation
package import Logging
package import NoProofAuditChain
import NoProofDomain
package import NoProofOversight
import NoProofProtocol
package import NoProofUnitStore
import NoProofUnits

/// Supervision's policy (Art. 15, 16, 17, 20), apart from the RPC adapter `SupervisionService`:
/// who reads which unit's report and exemptions, who records an exemption, the reads of the audit
/// trail, the unit store and the oversight records, and the audit record of every call
/// (`Supervision.Report`, `Supervision.WhoLooked`, `Supervision.Exempt` — fail closed —,
/// `Supervision.ListExemptions`). Takes and returns domain values and a `Caller`; throws
/// `NoProofError`.
package struct SupervisionUseCases: Sendable {
    let audit: any AuditTrail
    let units: any UnitStore
    let oversight: (any OversightCountsSource)?
    /// Licence-type (and proof) code to its name, for who-looked entries.
    let typeNames: [String: String]
    let thresholds: SupervisionThresholds
    /// The issuers of the catalogue's licence types: issuing units, not asked for a list of their own unless they have one.
    let issuers: Set<String>
    /// Where Art. 17 exemptions are kept; nil: none can be recorded (`unavailable`) and none are shown.
    let exemptions: (any OversightStore)?
    let now: @Sendable () -> Date
    let logger: Logger

    /// The audit actions by which a unit obtains a holder's data (shown by `whoLooked`).
    package static let dataActions: [AuditAction] = [
        .lookup, .getLicence, .checkLicence, .proofStatus, .verificationFile, .verificationRefile, .verificationAnswer,
    ]

    /// - Parameter oversight: the commitment / ledger / mismatch / complaint counts; nil shows those
    ///   figures as not recorded.
    /// - Parameter thresholds: the flag rules' thresholds (noproofd's `flagThresholds`).
    /// - Parameter exemptions: where Art. 17 exemptions are stored (noproofd: the oversight store).
    package init(
        audit: any AuditTrail, units: any UnitStore, oversight: (any OversightCountsSource)? = nil, typeNames: [String: String] = [:],
        thresholds: SupervisionThresholds = .standard, exemptions: (any OversightStore)? = nil, issuers: Set<String> = [],
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "noproof.supervision")
    ) {
        self.audit = audit
        self.units = units
        self.oversight = oversight
        self.typeNames = typeNames
        self.thresholds = thresholds
        self.issuers = issuers
        self.exemptions = exemptions
        self.now = now
        self.logger = logger
    }

    // MARK: Helpers

    /// Audits a supervision read; a failure is logged (the read changed nothing).
    func record(_ entry: AuditRecord) async {
        do {
            _ = try await audit.append(entry)
        } catch {
            logger.error("audit write failed", metadata: ["action": "\(entry.action)", "error": "\(error)"])
        }
    }

    /// `unitCode` when the caller may read it (the task force office: any, or every unit when nil;
    /// another unit: its own only), else `forbidden` with the refusal of `what`.
    func scope(_ unitCode: UnifiedSocialCreditCode?, caller: Caller, everyUnit: String, ownOnly: String) throws(NoProofError) -> String? {
        guard let unitCode else {
            guard caller.unit.isTaskForce else { throw NoProofError(.forbidden, everyUnit) }
            return nil
        }
        guard caller.unit.isTaskForce || unitCode.value == caller.unit.unitCode else { throw NoProofError(.forbidden, ownOnly) }
        return unitCode.value
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
