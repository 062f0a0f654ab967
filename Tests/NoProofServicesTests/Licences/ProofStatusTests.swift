import Foundation
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
import NoProofMessages
import NoProofProtocol
import NoProofSeals
import NoProofTestSupport
import Testing
@testable import NoProofServices
import NoProofAuditChain

/// GetProofStatus over loopback (issue 16): a proof saved before its licence changed says so
/// online, signed by the server; altered proofs and callers without a unit credential are refused.
@Suite("Proof status over loopback")
struct ProofStatusTests {
    /// The `n`th licence valid on the reference day, of a type whose database is connected, whose
    /// holder holds no other licence of its type (so a lookup finds exactly it).
    static func connectedLicence(_ n: Int) -> Licence {
        let connected = Set(LicenceTypeCatalogue.starter.filter(\.connected).map(\.code))
        var found: [Licence] = []
        var offset = 0
        while found.count <= n {
            let licence = LicenceServiceTests.validLicence(offset: offset)
            if connected.contains(licence.typeCode) { found.append(licence) }
            offset += 1
        }
        return found[n]
    }

    static func millisNow() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Checks the answer's signature with the server's published keys and that it is about `proof`.
    static func verified(_ answer: APIProofStatusResponse, for proof: APISealedProof, keys: [SealPublicKey]) throws -> ProofStatusStatement {
        let statement = ProofStatusStatement(
            proofDigest: answer.proofDigest, proofSerial: answer.proofSerial, licenceID: answer.licenceID,
            proofVersion: answer.proofVersion, status: answer.status, currentVersion: answer.currentVersion,
            changedAtMillis: answer.changedAtMillis, reason: answer.reason, checkedAtMillis: answer.checkedAtMillis
        )
        try statement.verify(keyID: answer.keyID, signature: answer.signature, keys: keys)
        #expect(answer.proofDigest == ProofStatusStatement.digest(ofBody: proof.body))
        return statement
    }

    @Test func aProofObtainedBeforeItsLicenceWasRevokedSaysSoWithTheTimeAndReason() async throws {
        try await LicenceServiceTests.withEnvironment { environment in
            let bank = try await environment.client()
            let taskForce = try await environment.client("tf")
            let licence = Self.connectedLicence(0)
            let proof = try await bank.lookup(
                holderID: licence.holder.key, typeCode: licence.typeCode,
                purpose: LicenceServiceTests.purpose, metadata: ["staff": "agent-9"])
            let serial = try ProtoCodec.decode(APIProofBody.self, from: proof.body).proofSerial

            let before = try await bank.proofStatus(proof, metadata: ["staff": "agent-9"])
            _ = try Self.verified(before, for: proof, keys: environment.keyring.publicKeys)
            #expect(before.status == "valid" && before.proofSerial == serial && before.licenceID == licence.id.description)
            #expect(before.proofVersion == UInt32(licence.version) && before.currentVersion == UInt32(licence.version))
            #expect(before.changedAtMillis == 0 && before.checkedAtMillis > 0)
            #expect(before.keyID == environment.keyring.publicKey(.dataSharing).id)

            let revokedFrom = Self.millisNow()
            _ = try await taskForce.changeStatus(.revoke, licenceID: licence.id.description, reason: "obtained by fraud")
            let revokedTo = Self.millisNow()
            let after = try await bank.proofStatus(proof)
            _ = try Self.verified(after, for: proof, keys: environment.keyring.publicKeys)
            #expect(after.status == "licence_revoked" && after.reason == "obtained by fraud")
            #expect(after.changedAtMillis >= revokedFrom && after.changedAtMillis <= revokedTo)

            // Audited like the other reads: who asked, about whom, which proof, what was answered.
            let records = try environment.audit.records().filter { $0.action == .proofStatus }
            #expect(records.map(\.result.rawValue) == ["valid", "licence_revoked"])
            #expect(
                records.allSatisfy {
                    $0.unitCode == LicenceServiceTests.bank.unitCode && $0.holderID == licence.holder.key
                        && $0.licenceID == licence.id.description && $0.proofSerial == serial && $0.typeCode == licence.typeCode
                })
            #expect(records.first?.staff == "agent-9")
            #expect(SupervisionService.dataActions.contains(.proofStatus))
            await bank.close()
            await taskForce.close()
        }
    }

    @Test func suspensionReinstatementAndANewVersionAreEachReported() async throws {
        try await LicenceServiceTests.withEnvironment { environment in
            let bank = try await environment.client()
            let taskForce = try await environment.client("tf")
            let licence = Self.connectedLicence(1)
            let id = licence.id.description
            let proof = try await bank.lookup(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: LicenceServiceTests.purpose)
            let keys = environment.keyring.publicKeys

            let suspendedFrom = Self.millisNow()
            _ = try await taskForce.changeStatus(.suspend, licenceID: id, reason: "under investigation")
            let suspended = try Self.verified(try await bank.proofStatus(proof), for: proof, keys: keys)
            #expect(suspended.status == "licence_suspended" && suspended.reason == "under investigation")
            #expect(suspended.changedAtMillis >= suspendedFrom)

            _ = try await taskForce.changeStatus(.reinstate, licenceID: id, reason: "cleared")
            #expect(try await bank.proofStatus(proof).status == "valid")

            let amendedFrom = Self.millisNow()
            let amended = try await taskForce.unary(
                .path("/noproof.v1.Licences/AmendLicence"),
                request: APIAmendLicenceRequest(licenceID: id, holderName: licence.holderName + "改", reason: "name corrected"),
                as: APILicenceResponse.self)
            let amendedTo = Self.millisNow()
            let newVersion = try #require(amended.licence).version
            let superseded = try Self.verified(try await bank.proofStatus(proof), for: proof, keys: keys)
            #expect(superseded.status == "superseded" && superseded.proofVersion == UInt32(licence.version))
            #expect(superseded.currentVersion == newVersion && newVersion == UInt32(licence.version) + 1)
            #expect(superseded.changedAtMillis >= amendedFrom && superseded.changedAtMillis <= amendedTo)
            #expect(superseded.reason.contains("name corrected"))

            // A proof obtained now attests the new version and is valid.
            let fresh = try await bank.lookup(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: LicenceServiceTests.purpose)
            let now = try await bank.proofStatus(fresh)
            #expect(now.status == "valid" && now.proofVersion == newVersion)
            await bank.close()
            await taskForce.close()
        }
    }

    @Test func aProofWhoseSealDoesNotHoldIsRefusedAndTheAnswerCannotBeAltered() async throws {
        try await LicenceServiceTests.withEnvironment { environment in
            let bank = try await environment.client()
            let licence = Self.connectedLicence(2)
            let proof = try await bank.lookup(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: LicenceServiceTests.purpose)

            var tampered = proof
            tampered.body[tampered.body.count / 2] ^= 0x01
            #expect(await failureCode { _ = try await bank.proofStatus(tampered) } == .invalidArgument)
            var badSignature = proof
            badSignature.signature[0] ^= 0x80
            #expect(await failureCode { _ = try await bank.proofStatus(badSignature) } == .invalidArgument)
            #expect(await failureCode { _ = try await bank.proofStatus(APISealedProof()) } == .invalidArgument)
            // Sealed by someone else's key (a forged seal with a key id the server does not publish).
            let temporary = try TemporaryDirectory(prefix: "noproof-foreign")
            defer { temporary.remove() }
            let foreign = try SealKeyring.openOrCreate(directory: temporary.url.appendingPathComponent("seals"))
            let forged = foreign.seal(proof.body, kind: .dataSharing)
            #expect(
                await failureCode {
                    _ = try await bank.proofStatus(APISealedProof(body: proof.body, keyID: forged.keyID, signature: forged.signature))
                } == .invalidArgument)
            do {
                _ = try await bank.proofStatus(tampered)
                Issue.record("an altered proof was given a status")
            } catch let error as RPCError {
                #expect(error.message.contains("seal does not verify"))
            }
            let refused = try environment.audit.records().filter { $0.action == .proofStatus }
            #expect(refused.count == 5 && refused.allSatisfy { $0.result == .invalidArgument })

            // The answer is bound to its fields and to the data-sharing key.
            let answer = try await bank.proofStatus(proof)
            let keys = environment.keyring.publicKeys
            _ = try Self.verified(answer, for: proof, keys: keys)
            var altered = answer
            altered.status = "licence_revoked"
            #expect(throws: SealError.self) { _ = try Self.verified(altered, for: proof, keys: keys) }
            altered = answer
            altered.checkedAtMillis += 1
            #expect(throws: SealError.self) { _ = try Self.verified(altered, for: proof, keys: keys) }
            #expect(throws: SealError.self) { _ = try Self.verified(answer, for: proof, keys: foreign.publicKeys) }
            await bank.close()
        }
    }

    @Test func onlyAnAuthenticatedUnitMayAskNotTheCitizenPortal() async throws {
        try await LicenceServiceTests.withEnvironment { environment in
            let bank = try await environment.client()
            let licence = Self.connectedLicence(3)
            let proof = try await bank.lookup(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: LicenceServiceTests.purpose)
            let anonymous = try await NoProofClient.connect(.init(port: environment.port))
            #expect(await failureCode { _ = try await anonymous.proofStatus(proof) } == .unauthenticated)
            let portal = try await environment.client("portal")
            #expect(await failureCode { _ = try await portal.proofStatus(proof) } == .permissionDenied)
            // Another unit than the one that obtained the proof may check it: holding it is the purpose.
            let taskForce = try await environment.client("tf")
            #expect(try await taskForce.proofStatus(proof).status == "valid")
            await anonymous.close()
            await portal.close()
            await taskForce.close()
            await bank.close()
        }
    }

    @Test func aDepartmentVerificationProofSaysWhatCannotBeCheckedOnline() async throws {
        try await LicenceServiceTests.withEnvironment { environment in
            let bank = try await environment.client()
            // As VerificationService seals an answer: no licence id, version or validity.
            let body = APIProofBody(
                proofSerial: "VR-1", sealKind: SealKind.verification.rawValue,
                licence: LicenceMessage(typeCode: "XWZS", holderID: "370404199306107807", holderName: "张三", status: "valid"),
                purpose: APIPurpose(itemCode: "MZ-HY-001", caseReference: "HY-1"),
                extractingUnitCode: LicenceServiceTests.bank.unitCode, extractingUnitName: "Bank",
                producingUnitCode: "12370000495570452X", producingUnitName: "University", extractedAtMillis: 1, staff: "agent-0002",
                verifierStaff: "agent-0001"
            )
            let bytes = ProtoCodec.encode(body)
            let seal = environment.keyring.seal(bytes, kind: .verification)
            let proof = APISealedProof(body: bytes, keyID: seal.keyID, signature: seal.signature)
            let answer = try await bank.proofStatus(proof)
            _ = try Self.verified(answer, for: proof, keys: environment.keyring.publicKeys)
            #expect(answer.status == "not_checkable" && answer.proofSerial == "VR-1" && answer.licenceID == "")
            #expect(answer.reason.contains("cannot be checked online") && answer.reason.contains("University"))
            #expect(answer.proofVersion == 0 && answer.currentVersion == 0 && answer.changedAtMillis == 0)
            // A body claiming the other seal than the key that sealed it is refused.
            var mislabelled = body
            mislabelled.sealKind = SealKind.dataSharing.rawValue
            let mislabelledBytes = ProtoCodec.encode(mislabelled)
            let mislabelledSeal = environment.keyring.seal(mislabelledBytes, kind: .verification)
            #expect(
                await failureCode {
                    _ = try await bank.proofStatus(APISealedProof(body: mislabelledBytes, keyID: mislabelledSeal.keyID, signature: mislabelledSeal.signature))
                } == .invalidArgument)
            await bank.close()
        }
    }
}
