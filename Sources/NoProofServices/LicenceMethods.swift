import NoProofProtocol

/// The licence library's RPC methods and their stable ids (10-29).
package enum LicenceMethods {
    static let service = "noproof.v1.Licences"

    package static let lookup = MethodDescriptor(
        service: service, method: "Lookup", id: 10,
        requestType: "noproof.v1.LookupRequest", responseType: "noproof.v1.LookupResponse",
        summary: "Sealed electronic proof of a holder's valid licence of a type (data sharing)"
    )
    package static let getLicence = MethodDescriptor(
        service: service, method: "GetLicence", id: 11,
        requestType: "noproof.v1.GetLicenceRequest", responseType: "noproof.v1.GetLicenceResponse",
        summary: "A licence by its identifier"
    )
    package static let checkLicence = MethodDescriptor(
        service: service, method: "CheckLicence", id: 12,
        requestType: "noproof.v1.CheckLicenceRequest", responseType: "noproof.v1.CheckLicenceResponse",
        summary: "Compares declared fields with the record, field by field, without disclosing it"
    )
    package static let getSealKeys = MethodDescriptor(
        service: service, method: "GetSealKeys", id: 13,
        requestType: "noproof.v1.GetSealKeysRequest", responseType: "noproof.v1.GetSealKeysResponse",
        requiresAuthentication: false, summary: "The published seal keys, to verify proofs offline"
    )
    package static let listLicenceTypes = MethodDescriptor(
        service: service, method: "ListLicenceTypes", id: 14,
        requestType: "noproof.v1.ListLicenceTypesRequest", responseType: "noproof.v1.ListLicenceTypesResponse",
        requiresAuthentication: false, summary: "The licence-type catalogue"
    )
    package static let issueLicence = MethodDescriptor(
        service: service, method: "IssueLicence", id: 15,
        requestType: "noproof.v1.IssueLicenceRequest", responseType: "noproof.v1.LicenceResponse",
        summary: "Issuing unit: add a licence"
    )
    package static let amendLicence = MethodDescriptor(
        service: service, method: "AmendLicence", id: 16,
        requestType: "noproof.v1.AmendLicenceRequest", responseType: "noproof.v1.LicenceResponse",
        summary: "Issuing unit: record a new version (the old one is kept)"
    )
    package static let suspendLicence = MethodDescriptor(
        service: service, method: "SuspendLicence", id: 17,
        requestType: "noproof.v1.ChangeLicenceStatusRequest", responseType: "noproof.v1.LicenceResponse",
        summary: "Issuing unit: suspend a licence"
    )
    package static let reinstateLicence = MethodDescriptor(
        service: service, method: "ReinstateLicence", id: 18,
        requestType: "noproof.v1.ChangeLicenceStatusRequest", responseType: "noproof.v1.LicenceResponse",
        summary: "Issuing unit: lift a suspension"
    )
    package static let revokeLicence = MethodDescriptor(
        service: service, method: "RevokeLicence", id: 19,
        requestType: "noproof.v1.ChangeLicenceStatusRequest", responseType: "noproof.v1.LicenceResponse",
        summary: "Issuing unit: revoke a licence (final)"
    )
    package static let importLicences = MethodDescriptor(
        service: service, method: "ImportLicences", id: 20,
        requestType: "noproof.v1.ImportLicencesRequest", responseType: "noproof.v1.ImportLicencesResponse",
        summary: "Issuing unit: bulk-load a batch of its export; idempotent"
    )
    package static let getProofStatus = MethodDescriptor(
        service: service, method: "GetProofStatus", id: 21,
        requestType: "noproof.v1.ProofStatusRequest", responseType: "noproof.v1.ProofStatusResponse",
        summary: "The current status of a sealed proof the caller holds (verifyCertInfo), signed by the server"
    )
}
