package import Foundation
package import NoProofDomain
package import NoProofUnits

/// Seeds a `UnitStore` with `UnitDemoData`, and issues demo credentials.
package enum UnitDemoSeeding {
    /// What seeding did.
    package struct Outcome: Hashable, Sendable {
        /// Units created now (the others existed).
        package var unitsCreated: Int
        /// Lists taken through draft, submission, approval and publication now.
        package var listsPublished: Int
    }

    /// A credential issued for the local demo, with its secret (print it once).
    package struct IssuedCredential: Sendable {
        /// The unit.
        package var unit: ServiceUnit
        /// The stored credential.
        package var credential: Credential
        /// The secret, shown once.
        package var secret: String
        /// `id.secret`, what a client presents.
        package var token: String { Credential.token(id: credential.id, secret: secret) }
    }

    /// Creates the demo units with their staff and publishes their lists, skipping units that
    /// exist and units that already have list versions — running it twice changes nothing.
    /// Lists go through the real life cycle: drafted and submitted by agent-0001, approved by the
    /// task force office's supervisor, published, in force from `UnitDemoData.effectiveAt`.
    package static func seed(into store: any UnitStore) async throws(NoProofError) -> Outcome {
        var outcome = Outcome(unitsCreated: 0, listsPublished: 0)
        let at = UnitDemoData.preparedAt
        for unit in UnitDemoData.units where try await store.unit(code: unit.code) == nil {
            try await store.createUnit(unit, staff: UnitDemoData.staff(of: unit.code), at: at)
            outcome.unitsCreated += 1
        }
        guard try await store.taskForceOffice() != nil else {
            throw NoProofError(.conflict, "no task force office is registered; the demo lists cannot be approved")
        }
        let reviewer = UnitDemoData.staff(of: UnitDemoData.taskForce.code).first { $0.role == .supervisor }?.id ?? "supervisor-0001"
        for unit in UnitDemoData.units where try await store.listHistory(unit: unit.code).isEmpty {
            let items = UnitDemoData.items(of: unit.code)
            guard !items.isEmpty else { continue }
            let draft = try await store.createDraft(unit: unit.code, by: "agent-0001", at: at)
            _ = try await store.saveDraft(unit: unit.code, version: draft.version, items: items, changes: [], by: "agent-0001", at: at)
            _ = try await store.submitList(unit: unit.code, version: draft.version, by: "agent-0001", at: at.addingTimeInterval(3600))
            _ = try await store.approveList(
                unit: unit.code, version: draft.version, reviewerStaff: reviewer,
                at: at.addingTimeInterval(86_400), effectiveAt: UnitDemoData.effectiveAt)
            _ = try await store.publishList(
                unit: unit.code, version: draft.version, actor: "\(UnitDemoData.taskForce.code)/\(reviewer)",
                at: at.addingTimeInterval(86_400 + 3600))
            outcome.listsPublished += 1
        }
        return outcome
    }

    /// Issues one fresh credential per demo unit (not idempotent: each call adds credentials;
    /// secrets cannot be recovered later), valid for `validFor` seconds from `now`.
    package static func issueCredentials(
        into store: any UnitStore, now: Date, validFor: TimeInterval = 365 * 86_400,
        rounds: Int = CredentialHash.defaultRounds
    ) async throws(NoProofError) -> [IssuedCredential] {
        var issued: [IssuedCredential] = []
        for unit in UnitDemoData.units {
            let result: (credential: Credential, secret: String)
            do {
                result = try Credential.issue(
                    unitCode: unit.code, label: "demo", issuedBy: "supervisor-0001", issuedAt: now,
                    expiresAt: now.addingTimeInterval(validFor), rounds: rounds)
            } catch {
                throw NoProofError.invalid(error)
            }
            try await store.insertCredential(result.credential)
            issued.append(IssuedCredential(unit: unit, credential: result.credential, secret: result.secret))
        }
        return issued
    }
}
