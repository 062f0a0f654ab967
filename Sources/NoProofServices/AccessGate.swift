import Foundation
import Logging
import NoProofDomain
import NoProofProtocol
import NoProofStore
import NoProofUnitStore
import NoProofUnits
import Synchronization

/// Purpose-bound access control (Art. 5, 16): a proof request must cite an item of the calling
/// unit's published list in force that obtains that licence type by data sharing, and stay within
/// the anti-harvesting limits. Decided in memory on the event loop; the published lists are
/// reloaded from the unit store whenever they change. Every refusal is also written to the unit
/// store's denial log for supervision, in order, by one writer (`DenialWriter`); callers wait for
/// the record before answering (`checked`, `recorded`), and `close()` drains the queue.
package final class AccessGate: Sendable {
    private let store: any UnitStore
    private let lists: Mutex<[String: [ItemListVersion]]>
    /// Holds nil when there are no anti-harvesting limits (load tests). (An optional `Mutex`
    /// would be simpler, but optional chaining through a noncopyable `Mutex?` that is nil crashed
    /// at run time with Swift 6.3.)
    private let limiter: Mutex<RateLimiter?>
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let denials: DenialWriter
    /// Where automatic publications (an approved list reaching its effective time) are audited.
    private let audit: AuditLog?

    package init(store: any UnitStore, limits: RateLimits? = .standard, audit: AuditLog? = nil,
                 now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.store = store
        self.audit = audit
        self.denials = DenialWriter(store: store, logger: logger)
        self.lists = Mutex([:])
        self.limiter = Mutex(limits.map { RateLimiter(limits: $0) })
        self.now = now
        self.logger = logger
    }

    /// Publishes approved lists whose effective time has come (unless `publishingDue` is false)
    /// and reloads every unit's published versions. Call at start-up and periodically; after a
    /// list change made over RPC, `refresh(publishingDue: false)` only reloads.
    package func refresh(publishingDue: Bool = true) async throws(UnitStoreError) {
        let moment = now()
        if publishingDue {
            let published = try await store.publishDue(at: moment)
            if let audit, !published.isEmpty {
                let records = published.map {
                    UnitService.listAuditRecord($0, action: "List.Publish", unitCode: $0.unitCode.value, credentialID: "", staff: "system", at: moment)
                }
                do {
                    for record in records { _ = try await audit.append(record) }
                } catch {
                    logger.error("automatic list publication not audited", metadata: ["error": "\(error)"])
                }
            }
        }
        var byUnit: [String: [ItemListVersion]] = [:]
        for unit in try await store.units() {
            byUnit[unit.code.value] = try await store.listHistory(unit: unit.code).filter { $0.status == .published }
        }
        lists.withLock { $0 = byUnit }
        logger.debug("item lists loaded", metadata: ["units": "\(byUnit.count)"])
    }

    /// A refusal and the position of its denial-log record in the gate's write queue.
    package struct Refusal: Sendable {
        package var error: RPCError
        /// Pass to `recorded(_:)` to wait until the denial record is durable.
        package var ticket: UInt64
    }

    /// Why this request may not proceed, or nil. The denial record is queued for the unit
    /// store's log (in order); callers that must not answer before it is durable use
    /// `checked(...)` or `decide(...)` and `recorded(_:)`.
    package func refusal(unitCode: String, staff: String, itemCode: String, caseReference: String, typeCode: String) -> RPCError? {
        decide(unitCode: unitCode, staff: staff, itemCode: itemCode, caseReference: caseReference, typeCode: typeCode)?.error
    }

    /// Why this request may not proceed (nil if it may), once the denial record is durable.
    package func checked(unitCode: String, staff: String, itemCode: String, caseReference: String, typeCode: String) async -> RPCError? {
        guard let refusal = decide(unitCode: unitCode, staff: staff, itemCode: itemCode, caseReference: caseReference, typeCode: typeCode) else {
            return nil
        }
        await recorded(refusal.ticket)
        return refusal.error
    }

    /// The decision, with the ticket of the queued denial record when refused.
    package func decide(unitCode: String, staff: String, itemCode: String, caseReference: String, typeCode: String) -> Refusal? {
        let moment = now()
        guard let unit = try? UnifiedSocialCreditCode.parse(unitCode, field: "unit") else {
            return Refusal(error: RPCError(.permissionDenied, "the connection's unit \(unitCode) has no item list"), ticket: 0)
        }
        let versions = lists.withLock { $0[unitCode] ?? [] }
        switch AccessPolicy.decide(unit: unit, licenceType: typeCode, itemCode: itemCode, at: moment, versions: versions) {
        case .denied(let denial):
            let ticket = record(kind: .denial, reason: denial.code, message: denial.message, unitCode: unitCode, staff: staff,
                                itemCode: itemCode, caseReference: caseReference, typeCode: typeCode, at: moment)
            return Refusal(error: RPCError(.permissionDenied, denial.message), ticket: ticket)
        case .allowed:
            break
        }
        if let breach = limiter.withLock({ $0?.admit(unit: unitCode, staffID: staff, caseReference: caseReference, at: moment) }) {
            let ticket = record(kind: .breach, reason: breach.code, message: breach.message, unitCode: unitCode, staff: staff,
                                itemCode: itemCode, caseReference: caseReference, typeCode: typeCode, at: moment)
            return Refusal(error: RPCError(.resourceExhausted, breach.message), ticket: ticket)
        }
        return nil
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

    private func record(kind: DenialRecord.Kind, reason: String, message: String, unitCode: String, staff: String,
                        itemCode: String, caseReference: String, typeCode: String, at moment: Date) -> UInt64 {
        let entry = DenialRecord(at: moment, unitCode: unitCode, staffID: staff, itemCode: itemCode, caseReference: caseReference,
                                 typeCode: typeCode, kind: kind, reason: reason, message: message)
        return denials.enqueue(entry)
    }
}
