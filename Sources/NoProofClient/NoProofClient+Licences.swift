import NoProofCodec
import NoProofProtocol

/// Typed calls of the licence library (noproof.v1.Licences).
extension NoProofClient {
    package func lookup(holderID: String, typeCode: String, purpose: Purpose, metadata: Metadata = [:]) async throws -> SealedProof {
        let response = try await unary(
            LicenceMethods.lookup,
            request: LookupRequest(holderID: holderID, typeCode: typeCode, purpose: purpose),
            as: LookupResponse.self, metadata: metadata)
        guard let proof = response.proof else { throw RPCError(.internal, "the server answered without a proof") }
        return proof
    }

    /// GetLicence: the licence `id` of the holder `holderID` (another holder's licence answers NOT_FOUND, like a miss).
    package func licence(id: String, holderID: String, purpose: Purpose? = nil, metadata: Metadata = [:]) async throws -> Licence {
        try await licenceAnswer(id: id, holderID: holderID, purpose: purpose, metadata: metadata).licence
    }

    /// GetLicence with the keys of the data fields withheld (those the cited item does not need).
    package func licenceAnswer(
        id: String, holderID: String, purpose: Purpose? = nil,
        metadata: Metadata = [:]
    ) async throws -> (licence: Licence, withheld: [String]) {
        let response = try await unary(
            LicenceMethods.getLicence,
            request: GetLicenceRequest(licenceID: id, holderID: holderID, purpose: purpose),
            as: GetLicenceResponse.self, metadata: metadata)
        guard let licence = response.licence else { throw RPCError(.internal, "the server answered without a licence") }
        return (licence, response.withheldFields)
    }

    package func check(
        holderID: String, typeCode: String, declared: [LicenceField], purpose: Purpose? = nil,
        metadata: Metadata = [:]
    ) async throws -> CheckLicenceResponse {
        try await unary(
            LicenceMethods.checkLicence,
            request: CheckLicenceRequest(holderID: holderID, typeCode: typeCode, declared: declared, purpose: purpose),
            as: CheckLicenceResponse.self, metadata: metadata)
    }

    /// GetProofStatus: the current status of `proof` (a proof this server sealed), signed by the
    /// server's data-sharing key; check the signature with `ProofStatusStatement` before relying on it.
    package func proofStatus(_ proof: SealedProof, metadata: Metadata = [:]) async throws -> ProofStatusResponse {
        try await unary(
            LicenceMethods.getProofStatus, request: ProofStatusRequest(proof: proof),
            as: ProofStatusResponse.self, metadata: metadata)
    }

    package func sealKeys() async throws -> GetSealKeysResponse {
        try await unary(LicenceMethods.getSealKeys, request: GetSealKeysRequest(), as: GetSealKeysResponse.self)
    }

    package func licenceTypes() async throws -> [LicenceType] {
        try await unary(
            LicenceMethods.listLicenceTypes, request: ListLicenceTypesRequest(),
            as: ListLicenceTypesResponse.self
        ).types
    }

    package enum StatusChange: String, Sendable {
        case suspend = "SuspendLicence"
        case reinstate = "ReinstateLicence"
        case revoke = "RevokeLicence"

        /// The contract method of the change.
        package var method: UnaryMethod<ChangeLicenceStatusRequest, LicenceResponse> {
            switch self {
            case .suspend: LicenceMethods.suspendLicence
            case .reinstate: LicenceMethods.reinstateLicence
            case .revoke: LicenceMethods.revokeLicence
            }
        }
    }

    package func changeStatus(_ change: StatusChange, licenceID: String, reason: String, metadata: Metadata = [:]) async throws -> Licence {
        let response = try await unary(
            change.method,
            request: ChangeLicenceStatusRequest(licenceID: licenceID, reason: reason),
            as: LicenceResponse.self, metadata: metadata)
        guard let licence = response.licence else { throw RPCError(.internal, "the server answered without a licence") }
        return licence
    }

    package func issue(_ licence: Licence, metadata: Metadata = [:]) async throws -> Licence {
        let response = try await unary(
            LicenceMethods.issueLicence, request: IssueLicenceRequest(licence: licence),
            as: LicenceResponse.self, metadata: metadata)
        guard let issued = response.licence else { throw RPCError(.internal, "the server answered without a licence") }
        return issued
    }

    package func importLicences(_ licences: [Licence], timeout: Duration? = .seconds(120)) async throws -> ImportLicencesResponse {
        try await unary(
            LicenceMethods.importLicences, request: ImportLicencesRequest(licences: licences),
            as: ImportLicencesResponse.self, timeout: timeout)
    }
}

/// Operations calls (noproof.v1.Admin).
extension NoProofClient {
    package func stats() async throws -> GetStatsResponse {
        try await unary(AdminMethods.getStats, request: GetStatsRequest(), as: GetStatsResponse.self)
    }
}
