import Foundation
import Logging
import NoProofDomain
import NoProofProtocol
import NoProofUnitStore
import NoProofUnits
import Synchronization

/// Purpose-bound access control (Art. 5, 16): a proof request must cite an item of the calling
/// unit's published list in force that obtains that licence type by data sharing, and stay within
/// the anti-harvesting limits. Decided in memory on the event loop; the published lists are
/// reloaded from the unit store whenever they change. Every refusal is also written to the unit
/// store's denial log for supervision.
package final class AccessGate: Sendable {
    private let store: any UnitStore
    private let lists: Mutex<[String: [ItemListVersion]]>
    /// Holds nil when there are no anti-harvesting limits (load tests). (An optional `Mutex`
    /// would be simpler, but optional chaining through a noncopyable `Mutex?` that is nil crashed
    /// at run time with Swift 6.3.)
    private let limiter: Mutex<RateLimiter?>
    private let now: @Sendable () -> Date
    private let logger: Logger

    package init(store: any UnitStore, limits: RateLimits? = .standard, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.store = store
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
        if publishingDue { _ = try await store.publishDue(at: moment) }
        var byUnit: [String: [ItemListVersion]] = [:]
        for unit in try await store.units() {
            byUnit[unit.code.value] = try await store.listHistory(unit: unit.code).filter { $0.status == .published }
        }
        lists.withLock { $0 = byUnit }
        logger.debug("item lists loaded", metadata: ["units": "\(byUnit.count)"])
    }

    /// Why this request may not proceed, or nil.
    package func refusal(unitCode: String, staff: String, itemCode: String, caseReference: String, typeCode: String) -> RPCError? {
        let moment = now()
        guard let unit = try? UnifiedSocialCreditCode.parse(unitCode, field: "unit") else {
            return RPCError(.permissionDenied, "the connection's unit \(unitCode) has no item list")
        }
        let versions = lists.withLock { $0[unitCode] ?? [] }
        switch AccessPolicy.decide(unit: unit, licenceType: typeCode, itemCode: itemCode, at: moment, versions: versions) {
        case .denied(let denial):
            record(kind: .denial, reason: denial.code, message: denial.message, unitCode: unitCode, staff: staff,
                   itemCode: itemCode, caseReference: caseReference, typeCode: typeCode, at: moment)
            return RPCError(.permissionDenied, denial.message)
        case .allowed:
            break
        }
        if let breach = limiter.withLock({ $0?.admit(unit: unitCode, staffID: staff, caseReference: caseReference, at: moment) }) {
            record(kind: .breach, reason: breach.code, message: breach.message, unitCode: unitCode, staff: staff,
                   itemCode: itemCode, caseReference: caseReference, typeCode: typeCode, at: moment)
            return RPCError(.resourceExhausted, breach.message)
        }
        return nil
    }

    private func record(kind: DenialRecord.Kind, reason: String, message: String, unitCode: String, staff: String,
                        itemCode: String, caseReference: String, typeCode: String, at moment: Date) {
        let entry = DenialRecord(at: moment, unitCode: unitCode, staffID: staff, itemCode: itemCode, caseReference: caseReference,
                                 typeCode: typeCode, kind: kind, reason: reason, message: message)
        let store = self.store
        let logger = self.logger
        Task {
            do {
                _ = try await store.appendDenial(entry)
            } catch {
                logger.error("could not record a denial", metadata: ["error": "\(error)"])
            }
        }
    }
}
