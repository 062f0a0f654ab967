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

    private func units<Request, Response>(
        _ method: UnaryMethod<Request, Response>, _ request: Request, as response: Response.Type = Response.self, staff: String? = nil,
        timeout: Duration? = nil
    ) async throws -> Response {
        try await unary(method, request: request, metadata: Self.staffMetadata(staff), timeout: timeout)
    }

    private func list<Request>(_ method: UnaryMethod<Request, ItemListResponse>, _ request: Request, staff: String?) async throws -> ItemList {
        let response = try await units(method, request, as: ItemListResponse.self, staff: staff)
        guard let list = response.list else { throw RPCError(.internal, "the server answered without the list") }
        return list
    }

    // MARK: Units and staff

    /// Every registered unit (no authentication needed).
    package func createUnit(_ unit: UnitInfo, staff: [StaffEntry], actingStaff: String?) async throws -> UnitInfo {
        let response = try await units(UnitMethods.createUnit, CreateUnitRequest(unit: unit, staff: staff), as: GetUnitResponse.self, staff: actingStaff)
        guard let created = response.unit else { throw RPCError(.internal, "the server answered without the unit") }
        return created
    }

    package func updateUnit(_ unit: UnitInfo, actingStaff: String?) async throws -> UnitInfo {
        let response = try await units(UnitMethods.updateUnit, UpdateUnitRequest(unit: unit), as: GetUnitResponse.self, staff: actingStaff)
        guard let changed = response.unit else { throw RPCError(.internal, "the server answered without the unit") }
        return changed
    }

    package func listUnits() async throws -> [UnitInfo] {
        try await units(UnitMethods.listUnits, ListUnitsRequest(), as: ListUnitsResponse.self).units
    }

    package func unit(code: String) async throws -> UnitInfo {
        guard let unit = try await units(UnitMethods.getUnit, GetUnitRequest(unitCode: code), as: GetUnitResponse.self).unit else {
            throw RPCError(.internal, "the server answered without the unit")
        }
        return unit
    }

    /// A unit's staff ("" = the connection's own unit).
    package func staff(of unitCode: String, includeInactive: Bool = false) async throws -> ListStaffResponse {
        try await units(UnitMethods.listStaff, ListStaffRequest(unitCode: unitCode, includeInactive: includeInactive), as: ListStaffResponse.self)
    }

    /// Replaces a unit's whole staff set; members left out are deactivated.
    package func setStaff(of unitCode: String, to staff: [StaffEntry], actingStaff: String? = nil) async throws -> ListStaffResponse {
        try await units(UnitMethods.setStaff, SetStaffRequest(unitCode: unitCode, staff: staff), as: ListStaffResponse.self, staff: actingStaff)
    }

    // MARK: Credentials

    /// Task force: issues a credential; the answer holds the secret, shown this once.
    /// `kind` "" / "unit", or "citizen-portal" for the citizen portal's app. With `certificateSHA256` the
    /// credential is bound to that client certificate (mutual TLS) and no secret comes back.
    package func issueCredential(
        unitCode: String, label: String = "", expiresInDays: UInt32 = 0, kind: String = "",
        certificateSHA256: String = "", staffMember: String = "", staff: String?
    ) async throws -> IssueCredentialResponse {
        try await units(
            UnitMethods.issueCredential,
            IssueCredentialRequest(
                unitCode: unitCode, label: label, expiresInDays: expiresInDays,
                kind: kind, certificateSha256: certificateSHA256, staffID: staffMember),
            as: IssueCredentialResponse.self, staff: staff)
    }

    package func revokeCredential(id: String, reason: String, staff: String?) async throws -> CredentialInfo {
        let response = try await units(
            UnitMethods.revokeCredential, RevokeCredentialRequest(credentialID: id, reason: reason),
            as: CredentialResponse.self, staff: staff)
        guard let credential = response.credential else { throw RPCError(.internal, "the server answered without the credential") }
        return credential
    }

    /// Task force: credentials of one unit, or of all when `unitCode` is "".
    package func credentials(of unitCode: String = "") async throws -> [CredentialInfo] {
        try await units(UnitMethods.listCredentials, ListCredentialsRequest(unitCode: unitCode), as: ListCredentialsResponse.self).credentials
    }

    /// Task force: the most recent refused proof requests and limit breaches.
    package func denials(of unitCode: String = "", limit: UInt32 = 0) async throws -> [DenialEntry] {
        try await units(UnitMethods.listDenials, ListDenialsRequest(unitCode: unitCode, limit: limit), as: ListDenialsResponse.self).denials
    }

    // MARK: Item lists

    /// A unit's list in force and its versions (no authentication needed).
    package func itemList(of unitCode: String) async throws -> GetItemListResponse {
        try await units(UnitMethods.getItemList, GetItemListRequest(unitCode: unitCode), as: GetItemListResponse.self)
    }

    /// What the applicant must bring for one item of a unit's published list in force ("" = the calling unit).
    package func showItem(_ itemCode: String, unitCode: String = "") async throws -> ShowItemResponse {
        try await units(UnitMethods.showItem, ShowItemRequest(itemCode: itemCode, unitCode: unitCode), as: ShowItemResponse.self)
    }

    package func createDraft(unitCode: String, staff: String?) async throws -> ItemList {
        try await list(UnitMethods.createDraft, CreateDraftRequest(unitCode: unitCode), staff: staff)
    }

    package func saveDraft(
        unitCode: String, version: UInt32, items: [ListItem], changes: [DeclaredChange],
        staff: String?
    ) async throws -> ItemList {
        try await list(UnitMethods.saveDraft, SaveDraftRequest(unitCode: unitCode, version: version, items: items, changes: changes), staff: staff)
    }

    package func submitList(unitCode: String, version: UInt32, staff: String?) async throws -> ItemList {
        try await list(UnitMethods.submitList, ListVersionRequest(unitCode: unitCode, version: version), staff: staff)
    }

    /// Task force supervisor: approves, effective at `effectiveAtMillis` (0 = now).
    package func approveList(unitCode: String, version: UInt32, effectiveAtMillis: Int64 = 0, staff: String?) async throws -> ItemList {
        try await list(UnitMethods.approveList, ApproveListRequest(unitCode: unitCode, version: version, effectiveAtMillis: effectiveAtMillis), staff: staff)
    }

    package func rejectList(unitCode: String, version: UInt32, reason: String, staff: String?) async throws -> ItemList {
        try await list(UnitMethods.rejectList, RejectListRequest(unitCode: unitCode, version: version, reason: reason), staff: staff)
    }

    package func reopenList(unitCode: String, version: UInt32, staff: String?) async throws -> ItemList {
        try await list(UnitMethods.reopenList, ListVersionRequest(unitCode: unitCode, version: version), staff: staff)
    }

    package func publishList(unitCode: String, version: UInt32, staff: String?) async throws -> ItemList {
        try await list(UnitMethods.publishList, ListVersionRequest(unitCode: unitCode, version: version), staff: staff)
    }

    /// Bulk-loads lists from the text of a JSON or CSV file ("" format = guess from the text).
    package func loadItemLists(
        text: String, format: String = "", staff: String?,
        timeout: Duration? = .seconds(120)
    ) async throws -> LoadItemListsResponse {
        try await units(
            UnitMethods.loadItemLists, LoadItemListsRequest(format: format, text: text), as: LoadItemListsResponse.self,
            staff: staff, timeout: timeout)
    }
}

/// The working-day calendar (noproof.v1.Units, methods 100-101).
extension NoProofClient {
    /// The published years in force (or `year` alone; with `history` every version), and the
    /// office hours. No authentication needed.
    package func calendar(year: Int = 0, history: Bool = false) async throws -> GetCalendarResponse {
        try await unary(
            UnitMethods.getCalendar, request: GetCalendarRequest(year: Int32(clamping: year), history: history),
            as: GetCalendarResponse.self)
    }

    /// Task force: publishes (or corrects) one year; returns it with its new version.
    package func publishCalendarYear(_ year: CalendarYearInfo, actingStaff: String?) async throws -> CalendarYearInfo {
        var metadata: Metadata = [:]
        if let actingStaff, !actingStaff.isEmpty { metadata["staff"] = actingStaff }
        let response = try await unary(
            UnitMethods.publishCalendarYear, request: PublishCalendarYearRequest(year: year),
            as: PublishCalendarYearResponse.self, metadata: metadata)
        guard let published = response.year else { throw RPCError(.internal, "the server answered without the year") }
        return published
    }
}
