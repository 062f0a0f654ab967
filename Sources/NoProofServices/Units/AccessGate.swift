package import Foundation
package import Logging
package import NoProofDomain
package import NoProofProtocol
package import NoProofUnitStore
package import NoProofUnits
import Synchronization
package import NoProofAuditChain

/// Purpose-bound access control (Art. 5, 16): a proof request must be made by an active
/// registered staff member of the calling unit (the credential's own staff member, or the one a
/// system credential names), cite an item of the unit's published list in force that obtains
/// that licence type by data sharing, and stay within the anti-harvesting limits; bursts that
/// look like harvesting are written to the audit trail (`Harvest.Suspected`) for the report. Decided in memory on the event loop; the published lists are
/// reloaded from the unit store whenever they change. Every refusal is also written to the unit
/// store's denial log for supervision, in order, by one writer (`DenialWriter`); callers wait for
/// the record before answering (`checked`, `recorded`), and `close()` drains the queue.
package final class AccessGate: LookupAccess {
    private let store: any UnitStore
    private let lists: Mutex<[String: [ItemListVersion]]>
    /// Active staff by unit code: who may be named as the acting staff member.
    private let staff: Mutex<[String: [String: StaffRole]]>
    /// Nil when there are no anti-harvesting limits, like `limiter`.
    private let detector: Mutex<HarvestDetector?>
    /// Holds nil when there are no anti-harvesting limits (load tests). (An optional `Mutex`
    /// would be simpler, but optional chaining through a noncopyable `Mutex?` that is nil crashed
    /// at run time with Swift 6.3.)
    private let limiter: Mutex<RateLimiter?>
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let denials: DenialWriter
    /// Where automatic publications (an approved list reaching its effective time) are audited.
    private let audit: any AuditTrail
    /// Refusals recorded so far, by kind and reason (metrics read them at scrape time).
    package let refusals = RefusalCounts()

    package init(
        store: any UnitStore, limits: RateLimits? = .standard, harvestRules: HarvestDetector.Rules = .init(),
        audit: any AuditTrail, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
        sharedCounts: (any SharedRateCounts)? = nil
    ) {
        self.store = store
        self.audit = audit
        self.denials = DenialWriter(store: store, logger: logger)
        self.lists = Mutex([:])
        self.staff = Mutex([:])
        // With `sharedCounts` (several instances), the other instances' counts count too.
        self.limiter = Mutex(limits.map { RateLimiter(limits: $0, shared: sharedCounts) })
        self.detector = Mutex(limits.map { _ in HarvestDetector(rules: harvestRules) })
        self.now = now
        self.logger = logger
    }

    /// Publishes approved lists whose effective time has come (unless `publishingDue` is false)
    /// and reloads every unit's published versions. Call at start-up and periodically; after a
    /// list change made over RPC, `refresh(publishingDue: false)` only reloads.
    package func refresh(publishingDue: Bool = true) async throws(NoProofError) {
        let moment = now()
        if publishingDue {
            let published = try await store.publishDue(at: moment)
            if !published.isEmpty {
                let records = published.map {
                    UnitUseCases.listAuditRecord($0, action: .listPublish, unitCode: $0.unitCode.value, credentialID: "", staff: "system", at: moment)
                }
                do {
                    for record in records { _ = try await audit.append(record) }
                } catch {
                    logger.error("automatic list publication not audited", metadata: ["error": "\(error)"])
                }
            }
        }
        var byUnit: [String: [ItemListVersion]] = [:]
        var staffByUnit: [String: [String: StaffRole]] = [:]
        for unit in try await store.units() {
            byUnit[unit.code.value] = try await store.listHistory(unit: unit.code).filter { $0.status == .published }
            if unit.active {
                staffByUnit[unit.code.value] = Dictionary(
                    try await store.staff(of: unit.code, includeInactive: false).filter(\.active).map { ($0.id, $0.role) },
                    uniquingKeysWith: { first, _ in first })
            }
        }
        lists.withLock { $0 = byUnit }
        staff.withLock { $0 = staffByUnit }
        logger.debug("item lists loaded", metadata: ["units": "\(byUnit.count)"])
    }

    /// A refusal and the position of its denial-log record in the gate's write queue.
    package struct Refusal: Sendable {
        package var error: RPCError
        /// Pass to `recorded(_:)` to wait until the denial record is durable.
        package var ticket: UInt64
    }

    /// A request let through with the data fields its answer may carry, or refused.
    package enum Admission: Sendable {
        case allowed(FieldDisclosure)
        case refused(Refusal)

        /// The refusal, if refused.
        package var refusal: Refusal? {
            if case .refused(let refusal) = self { return refusal }
            return nil
        }
    }

    /// Why this request may not proceed, or nil. The denial record is queued for the unit
    /// store's log (in order); callers that must not answer before it is durable use
    /// `checked(...)` or `decide(...)` and `recorded(_:)`.
    package func refusal(
        unitCode: String, staff: String, itemCode: String, caseReference: String, typeCode: String,
        credentialID: String = "", signedInStaff: String? = nil, holder: String = ""
    ) -> RPCError? {
        decide(
            unitCode: unitCode, staff: staff, itemCode: itemCode, caseReference: caseReference, typeCode: typeCode,
            credentialID: credentialID, signedInStaff: signedInStaff, holder: holder)?.error
    }

    /// Why this request may not proceed (nil if it may), once the denial record is durable.
    package func checked(
        unitCode: String, staff: String, itemCode: String, caseReference: String, typeCode: String,
        credentialID: String = "", signedInStaff: String? = nil, holder: String = ""
    ) async -> RPCError? {
        guard
            let refusal = decide(
                unitCode: unitCode, staff: staff, itemCode: itemCode, caseReference: caseReference, typeCode: typeCode,
                credentialID: credentialID, signedInStaff: signedInStaff, holder: holder)
        else {
            return nil
        }
        await recorded(refusal.ticket)
        return refusal.error
    }

    /// The decision, with the ticket of the queued denial record when refused.
    /// - Parameters:
    ///   - staff: the acting staff member the call names (the `staff` metadata), or the signed-in one.
    ///   - credentialID: the connection's credential, for the per-credential limits.
    ///   - signedInStaff: the staff member of a staff credential; `staff` must then be the same person.
    ///   - holder: the holder asked about ("" if not known yet), for the harvesting signals.
    package func decide(
        unitCode: String, staff: String, itemCode: String, caseReference: String, typeCode: String,
        credentialID: String = "", signedInStaff: String? = nil, holder: String = ""
    ) -> Refusal? {
        admission(
            unitCode: unitCode, staff: staff, itemCode: itemCode, caseReference: caseReference, typeCode: typeCode,
            credentialID: credentialID, signedInStaff: signedInStaff, holder: holder
        ).refusal
    }

    /// The decision as `decide(...)` makes it; when allowed, the data fields the item's list entry
    /// needs (what the answer may carry: data minimisation).
    package func admission(
        unitCode: String, staff: String, itemCode: String, caseReference: String, typeCode: String,
        credentialID: String = "", signedInStaff: String? = nil, holder: String = ""
    ) -> Admission {
        let moment = now()
        guard let unit = try? UnifiedSocialCreditCode.parse(unitCode, field: "unit") else {
            return .refused(Refusal(error: RPCError(.permissionDenied, "the connection's unit \(unitCode) has no item list"), ticket: 0))
        }
        if let problem = staffProblem(unitCode: unitCode, staff: staff, signedInStaff: signedInStaff) {
            let ticket = record(
                kind: .denial, reason: problem.reason, message: problem.error.message, unitCode: unitCode, staff: staff,
                itemCode: itemCode, caseReference: caseReference, typeCode: typeCode, at: moment)
            return .refused(Refusal(error: problem.error, ticket: ticket))
        }
        let versions = lists.withLock { $0[unitCode] ?? [] }
        let disclosure: FieldDisclosure
        switch AccessPolicy.decide(unit: unit, licenceType: typeCode, itemCode: itemCode, at: moment, versions: versions) {
        case .denied(let denial):
            let ticket = record(
                kind: .denial, reason: denial.code, message: denial.message, unitCode: unitCode, staff: staff,
                itemCode: itemCode, caseReference: caseReference, typeCode: typeCode, at: moment)
            return .refused(Refusal(error: RPCError(.permissionDenied, denial.message), ticket: ticket))
        case .allowed(_, let item):
            disclosure = item.proof(typeCode)?.disclosure ?? .identityOnly
        }
        // nil without limits; otherwise the breach, if any, and whether the call opened a new case.
        let outcome = limiter.withLock {
            $0?.admission(unit: unitCode, staffID: staff, caseReference: caseReference, credentialID: credentialID, at: moment)
        }
        if let (breach, newCase) = outcome {
            if let breach {
                let ticket = record(
                    kind: .breach, reason: breach.code, message: breach.message, unitCode: unitCode, staff: staff,
                    itemCode: itemCode, caseReference: caseReference, typeCode: typeCode, at: moment)
                return .refused(Refusal(error: RPCError(.resourceExhausted, breach.message), ticket: ticket))
            }
            let suspicions = detector.withLock {
                $0?.observe(unit: unitCode, staff: staff, credentialID: credentialID, holder: holder, newCase: newCase, at: moment) ?? []
            }
            report(suspicions, at: moment)
        }
        return .allowed(disclosure)
    }

    /// The refusal of a request for a proof that the cited item of the unit's list in force lists
    /// as cancelled or excluded, with the list's guidance — decided from the list alone, before the
    /// proof code is checked against the licence-type catalogue (a cancelled or excluded proof is
    /// often not a licence type at all). Nil when the item does not list the proof, or lists
    /// another method (the normal decision follows). When the acting staff member may not act, the
    /// refusal is theirs and the guidance nil: the list's answer is for the unit's staff. The
    /// denial record (reason `cancelled`, `excluded`, or the staff problem) is queued like any refusal.
    package func listedNoProof(
        unitCode: String, staff: String, itemCode: String, caseReference: String, proofCode: String,
        signedInStaff: String? = nil
    ) -> (refusal: Refusal, guidance: ProofGuidance?)? {
        let moment = now()
        // On every Lookup and Check: the list in force is found under the lock, without copying the
        // unit's versions (they are keyed by unit code, so they are all the unit's own).
        guard let list = lists.withLock({ ItemListVersion.inForce(among: $0[unitCode] ?? [], at: moment) }),
            let item = list.item(itemCode), let proof = item.proof(proofCode)
        else { return nil }
        let guidance = ProofGuidance(itemCode: itemCode, proof: proof, listVersion: list.version)
        guard let message = guidance.refusal, let token = guidance.refusalToken else { return nil }
        if let problem = staffProblem(unitCode: unitCode, staff: staff, signedInStaff: signedInStaff) {
            let ticket = record(
                kind: .denial, reason: problem.reason, message: problem.error.message, unitCode: unitCode, staff: staff,
                itemCode: itemCode, caseReference: caseReference, typeCode: proofCode, at: moment)
            return (Refusal(error: problem.error, ticket: ticket), nil)
        }
        let ticket = record(
            kind: .denial, reason: token, message: message, unitCode: unitCode, staff: staff,
            itemCode: itemCode, caseReference: caseReference, typeCode: proofCode, at: moment)
        return (Refusal(error: RPCError(.permissionDenied, message), ticket: ticket), guidance)
    }

    /// Notes a lookup that found nothing (guessing identifiers is harvesting too).
    package func noteMiss(unitCode: String, staff: String, credentialID: String) {
        let moment = now()
        let suspicions = detector.withLock { $0?.observeMiss(unit: unitCode, staff: staff, credentialID: credentialID, at: moment) ?? [] }
        report(suspicions, at: moment)
    }

    /// Whether `staff` may act for `unitCode`: an active registered member, and the signed-in
    /// person when the credential is a staff credential.
    private func staffProblem(unitCode: String, staff: String, signedInStaff: String?) -> (reason: String, error: RPCError)? {
        if let signedInStaff, signedInStaff != staff {
            return (
                "staff_mismatch",
                RPCError(
                    .permissionDenied,
                    "this connection is signed in as staff member \(signedInStaff) and cannot act as \(staff.prefix(64)); drop the staff metadata or sign in with that person's own credential"
                )
            )
        }
        if staff.isEmpty {
            return (
                "no_staff",
                RPCError(
                    .invalidArgument,
                    "staff metadata required: name the acting staff member (metadata \"staff\"; CLI --staff or NOPROOF_STAFF); 'noproof staff list' shows the unit's staff"
                )
            )
        }
        let role = self.staff.withLock { $0[unitCode]?[staff] }
        guard role != nil else {
            return (
                "unknown_staff",
                RPCError(
                    .permissionDenied,
                    "\(staff.prefix(64)) is not an active staff member of unit \(unitCode); name a registered member ('noproof staff list') or ask the unit's supervisor (督办员) to register them"
                )
            )
        }
        return nil
    }

    /// Writes each suspicion to the audit trail (where the report counts it) and the log.
    private func report(_ suspicions: [HarvestDetector.Suspicion], at moment: Date) {
        guard !suspicions.isEmpty else { return }
        for suspicion in suspicions {
            logger.warning(
                "harvesting suspected",
                metadata: [
                    "unit": "\(suspicion.unit)", "staff": "\(suspicion.staff)", "signal": "\(suspicion.signal.rawValue)", "count": "\(suspicion.count)",
                ])
        }
        let records = suspicions.map {
            AuditRecord(
                atMillis: Int64((moment.timeIntervalSince1970 * 1000).rounded(.down)), unitCode: $0.unit, credentialID: $0.credentialID,
                staff: $0.staff, action: .harvestSuspected, itemCode: "", caseReference: $0.summary, holderID: "",
                typeCode: "", licenceID: $0.signal.rawValue, result: .suspected)
        }
        let logger = self.logger
        Task {
            do {
                for record in records { _ = try await audit.append(record) }
            } catch {
                logger.error("harvesting suspicion not audited", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Waits until the denial record with `ticket` (and every one queued before it) is written.
    package func recorded(_ ticket: UInt64) async {
        await denials.written(through: ticket)
    }

    /// Stops queueing denial records and waits until those queued are written. Call before the
    /// unit store closes.
    package func close() async {
        await denials.close()
    }

    private func record(
        kind: DenialRecord.Kind, reason: String, message: String, unitCode: String, staff: String,
        itemCode: String, caseReference: String, typeCode: String, at moment: Date
    ) -> UInt64 {
        let entry = DenialRecord(
            at: moment, unitCode: unitCode, staffID: staff, itemCode: itemCode, caseReference: caseReference,
            typeCode: typeCode, kind: kind, reason: reason, message: message)
        refusals.add(kind: kind.rawValue, reason: reason)
        return denials.enqueue(entry)
    }
}
