import NoProofDomain
import Foundation
import Testing
@testable import NoProofUnits

@Suite("Credentials")
struct CredentialTests {
    static let rounds = 1_000
    let issued = Fixtures.cst(2026, 3, 1)
    let expires = Fixtures.cst(2027, 3, 1)

    func issue() throws -> (credential: Credential, secret: String) {
        try Credential.issue(
            unitCode: Fixtures.waterCode, label: "营业厅系统", issuedBy: "supervisor-0001",
            issuedAt: issued, expiresAt: expires, rounds: Self.rounds)
    }

    @Test func issuedSecretVerifiesAndIsNotStored() throws {
        let (credential, secret) = try issue()
        #expect(credential.id.hasPrefix("cred_"))
        #expect(Base64URL.decode(secret)?.count == 32)
        #expect(credential.check(secret: secret, at: Fixtures.cst(2026, 6, 1)) == .valid)
        #expect(!credential.secretHash.encoded.contains(secret))
        #expect(credential.secretHash.rounds == Self.rounds)
        #expect(credential.secretHash.salt.count == 16)
        let reparsed = try CredentialHash.parse(credential.secretHash.encoded)
        #expect(reparsed == credential.secretHash)
        #expect(reparsed.matches(secret: secret))
    }

    @Test func twoIssuesDifferInIDSecretAndSalt() throws {
        let a = try issue(), b = try issue()
        #expect(a.credential.id != b.credential.id)
        #expect(a.secret != b.secret)
        #expect(a.credential.secretHash.salt != b.credential.secretHash.salt)
    }

    @Test func wrongSecretIsRefused() throws {
        let (credential, secret) = try issue()
        #expect(credential.check(secret: secret + "x", at: issued) == .wrongSecret)
        #expect(credential.check(secret: "", at: issued) == .wrongSecret)
        #expect(credential.check(secret: String(secret.dropLast()) + (secret.hasSuffix("A") ? "B" : "A"), at: issued) == .wrongSecret)
    }

    @Test func expiredCredentialIsRefused() throws {
        let (credential, secret) = try issue()
        #expect(credential.check(secret: secret, at: expires) == .expired(expires))
        #expect(!credential.isUsable(at: expires))
        #expect(credential.isUsable(at: issued))
    }

    @Test func revokedCredentialIsRefusedAndCannotBeRevokedTwice() throws {
        let (credential, secret) = try issue()
        let revokedAt = Fixtures.cst(2026, 4, 1)
        let revoked = try credential.revoked(at: revokedAt, by: "supervisor-0001", reason: "系统下线")
        #expect(revoked.check(secret: secret, at: Fixtures.cst(2026, 4, 2)) == .revoked(revokedAt))
        #expect(revoked.check(secret: secret, at: Fixtures.cst(2026, 3, 15)) == .valid)
        #expect(throws: ValidationError.self) { try revoked.revoked(at: revokedAt, by: "x", reason: "again") }
        #expect(throws: ValidationError.self) { try credential.revoked(at: revokedAt, by: "x", reason: " ") }
    }

    @Test func issueRefusesAnExpiryNotAfterIssue() {
        #expect(throws: ValidationError(field: "expires_at", reason: "expiry must be after the issue time \(issued)")) {
            try Credential.issue(unitCode: Fixtures.waterCode, issuedBy: "s", issuedAt: issued, expiresAt: issued, rounds: Self.rounds)
        }
    }

    @Test func tokenRoundTripsAndMalformedTokensAreRefused() throws {
        let (credential, secret) = try issue()
        let parsed = try Credential.parseToken(Credential.token(id: credential.id, secret: secret))
        #expect(parsed.id == credential.id && parsed.secret == secret)
        #expect(throws: ValidationError.self) { try Credential.parseToken("nodot") }
        #expect(throws: ValidationError.self) { try Credential.parseToken("cred_x.") }
        #expect(throws: ValidationError.self) { try Credential.parseToken("other.secret") }
    }

    @Test func constantTimeComparisonHandlesLengths() {
        #expect(CredentialHash.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!CredentialHash.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!CredentialHash.constantTimeEqual([1, 2], [1, 2, 3]))
        #expect(!CredentialHash.constantTimeEqual([], []))
    }

    @Test func malformedStoredHashesAreRefused() {
        #expect(throws: ValidationError.self) { try CredentialHash.parse("md5$1$a$b") }
        #expect(throws: ValidationError.self) { try CredentialHash.parse("pbkdf2-sha256$x$AAAA$AAAA") }
        #expect(throws: ValidationError.self) { try CredentialHash.parse("pbkdf2-sha256$10$AAAA$AAAA") }
    }
}
