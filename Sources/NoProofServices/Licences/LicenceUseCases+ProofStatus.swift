import Foundation
import NoProofAuditChain
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
import NoProofLibrary
import NoProofMessages
package import NoProofSeals
import NoProofLicenceStore
import Logging
import NoProofProtocol

/// GetProofStatus (the provincial platforms' verifyCertInfo): the current status of a proof the
/// caller holds, signed by the data-sharing seal key (`ProofStatusStatement`).
///
/// The caller sends the sealed proof itself; the server checks the seal with every published key
/// (current and retired) and reads serial, licence and version from the body, so it states
/// nothing about a proof it did not seal. Any authenticated unit may ask (holding the proof is
/// the purpose); the citizen portal may not (`Caller`). Every call is audited as
/// `ProofStatus` with the holder, licence, serial and the status answered, and the answer leaves
/// only once that record is durable. The body is read as the `ProofBody` message the seal covers.
extension LicenceUseCases {
    /// A proof as its holder sends it: the sealed body and its seal.
    package struct HeldProof: Sendable {
        package var body: [UInt8]
        package var seal: Seal

        package init(body: [UInt8], seal: Seal) {
            self.body = body
            self.seal = seal
        }
    }

    /// The status statement and its data-sharing seal.
    package struct SignedStatus: Sendable {
        package var statement: ProofStatusStatement
        package var seal: Seal
    }

    package func proofStatus(_ proof: HeldProof?, caller: Caller) async throws -> SignedStatus {
        let checkedAt = millis()
        var record = AuditRecord(
            atMillis: checkedAt, unitCode: caller.unit.unitCode, credentialID: caller.unit.credentialID,
            staff: Self.actingStaff(caller), action: .proofStatus, itemCode: "", caseReference: "",
            holderID: "", typeCode: "", result: .unset)
        let statement: ProofStatusStatement
        do {
            let (proof, body) = try verifiedProof(proof)
            record.proofSerial = String(body.proofSerial.prefix(64))
            if let licence = body.licence {
                record.licenceID = String(licence.licenceID.prefix(128))
                record.typeCode = String(licence.typeCode.prefix(32))
                record.holderID = (try? Holder.parse(licence.holderID, field: "holder_id"))?.key ?? String(licence.holderID.prefix(64))
            }
            statement = try await status(of: body, digest: ProofStatusStatement.digest(ofBody: proof.body), checkedAt: checkedAt)
        } catch {
            record.result = Self.failureResult(error)
            _ = try? await audit.append(record)
            throw error
        }
        record.result = AuditResult(rawValue: statement.status)
        do {
            _ = try await audit.append(record)
        } catch {
            logger.error("audit write failed; proof status withheld", metadata: ["error": "\(error)"])
            throw NoProofError(.unavailable, "the status check could not be recorded in the audit trail; retry")
        }
        let seal = statement.sign(with: keyring)
        logger.debug("proof status", metadata: ["serial": "\(statement.proofSerial)", "status": "\(statement.status)"])
        return SignedStatus(statement: statement, seal: seal)
    }

    /// The proof and its body if its seal verifies with a published key and the body names that
    /// key's seal; `invalid` otherwise.
    private func verifiedProof(_ proof: HeldProof?) throws(NoProofError) -> (HeldProof, APIProofBody) {
        guard let proof, !proof.body.isEmpty else {
            throw .invalid("proof", "required: the sealed proof as obtained (a file saved by 'noproof lookup --out')")
        }
        let key: SealPublicKey
        do {
            key = try SealVerifier(keys: keyring.publicKeys).verify(body: proof.body, seal: proof.seal)
        } catch {
            throw .invalid(
                "proof", "the seal does not verify with this server's published keys (\(error.reason)); no status is given for an altered or foreign proof")
        }
        let body: APIProofBody
        do {
            body = try ProtoCodec.decode(APIProofBody.self, from: proof.body)
        } catch {
            throw .invalid("proof", "the sealed body is not a proof body")
        }
        guard body.sealKind == key.kind.rawValue else {
            throw .invalid("proof", "the body says seal \(body.sealKind.prefix(40)) but it was sealed with the \(key.kind.rawValue) key")
        }
        return (proof, body)
    }

    /// What the library knows now about the licence a verified proof attests.
    private func status(of body: APIProofBody, digest: [UInt8], checkedAt: Int64) async throws(NoProofError) -> ProofStatusStatement {
        let licence = body.licence ?? LicenceMessage()
        var statement = ProofStatusStatement(
            proofDigest: digest, proofSerial: body.proofSerial, licenceID: licence.licenceID,
            proofVersion: licence.version, status: "", currentVersion: 0, changedAtMillis: 0,
            reason: "", checkedAtMillis: checkedAt)
        let id = try? LicenceIdentifier.parse(licence.licenceID, field: "licence_id")
        let versions: [Licence]
        if let id {
            versions = try await library.store.versions(of: id)
        } else {
            versions = []
        }
        guard let id, let current = versions.last else {
            if body.sealKind == SealKind.verification.rawValue {
                statement.status = "not_checkable"
                statement.reason =
                    "a department-verification proof: its seal and serial \(body.proofSerial) are this server's, and "
                    + "\(body.producingUnitName) (\(body.producingUnitCode)) verified the record at the time of the proof; "
                    + "the licence is not held in the licence library, so whether it is still valid cannot be checked online: "
                    + "ask \(body.producingUnitName) by a new verification request"
            } else {
                statement.status = "licence_not_found"
                statement.reason = "licence \(licence.licenceID.prefix(128)) is no longer in the licence library"
            }
            return statement
        }
        statement.currentVersion = UInt32(clamping: current.version)
        let lastChange: LicenceStatusChange?
        lastChange = try await library.store.statusChanges(of: id).last { $0.to == current.status }
        switch current.status {
        case .revoked, .suspended, .expired:
            statement.status = "licence_" + current.status.rawValue
            statement.changedAtMillis = lastChange.flatMap { Timestamp.millis($0.changedAt) } ?? 0
            statement.reason = lastChange?.reason ?? ""
            return statement
        default:
            break
        }
        if current.version > Int(licence.version) {
            statement.status = "superseded"
            let supersessions: [Int: (at: String, reason: String)]
            supersessions = try await library.store.supersessions(of: id)
            let ended = supersessions[Int(licence.version)]
            statement.changedAtMillis = ended.flatMap { Timestamp.millis($0.at) } ?? 0
            statement.reason = "version \(current.version) is in force" + (ended.map { $0.reason.isEmpty ? "" : ": \($0.reason)" } ?? "")
            return statement
        }
        if current.effectiveStatus(asOf: library.currentDay) == .expired {
            statement.status = "licence_expired"
            statement.reason = "valid to \(current.validTo.map { $0.description } ?? "?")"
            return statement
        }
        statement.status = "valid"
        return statement
    }
}
