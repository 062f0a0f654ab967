import Testing
import NoProofDomain
@testable import NoProofLicenceStore

/// The one rule both backends follow for suspending, reinstating and revoking.
@Suite struct LicenceStatusTransitionTests {
    @Test func whichStatusesEachChangeMayStartFrom() {
        let allowed: [LicenceStatusTransition: Set<LicenceStatus>] = [
            .suspend: [.valid, .expired],
            .reinstate: [.suspended],
            .revoke: [.valid, .expired, .suspended],
        ]
        for transition in LicenceStatusTransition.allCases {
            for status in [LicenceStatus.valid, .suspended, .revoked, .expired] {
                #expect(transition.isAllowed(from: status) == allowed[transition]!.contains(status), "\(transition) from \(status)")
            }
        }
        #expect(LicenceStatusTransition.allCases.map(\.target) == [.suspended, .valid, .revoked])
    }

    @Test func aRefusalIsAConflictNamingTheLicenceAndItsStatus() throws {
        let id = try LicenceIdentifier.make(typeCode: "JHZ", issuer: LicenceStoreBehaviour.jhz.issuerCode, serial: "2020000001")
        let refusal = LicenceStatusTransition.reinstate.refusal(id, from: .valid)
        #expect(refusal.code == .conflict)
        #expect(refusal.message == "licence \(id) is valid and cannot be reinstated")
    }
}
