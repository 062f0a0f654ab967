import Foundation
import NoProofDomain
import NoProofDemoData
import NoProofProtocol
import NoProofServer
import NoProofUnitStore
import NoProofUnits

/// What `noproofd --demo` sets up. The demo credentials are published in the README, which is
/// why demo mode listens on loopback only. They are stored credentials like any other (listed,
/// revocable, expiring ten years after the demo folder was made), all with the secret
/// `demo-secret`:
/// - one system credential per demo unit (`demo-water`, ...): a departmental system, which names
///   the acting staff member per call and cannot carry a person's authority;
/// - one staff credential per staff member (`demo-water/agent-0001`, `demo-taskforce/supervisor-0001`,
///   ...): that person signed in, needed to approve lists, answer verification, set staff;
/// - the citizen portal's `demo-citizen-portal`.
enum DemoSetup {
    static let secret = "demo-secret"
    /// PBKDF2 rounds of the demo credentials: their secret is published, so the slow hash
    /// protects nothing and would only slow the demo's first start.
    static let rounds = 10_000

    /// The demo units and the names of their system credentials.
    static let units: [(id: String, unit: ServiceUnit)] = [
        ("demo-taskforce", UnitDemoData.taskForce), ("demo-civil-affairs", UnitDemoData.civilAffairs),
        ("demo-real-estate", UnitDemoData.realEstate), ("demo-water", UnitDemoData.water),
        ("demo-bank", UnitDemoData.bank), ("demo-hospital", UnitDemoData.hospital),
        ("demo-university", UnitDemoData.university), ("demo-public-security", UnitDemoData.publicSecurity),
    ]

    static var systemCredentialIDs: [String] { units.map(\.id) + ["demo-citizen-portal"] }

    /// Every demo credential: (id, unit, kind, staff member).
    static var credentials: [(id: String, unit: UnifiedSocialCreditCode, kind: CredentialKind, staff: String?)] {
        var all: [(id: String, unit: UnifiedSocialCreditCode, kind: CredentialKind, staff: String?)] = []
        for (id, unit) in units {
            all.append((id, unit.code, .unit, nil))
            for member in UnitDemoData.staff(of: unit.code) {
                all.append(("\(id)/\(member.id)", unit.code, .staff, member.id))
            }
        }
        // The citizen portal (the app showing citizens who obtained their data), run for the task
        // force office: it may call only /noproof.v1.Supervision/WhoLooked and never acts as the office.
        all.append(("demo-citizen-portal", UnitDemoData.taskForce.code, .citizenPortal, nil))
        return all
    }

    /// Stores the demo credentials not stored yet (a revoked one stays revoked); returns how many
    /// were added.
    static func provisionCredentials(into store: any UnitStore, now: Date) async throws -> Int {
        var added = 0
        for entry in credentials where try await store.credential(id: entry.id) == nil {
            guard try await store.unit(code: entry.unit) != nil else { continue }
            let credential = Credential(
                id: entry.id, unitCode: entry.unit, secretHash: CredentialHash.make(secret: secret, rounds: rounds),
                label: "demo (published secret)", issuedAt: now, issuedBy: "demo", expiresAt: now.addingTimeInterval(3650 * 86_400),
                kind: entry.kind, staffID: entry.staff, source: "demo"
            )
            try await store.insertCredential(credential)
            added += 1
        }
        return added
    }

    /// A few demo holders to try lookups with (the generator is deterministic).
    static func examples(licences: Int) -> [DemoHolder] {
        let generator = DemoDataGenerator(licenceCount: licences)
        return (0..<min(10, generator.holderCount)).map { generator.holder(at: $0) }
    }
}
