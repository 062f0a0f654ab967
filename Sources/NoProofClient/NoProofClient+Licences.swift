package import NoProofCodec
package import NoProofMessages
package import NoProofProtocol

/// Typed calls of the licence library (noproof.v1.Licences).
extension NoProofClient {
    package func lookup(holderID: String, typeCode: String, purpose: APIPurpose, metadata: Metadata = [:]) async throws -> APISealedProof {
        let response = try await unary(
            LicenceMethods.lookup,
            request: APILookupRequest(holderID: holderID, typeCode: typeCode, purpose: purpose),
            as: APILookupResponse.self, metadata: metadata)
        guard let proof = response.proof else { throw RPCError(.internal, "the server answered without a proof") }
        return proof
    }

    /// GetLicence: the licence `id` of the holder `holderID` (another holder's licence answers NOT_FOUND, like a miss).
    package func licence(id: String, holderID: String, purpose: APIPurpose? = nil, metadata: Metadata = [:]) async throws -> APILicence {
        try await licenceAnswer(id: id, holderID: holderID, purpose: purpose, metadata: metadata).licence
    }

    /// GetLicence with the keys of the data fields withheld (those the cited item does not need).
    package func licenceAnswer(
        id: String, holderID: String, purpose: APIPurpose? = nil,
        metadata: Metadata = [:]
    ) async throws -> (licence: APILicence, withheld: [String]) {
        let response = try await unary(
            LicenceMethods.getLicence,
            request: APIGetLicenceRequest(licenceID: id, holderID: holderID, purpose: purpose),
            as: APIGetLicenceResponse.self, metadata: metadata)
        guard let licence = response.licence else { throw RPCError(.internal, "the server answered without a licence") }
        return (licence, response.withheldFields)
    }

    package func check(
        holderID: String, typeCode: String, declared: [APILicenceField], purpose: APIPurpose? = nil,
        metadata: Metadata = [:]
    ) async throws -> APICheckLicenceResponse {
        try await unary(
            LicenceMethods.checkLicence,
            request: APICheckLicenceRequest(holderID: holderID, typeCode: typeCode, declared: declared, purpose: purpose),
            as: APICheckLicenceResponse.self, metadata: metadata)
    }

    /// GetProofStatus: the current status of `proof` (a proof this server sealed), signed by the
    /// server's data-sharing key; check the signature with `ProofStatusStatement` before relying on it.
    package func proofStatus(_ proof: APISealedProof, metadata: Metadata = [:]) async throws -> APIProofStatusResponse {
        try await unary(
            LicenceMethods.getProofStatus, request: APIProofStatusRequest(proof: proof),
            as: APIProofStatusResponse.self, metadata: metadata)
    }

    package func sealKeys() async throws -> APIGetSealKeysResponse {
        try await unary(LicenceMethods.getSealKeys, request: APIGetSealKeysRequest(), as: APIGetSealKeysResponse.self)
    }

    package func licenceTypes() async throws -> [APILicenceType] {
        try await unary(
            LicenceMethods.listLicenceTypes, request: APIListLicenceTypesRequest(),
            as: APIListLicenceTypesResponse.self
        ).types
    }

    package enum StatusChange: String, Sendable {
        case suspend = "SuspendLicence"
        case reinstate = "ReinstateLicence"
        case revoke = "RevokeLicence"

        /// The contract method of the change.
        package var method: UnaryMethod<APIChangeLicenceStatusRequest, APILicenceResponse> {
            switch self {
            case .suspend: LicenceMethods.suspendLicence
            case .reinstate: LicenceMethods.reinstateLicence
            case .revoke: LicenceMethods.revokeLicence
            }
        }
    }

    package func changeStatus(_ change: StatusChange, licenceID: String, reason: String, metadata: Metadata = [:]) async throws -> APILicence {
        let response = try await unary(
            change.method,
            request: APIChangeLicenceStatusRequest(licenceID: licenceID, reason: reason),
            as: APILicenceResponse.self, metadata: metadata)
        guard let licence = response.licence else { throw RPCError(.internal, "the server answered without a licence") }
        return licence
    }

    package func issue(_ licence: APILicence, metadata: Metadata = [:]) async throws -> APILicence {
        let response = try await unary(
            LicenceMethods.issueLicence, request: APIIssueLicenceRequest(licence: licence),
            as: APILicenceResponse.self, metadata: metadata)
        guard let issued = response.licence else { throw RPCError(.internal, "the server answered without a licence") }
        return issued
    }

    package func importLicences(_ licences: [APILicence], timeout: Duration? = .seconds(120)) async throws -> APIImportLicencesResponse {
        try await unary(
            LicenceMethods.importLicences, request: APIImportLicencesRequest(licences: licences),
            as: APIImportLicencesResponse.self, timeout: timeout)
    }
}

/// Operations calls (noproof.v1.Admin).
extension NoProofClient {
    package func stats() async throws -> APIGetStatsResponse {
        try await unary(AdminMethods.getStats, request: APIGetStatsRequest(), as: APIGetStatsResponse.self)
    }
}
