import NoProofCodec
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

    private func units<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, as response: Response.Type, staff: String? = nil, timeout: Duration? = nil
    ) async throws -> Response {
        try await unary(.path("/noproof.v1.Units/\(method)"), request: request, as: response,
                        metadata: Self.staffMetadata(staff), timeout: timeout)
    }

    private func list(_ method: String, _ request: some ProtoMessage, staff: String?) async throws -> ItemList {
        let response = try await units(method, request, as: ItemListResponse.self, staff: staff)
        guard let list = response.list else { throw RPCError(.internal, "the server answered without the list") }
        return list
    }

    // MARK: Units and staff

    /// Every registered unit (no authentication needed).
    package func createUnit(_ unit: UnitInfo, staff: [StaffEntry], actingStaff: String?) async throws -> UnitInfo {
        let response = try await units("CreateUnit", CreateUnitRequest(unit: unit, staff: staff), as: GetUnitResponse.self, staff: actingStaff)
        guard let created = response.unit else { throw RPCError(.internal, "the server answered without the unit") }
        return created
    }

    package func updateUnit(_ unit: UnitInfo, actingStaff: String?) async throws -> UnitInfo {
        let response = try await units("UpdateUnit", UpdateUnitRequest(unit: unit), as: GetUnitResponse.self, staff: actingStaff)
        guard let changed = response.unit else { throw RPCError(.internal, "the server answered without the unit") }
        return changed
    }

    package func listUnits() async throws -> [UnitInfo] {
        try await units("ListUnits", ListUnitsRequest(), as: ListUnitsResponse.self).units
    }

    package func unit(code: String) async throws -> UnitInfo {
        guard let unit = try await units("GetUnit", GetUnitRequest(unitCode: code), as: GetUnitResponse.self).unit else {
            throw RPCError(.internal, "the server answered without the unit")
        }
        return unit
    }

    /// A unit's staff ("" = the connection's own unit).
    package func staff(of unitCode: String, includeInactive: Bool = false) async throws -> ListStaffResponse {
        try await units("ListStaff", ListStaffRequest(unitCode: unitCode, includeInactive: includeInactive), as: ListStaffResponse.self)
    }

    /// Replaces a unit's whole staff set; members left out are deactivated.
    package func setStaff(of unitCode: String, to staff: [StaffEntry], actingStaff: String? = nil) async throws -> ListStaffResponse {
        try await units("SetStaff", SetStaffRequest(unitCode: unitCode, staff: staff), as: ListStaffResponse.self, staff: actingStaff)
    }

    // MARK: Credentials

    /// Task force: issues a credential; the answer holds the secret, shown this once.
    /// `kind` "" / "unit", or "citizen-portal" for the citizen portal's app. With `certificateSHA256` the
    /// credential is bound to that client certificate (mutual TLS) and no secret comes back.
    package func issueCredential(unitCode: String, label: String = "", expiresInDays: UInt32 = 0, kind: String = "",
                                 certificateSHA256: String = "", staffMember: String = "", staff: String?) async throws -> IssueCredentialResponse {
        try await units("IssueCredential", IssueCredentialRequest(unitCode: unitCode, label: label, expiresInDays: expiresInDays,
                                                                  kind: kind, certificateSha256: certificateSHA256, staffID: staffMember),
                        as: IssueCredentialResponse.self, staff: staff)
    }

    package func revokeCredential(id: String, reason: String, staff: String?) async throws -> CredentialInfo {
        let response = try await units("RevokeCredential", RevokeCredentialRequest(credentialID: id, reason: reason),
                                       as: CredentialResponse.self, staff: staff)
        guard let credential = response.credential else { throw RPCError(.internal, "the server answered without the credential") }
        return credential
    }

    /// Task force: credentials of one unit, or of all when `unitCode` is "".
    package func credentials(of unitCode: String = "") async throws -> [CredentialInfo] {
        try await units("ListCredentials", ListCredentialsRequest(unitCode: unitCode), as: ListCredentialsResponse.self).credentials
    }

    /// Task force: the most recent refused proof requests and limit breaches.
    package func denials(of unitCode: String = "", limit: UInt32 = 0) async throws -> [DenialEntry] {
        try await units("ListDenials", ListDenialsRequest(unitCode: unitCode, limit: limit), as: ListDenialsResponse.self).denials
    }

    // MARK: Item lists

    /// A unit's list in force and its versions (no authentication needed).
    package func itemList(of unitCode: String) async throws -> GetItemListResponse {
        try await units("GetItemList", GetItemListRequest(unitCode: unitCode), as: GetItemListResponse.self)
    }

    /// What the applicant must bring for one item of a unit's published list in force ("" = the calling unit).
    package func showItem(_ itemCode: String, unitCode: String = "") async throws -> ShowItemResponse {
        try await units("ShowItem", ShowItemRequest(itemCode: itemCode, unitCode: unitCode), as: ShowItemResponse.self)
    }

    package func createDraft(unitCode: String, staff: String?) async throws -> ItemList {
        try await list("CreateDraft", CreateDraftRequest(unitCode: unitCode), staff: staff)
    }

    package func saveDraft(unitCode: String, version: UInt32, items: [ListItem], changes: [DeclaredChange],
                           staff: String?) async throws -> ItemList {
        try await list("SaveDraft", SaveDraftRequest(unitCode: unitCode, version: version, items: items, changes: changes), staff: staff)
    }

    package func submitList(unitCode: String, version: UInt32, staff: String?) async throws -> ItemList {
        try await list("SubmitList", ListVersionRequest(unitCode: unitCode, version: version), staff: staff)
    }

    /// Task force supervisor: approves, effective at `effectiveAtMillis` (0 = now).
    package func approveList(unitCode: String, version: UInt32, effectiveAtMillis: Int64 = 0, staff: String?) async throws -> ItemList {
        try await list("ApproveList", ApproveListRequest(unitCode: unitCode, version: version, effectiveAtMillis: effectiveAtMillis), staff: staff)
    }

    package func rejectList(unitCode: String, version: UInt32, reason: String, staff: String?) async throws -> ItemList {
        try await list("RejectList", RejectListRequest(unitCode: unitCode, version: version, reason: reason), staff: staff)
    }

    package func reopenList(unitCode: String, version: UInt32, staff: String?) async throws -> ItemList {
        try await list("ReopenList", ListVersionRequest(unitCode: unitCode, version: version), staff: staff)
    }

    package func publishList(unitCode: String, version: UInt32, staff: String?) async throws -> ItemList {
        try await list("PublishList", ListVersionRequest(unitCode: unitCode, version: version), staff: staff)
    }

    /// Bulk-loads lists from the text of a JSON or CSV file ("" format = guess from the text).
    package func loadItemLists(text: String, format: String = "", staff: String?,
                               timeout: Duration? = .seconds(120)) async throws -> LoadItemListsResponse {
        try await units("LoadItemLists", LoadItemListsRequest(format: format, text: text), as: LoadItemListsResponse.self,
                        staff: staff, timeout: timeout)
    }
}

/// The working-day calendar (noproof.v1.Units, methods 100-101).
extension NoProofClient {
    /// The published years in force (or `year` alone; with `history` every version), and the
    /// office hours. No authentication needed.
    package func calendar(year: Int = 0, history: Bool = false) async throws -> GetCalendarResponse {
        try await unary(.path("/noproof.v1.Units/GetCalendar"), request: GetCalendarRequest(year: Int32(clamping: year), history: history),
                        as: GetCalendarResponse.self)
    }

    /// Task force: publishes (or corrects) one year; returns it with its new version.
    package func publishCalendarYear(_ year: CalendarYearInfo, actingStaff: String?) async throws -> CalendarYearInfo {
        var metadata: Metadata = [:]
        if let actingStaff, !actingStaff.isEmpty { metadata["staff"] = actingStaff }
        let response = try await unary(.path("/noproof.v1.Units/PublishCalendarYear"), request: PublishCalendarYearRequest(year: year),
                                       as: PublishCalendarYearResponse.self, metadata: metadata)
        guard let published = response.year else { throw RPCError(.internal, "the server answered without the year") }
        return published
    }
}
