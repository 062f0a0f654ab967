package import Foundation
package import NoProofDomain

/// Purpose-bound access control from the published lists (Art. 5, 7): a unit may look up a
/// licence type for a service item only when that item is in the unit's published list in force
/// at the time and lists the type as obtained by data sharing. Pure functions.
package enum AccessPolicy {
    /// Decides whether `unit` may look up `licenceType` for item `itemCode` at `time`.
    /// - Parameter listInForce: the unit's list in force at `time` (for example from
    ///   `UnitStore.versionInForce`); a version of another unit, not published or not yet
    ///   effective counts as none.
    package static func decide(
        unit: UnifiedSocialCreditCode, licenceType: String, itemCode: String, at time: Date,
        listInForce: ItemListVersion?
    ) -> AccessDecision {
        guard let list = listInForce, list.unitCode == unit, list.hasTakenEffect(at: time) else {
            return .denied(.noListInForce(unit: unit))
        }
        guard let item = list.item(itemCode) else { return .denied(.unknownItem(item: itemCode)) }
        guard let proof = item.proof(licenceType) else { return .denied(.typeNotListed(type: licenceType, item: itemCode)) }
        switch proof.method {
        case .dataSharing: return .allowed(listVersion: list.version, item: item)
        case .excluded(let reason): return .denied(.excluded(type: licenceType, item: itemCode, reason: reason))
        case .cancelled: return .denied(.cancelled(type: licenceType, item: itemCode))
        case .commitment, .departmentVerification:
            return .denied(.methodNotDataSharing(type: licenceType, item: itemCode, actual: proof.method))
        }
    }

    /// Decides using all of the unit's versions, selecting the one in force at `time`.
    package static func decide(
        unit: UnifiedSocialCreditCode, licenceType: String, itemCode: String, at time: Date,
        versions: [ItemListVersion]
    ) -> AccessDecision {
        let own = versions.filter { $0.unitCode == unit }
        return decide(
            unit: unit, licenceType: licenceType, itemCode: itemCode, at: time,
            listInForce: ItemListVersion.inForce(among: own, at: time))
    }
}
