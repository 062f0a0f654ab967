package import Foundation
package import NoProofDomain
package import NoProofUnits

/// The item-list steps of `UnitStore` — save, submit, approve, reject, reopen, publish — written
/// once over a backend's one transactional primitive, `applyListEvent`: each step is the same
/// `ItemListEvent` whichever store keeps the versions (SQLite, PostgreSQL), at millisecond times.
package protocol ItemListSteps: Sendable {
    /// Applies the event `makeEvent` builds (given the task force office when `reviewer`) to
    /// version `version` of `unit`, in one transaction that also checks `actor` as an active member
    /// of the unit, or of the task force office when `reviewer` (no check when `actor` is nil), and
    /// stores the result.
    func applyListEvent(
        unit: UnifiedSocialCreditCode, version: Int, actor: String?, reviewer: Bool,
        _ makeEvent: @Sendable @escaping (ServiceUnit?) -> ItemListEvent
    ) async throws(NoProofError) -> ItemListVersion
}

extension ItemListSteps {
    package func saveDraft(
        unit: UnifiedSocialCreditCode, version: Int, items: [ServiceItem], changes: [ListChange],
        by staffID: String, at time: Date
    ) async throws(NoProofError) -> ItemListVersion {
        let at = UnitStoreCoding.truncated(time)
        return try await applyListEvent(unit: unit, version: version, actor: staffID, reviewer: false) { _ in
            .edit(items: items, changes: changes, by: staffID, at: at)
        }
    }

    package func submitList(unit: UnifiedSocialCreditCode, version: Int, by staffID: String, at time: Date) async throws(NoProofError)
        -> ItemListVersion
    {
        let at = UnitStoreCoding.truncated(time)
        return try await applyListEvent(unit: unit, version: version, actor: staffID, reviewer: false) { _ in .submit(by: staffID, at: at) }
    }

    package func approveList(
        unit: UnifiedSocialCreditCode, version: Int, reviewerStaff: String, at time: Date,
        effectiveAt: Date
    ) async throws(NoProofError) -> ItemListVersion {
        let at = UnitStoreCoding.truncated(time)
        let effective = UnitStoreCoding.truncated(effectiveAt)
        return try await applyListEvent(unit: unit, version: version, actor: reviewerStaff, reviewer: true) { office in
            .approve(reviewer: ListReviewer(unit: office!, staffID: reviewerStaff), at: at, effectiveAt: effective)
        }
    }

    package func rejectList(
        unit: UnifiedSocialCreditCode, version: Int, reviewerStaff: String, at time: Date,
        reason: String
    ) async throws(NoProofError) -> ItemListVersion {
        let at = UnitStoreCoding.truncated(time)
        return try await applyListEvent(unit: unit, version: version, actor: reviewerStaff, reviewer: true) { office in
            .reject(reviewer: ListReviewer(unit: office!, staffID: reviewerStaff), at: at, reason: reason)
        }
    }

    package func reopenList(unit: UnifiedSocialCreditCode, version: Int, by staffID: String, at time: Date) async throws(NoProofError)
        -> ItemListVersion
    {
        let at = UnitStoreCoding.truncated(time)
        return try await applyListEvent(unit: unit, version: version, actor: staffID, reviewer: false) { _ in .reopen(by: staffID, at: at) }
    }

    package func publishList(unit: UnifiedSocialCreditCode, version: Int, actor: String, at time: Date) async throws(NoProofError)
        -> ItemListVersion
    {
        let at = UnitStoreCoding.truncated(time)
        return try await applyListEvent(unit: unit, version: version, actor: nil, reviewer: false) { _ in .publish(by: actor, at: at) }
    }
}
