package import Foundation
import NoProofDomain
package import NoProofUnits

/// What a unit's item lists show as of the end of a report period — the data behind the
/// Art. 16 (1), (3), (4) and (7) flags. Pure: built from the unit and its list history.
package struct UnitListFacts: Hashable, Sendable {
    /// Whether the list rules apply: an active unit that is not the task force office, and not an
    /// issuing unit only (one that issues licence types or is named by other units' lists for
    /// department verification and never had a list version of its own).
    package var takesPart: Bool
    /// The version of the published list in force at the period's end, nil without one.
    package var versionInForce: Int?
    /// Items of the list in force.
    package var itemsInForce: Int
    /// Items in force that obtain at least one proof through the system (data sharing or
    /// department verification): the items for which the unit must use it.
    package var itemsUsingSystem: Int
    /// Declared changes (distinct kind, item, proof) of versions newer than the one in force,
    /// whose cause arose more than the stale period before the period's end: the list in force is
    /// older than changes the unit itself declared.
    package var staleChanges: Int

    package init(takesPart: Bool, versionInForce: Int?, itemsInForce: Int, itemsUsingSystem: Int, staleChanges: Int) {
        self.takesPart = takesPart
        self.versionInForce = versionInForce
        self.itemsInForce = itemsInForce
        self.itemsUsingSystem = itemsUsingSystem
        self.staleChanges = staleChanges
    }

    /// The facts of `unit` with `history` (all its versions) as of `end` (the instant the period
    /// ends, or now while it runs); a change is stale when its cause date is before `end`'s civil
    /// day minus `staleDays`. `issuingUnits`: the codes of the issuing units (see `takesPart`).
    package static func make(
        unit: ServiceUnit, history: [ItemListVersion], asOf end: Date, staleDays: Int,
        issuingUnits: Set<String> = []
    ) -> UnitListFacts {
        let own = history.filter { $0.unitCode == unit.code }
        let issuingOnly = own.isEmpty && issuingUnits.contains(unit.code.value)
        let inForce = ItemListVersion.inForce(among: own, at: end)
        let items = inForce?.items ?? []
        let usingSystem = items.filter { item in
            item.proofs.contains { proof in
                switch proof.method {
                case .dataSharing, .departmentVerification: true
                case .commitment, .cancelled, .excluded: false
                }
            }
        }.count
        let cutoff = CivilDate(end).adding(days: -staleDays)
        var stale = Set<String>()
        for version in own where version.version > (inForce?.version ?? 0) && !(version.status == .published && version.hasTakenEffect(at: end)) {
            for change in version.changes where change.causeDate < cutoff {
                stale.insert("\(change.kind.rawValue)|\(change.itemCode)|\(change.proofCode ?? "")")
            }
        }
        return UnitListFacts(
            takesPart: unit.active && !unit.isTaskForceOffice && !issuingOnly, versionInForce: inForce?.version,
            itemsInForce: items.count, itemsUsingSystem: usingSystem, staleChanges: stale.count)
    }
}

extension UnitListFacts {
    /// The units other units' lists name for department verification, among `histories`' published versions.
    package static func verificationIssuers(_ histories: [[ItemListVersion]]) -> Set<String> {
        var codes = Set<String>()
        for version in histories.joined() where version.status == .published {
            for item in version.items {
                for proof in item.proofs {
                    if case .departmentVerification(let unit) = proof.method { codes.insert(unit.value) }
                }
            }
        }
        return codes
    }
}
