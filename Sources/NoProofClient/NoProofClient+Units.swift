import NoProofCodec
package import NoProofMessages
import NoProofProtocol

/// Typed calls of the unit registry and the item lists (noproof.v1.Units). List actions, staff
/// changes and credential administration name the acting staff member with `staff` (sent as the
/// "staff" metadata entry).
extension NoProofClient {
    private static func staffMetadata(_ staff: String?) -> Metadata {
        var metadata: Metadata = [:]
        if let staff, !staff.isEmpty { metadata["staff"] = staff }
        return metadata
    }

    private func units<Request, Response>(
        _ method: UnaryMethod<Request, Response>, _ request: Request, as response: Response.Type = Response.self, staff: String? = nil,
        timeout: Duration? = nil
    ) async throws -> Response {
        try await unary(method, request: request, metadata: Self.staffMetadata(staff), timeout: timeout)
    }

    private func list<Request>(_ method: UnaryMethod<Request, APIItemListResponse>, _ request: Request, staff: String?) async throws -> APIItemList {
        let response = try await units(method, request, as: APIItemListResponse.self, staff: staff)
        guard let list = response.list else { throw RPCError(.internal, "the server answered without the list") }
        return list
    }

    // MARK: Units and staff

    /// Every registered unit (no authentication needed).
    package func createUnit(_ unit: APIUnitInfo, staff: [APIStaffEntry], actingStaff: String?) async throws -> APIUnitInfo {
        let response = try await units(UnitMethods.createUnit, APICreateUnitRequest(unit: unit, staff: staff), as: APIGetUnitResponse.self, staff: actingStaff)
        guard let created = response.unit else { throw RPCError(.internal, "the server answered without the unit") }
        return created
    }

    package func updateUnit(_ unit: APIUnitInfo, actingStaff: String?) async throws -> APIUnitInfo {
        let response = try await units(UnitMethods.updateUnit, APIUpdateUnitRequest(unit: unit), as: APIGetUnitResponse.self, staff: actingStaff)
        guard let changed = response.unit else { throw RPCError(.internal, "the server answered without the unit") }
        return changed
    }

    package func listUnits() async throws -> [APIUnitInfo] {
        try await units(UnitMethods.listUnits, APIListUnitsRequest(), as: APIListUnitsResponse.self).units
    }

    package func unit(code: String) async throws -> APIUnitInfo {
        guard let unit = try await units(UnitMethods.getUnit, APIGetUnitRequest(unitCode: code), as: APIGetUnitResponse.self).unit else {
            throw RPCError(.internal, "the server answered without the unit")
        }
        return unit
    }

    /// A unit's staff ("" = the connection's own unit).
    package func staff(of unitCode: String, includeInactive: Bool = false) async throws -> APIListStaffResponse {
        try await units(UnitMethods.listStaff, APIListStaffRequest(unitCode: unitCode, includeInactive: includeInactive), as: APIListStaffResponse.self)
    }

    /// Replaces a unit's whole staff set; members left out are deactivated.
    package func setStaff(of unitCode: String, to staff: [APIStaffEntry], actingStaff: String? = nil) async throws -> APIListStaffResponse {
        try await units(UnitMethods.setStaff, APISetStaffRequest(unitCode: unitCode, staff: staff), as: APIListStaffResponse.self, staff: actingStaff)
    }

    // MARK: Credentials

    /// Task force: issues a credential; the answer holds the secret, shown this once.
    /// `kind` "" / "unit", or "citizen-portal" for the citizen portal's app. With `certificateSHA256` the
    /// credential is bound to that client certificate (mutual TLS) and no secret comes back.
    package func issueCredential(
        unitCode: String, label: String = "", expiresInDays: UInt32 = 0, kind: String = "",
        certificateSHA256: String = "", staffMember: String = "", staff: String?
    ) async throws -> APIIssueCredentialResponse {
        try await units(
            UnitMethods.issueCredential,
            APIIssueCredentialRequest(
                unitCode: unitCode, label: label, expiresInDays: expiresInDays,
                kind: kind, certificateSha256: certificateSHA256, staffID: staffMember),
            as: APIIssueCredentialResponse.self, staff: staff)
    }

    package func revokeCredential(id: String, reason: String, staff: String?) async throws -> APICredentialInfo {
        let response = try await units(
            UnitMethods.revokeCredential, APIRevokeCredentialRequest(credentialID: id, reason: reason),
            as: APICredentialResponse.self, staff: staff)
        guard let credential = response.credential else { throw RPCError(.internal, "the server answered without the credential") }
        return credential
    }

    /// Task force: credentials of one unit, or of all when `unitCode` is "".
    package func credentials(of unitCode: String = "") async throws -> [APICredentialInfo] {
        try await units(UnitMethods.listCredentials, APIListCredentialsRequest(unitCode: unitCode), as: APIListCredentialsResponse.self).credentials
    }

    /// Task force: the most recent refused proof requests and limit breaches.
    package func denials(of unitCode: String = "", limit: UInt32 = 0) async throws -> [APIDenialEntry] {
        try await units(UnitMethods.listDenials, APIListDenialsRequest(unitCode: unitCode, limit: limit), as: APIListDenialsResponse.self).denials
    }

    // MARK: Item lists

    /// A unit's list in force and its versions (no authentication needed).
    package func itemList(of unitCode: String) async throws -> APIGetItemListResponse {
        try await units(UnitMethods.getItemList, APIGetItemListRequest(unitCode: unitCode), as: APIGetItemListResponse.self)
    }

    /// What the applicant must bring for one item of a unit's published list in force ("" = the calling unit).
    package func showItem(_ itemCode: String, unitCode: String = "") async throws -> APIShowItemResponse {
        try await units(UnitMethods.showItem, APIShowItemRequest(itemCode: itemCode, unitCode: unitCode), as: APIShowItemResponse.self)
    }

    package func createDraft(unitCode: String, staff: String?) async throws -> APIItemList {
        try await list(UnitMethods.createDraft, APICreateDraftRequest(unitCode: unitCode), staff: staff)
    }

    package func saveDraft(
        unitCode: String, version: UInt32, items: [APIListItem], changes: [APIDeclaredChange],
        staff: String?
    ) async throws -> APIItemList {
        try await list(UnitMethods.saveDraft, APISaveDraftRequest(unitCode: unitCode, version: version, items: items, changes: changes), staff: staff)
    }

    package func submitList(unitCode: String, version: UInt32, staff: String?) async throws -> APIItemList {
        try await list(UnitMethods.submitList, APIListVersionRequest(unitCode: unitCode, version: version), staff: staff)
    }

    /// Task force supervisor: approves, effective at `effectiveAtMillis` (0 = now).
    package func approveList(unitCode: String, version: UInt32, effectiveAtMillis: Int64 = 0, staff: String?) async throws -> APIItemList {
        try await list(UnitMethods.approveList, APIApproveListRequest(unitCode: unitCode, version: version, effectiveAtMillis: effectiveAtMillis), staff: staff)
    }

    package func rejectList(unitCode: String, version: UInt32, reason: String, staff: String?) async throws -> APIItemList {
        try await list(UnitMethods.rejectList, APIRejectListRequest(unitCode: unitCode, version: version, reason: reason), staff: staff)
    }

    package func reopenList(unitCode: String, version: UInt32, staff: String?) async throws -> APIItemList {
        try await list(UnitMethods.reopenList, APIListVersionRequest(unitCode: unitCode, version: version), staff: staff)
    }

    package func publishList(unitCode: String, version: UInt32, staff: String?) async throws -> APIItemList {
        try await list(UnitMethods.publishList, APIListVersionRequest(unitCode: unitCode, version: version), staff: staff)
    }

    /// Bulk-loads lists from the text of a JSON or CSV file ("" format = guess from the text).
    package func loadItemLists(
        text: String, format: String = "", staff: String?,
        timeout: Duration? = .seconds(120)
    ) async throws -> APILoadItemListsResponse {
        try await units(
            UnitMethods.loadItemLists, APILoadItemListsRequest(format: format, text: text), as: APILoadItemListsResponse.self,
            staff: staff, timeout: timeout)
    }
}

/// The working-day calendar (noproof.v1.Units, methods 100-101).
extension NoProofClient {
    /// The published years in force (or `year` alone; with `history` every version), and the
    /// office hours. No authentication needed.
    package func calendar(year: Int = 0, history: Bool = false) async throws -> APIGetCalendarResponse {
        try await unary(
            UnitMethods.getCalendar, request: APIGetCalendarRequest(year: Int32(clamping: year), history: history),
            as: APIGetCalendarResponse.self)
    }

    /// Task force: publishes (or corrects) one year; returns it with its new version.
    package func publishCalendarYear(_ year: APICalendarYearInfo, actingStaff: String?) async throws -> APICalendarYearInfo {
        var metadata: Metadata = [:]
        if let actingStaff, !actingStaff.isEmpty { metadata["staff"] = actingStaff }
        let response = try await unary(
            UnitMethods.publishCalendarYear, request: APIPublishCalendarYearRequest(year: year),
            as: APIPublishCalendarYearResponse.self, metadata: metadata)
        guard let published = response.year else { throw RPCError(.internal, "the server answered without the year") }
        return published
    }
}
