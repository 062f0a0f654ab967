import Foundation
import Testing
@testable import NoProofSeals

@Suite("Proof status statements")
struct ProofStatusStatementTests {
    static func statement() -> ProofStatusStatement {
        ProofStatusStatement(
            proofDigest: Array(repeating: 0xAB, count: 32), proofSerial: "P1-7", licenceID: "1.2.156.3005.2.X",
            proofVersion: 2, status: "licence_revoked", currentVersion: 2, changedAtMillis: 1_750_000_000_123,
            reason: "吊销", checkedAtMillis: 1_760_000_000_000)
    }

    @Test func theEncodingIsTheDocumentedOne() {
        var expected = Array("noproof.proof-status.v1".utf8) + [0]
        expected += [0, 0, 0, 32] + Array(repeating: 0xAB, count: 32)
        expected += [0, 0, 0, 4] + Array("P1-7".utf8)
        expected += [0, 0, 0, 16] + Array("1.2.156.3005.2.X".utf8)
        expected += [0, 0, 0, 2]
        expected += [0, 0, 0, 15] + Array("licence_revoked".utf8)
        expected += [0, 0, 0, 2]
        expected += [0x00, 0x00, 0x01, 0x97, 0x74, 0x20, 0xDC, 0x7B]  // 1_750_000_000_123
        expected += [0, 0, 0, 6] + Array("吊销".utf8)
        expected += [0x00, 0x00, 0x01, 0x99, 0xC8, 0x2C, 0xC0, 0x00]  // 1_760_000_000_000
        #expect(Self.statement().signedBytes == expected)
    }

    @Test func aSignedStatementVerifiesAndAnyChangedFieldDoesNot() throws {
        let directory = SealTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyring = try SealKeyring.openOrCreate(directory: directory)
        let statement = Self.statement()
        let seal = statement.sign(with: keyring)
        #expect(try statement.verify(keyID: seal.keyID, signature: seal.signature, keys: keyring.publicKeys).kind == .dataSharing)
        var changed = [statement, statement, statement, statement, statement]
        changed[0].status = "valid"
        changed[1].changedAtMillis += 1
        changed[2].proofDigest[31] ^= 1
        changed[3].currentVersion = 3
        changed[4].reason = ""
        for other in changed {
            #expect(throws: SealError.self) { try other.verify(keyID: seal.keyID, signature: seal.signature, keys: keyring.publicKeys) }
        }
        // Signed by the verification key: refused, a status answer is the data-sharing key's.
        let wrongKey = keyring.seal(statement.signedBytes, kind: .verification)
        #expect(throws: SealError.self) {
            try statement.verify(keyID: wrongKey.keyID, signature: wrongKey.signature, keys: keyring.publicKeys)
        }
    }
}
