import NoProofProtocol

/// The unit registry's and item lists' RPC methods and their stable ids (30-49), and the
/// working-day calendar's (100-109).
package enum UnitMethods {
    static let service = "noproof.v1.Units"

    package static let listUnits = MethodDescriptor(
        service: service, method: "ListUnits", id: 30,
        requestType: "noproof.v1.ListUnitsRequest", responseType: "noproof.v1.ListUnitsResponse",
        requiresAuthentication: false, summary: "Every registered unit (public)"
    )
    package static let getUnit = MethodDescriptor(
        service: service, method: "GetUnit", id: 31,
        requestType: "noproof.v1.GetUnitRequest", responseType: "noproof.v1.GetUnitResponse",
        summary: "One unit by its unified social credit code"
    )
    package static let listStaff = MethodDescriptor(
        service: service, method: "ListStaff", id: 32,
        requestType: "noproof.v1.ListStaffRequest", responseType: "noproof.v1.ListStaffResponse",
        summary: "A unit's staff with their roles"
    )
    package static let setStaff = MethodDescriptor(
        service: service, method: "SetStaff", id: 33,
        requestType: "noproof.v1.SetStaffRequest", responseType: "noproof.v1.ListStaffResponse",
        requiredRole: "the unit's or the task force's supervisor, signed in (staff credential)", summary: "The unit itself or the task force: replace the staff set (Art. 10 rule enforced)"
    )
    package static let issueCredential = MethodDescriptor(
        service: service, method: "IssueCredential", id: 34,
        requestType: "noproof.v1.IssueCredentialRequest", responseType: "noproof.v1.IssueCredentialResponse",
        requiredRole: "taskforce staff, signed in (staff credential)", summary: "Task force: issue a credential; the secret is shown once"
    )
    package static let revokeCredential = MethodDescriptor(
        service: service, method: "RevokeCredential", id: 35,
        requestType: "noproof.v1.RevokeCredentialRequest", responseType: "noproof.v1.CredentialResponse",
        requiredRole: "taskforce staff, signed in (staff credential)", summary: "Task force: revoke a credential (it stops authenticating)"
    )
    package static let listCredentials = MethodDescriptor(
        service: service, method: "ListCredentials", id: 36,
        requestType: "noproof.v1.ListCredentialsRequest", responseType: "noproof.v1.ListCredentialsResponse",
        requiredRole: "taskforce", summary: "Task force: credentials of a unit or of all (no secrets)"
    )
    package static let getItemList = MethodDescriptor(
        service: service, method: "GetItemList", id: 37,
        requestType: "noproof.v1.GetItemListRequest", responseType: "noproof.v1.GetItemListResponse",
        requiresAuthentication: false, summary: "A unit's list in force and its version history (public)"
    )
    package static let createDraft = MethodDescriptor(
        service: service, method: "CreateDraft", id: 38,
        requestType: "noproof.v1.CreateDraftRequest", responseType: "noproof.v1.ItemListResponse",
        requiredRole: "unit staff", summary: "The unit: start the next version of its list"
    )
    package static let saveDraft = MethodDescriptor(
        service: service, method: "SaveDraft", id: 39,
        requestType: "noproof.v1.SaveDraftRequest", responseType: "noproof.v1.ItemListResponse",
        requiredRole: "unit staff", summary: "The unit: replace a draft's items and declared changes"
    )
    package static let submitList = MethodDescriptor(
        service: service, method: "SubmitList", id: 40,
        requestType: "noproof.v1.ListVersionRequest", responseType: "noproof.v1.ItemListResponse",
        requiredRole: "unit staff", summary: "The unit: submit a draft to the task force (late changes flagged)"
    )
    package static let approveList = MethodDescriptor(
        service: service, method: "ApproveList", id: 41,
        requestType: "noproof.v1.ApproveListRequest", responseType: "noproof.v1.ItemListResponse",
        requiredRole: "taskforce supervisor, signed in (staff credential)", summary: "Task force supervisor: approve with an effective time"
    )
    package static let rejectList = MethodDescriptor(
        service: service, method: "RejectList", id: 42,
        requestType: "noproof.v1.RejectListRequest", responseType: "noproof.v1.ItemListResponse",
        requiredRole: "taskforce supervisor, signed in (staff credential)", summary: "Task force supervisor: reject with a reason"
    )
    package static let reopenList = MethodDescriptor(
        service: service, method: "ReopenList", id: 43,
        requestType: "noproof.v1.ListVersionRequest", responseType: "noproof.v1.ItemListResponse",
        requiredRole: "unit staff", summary: "The unit: return a rejected version to draft"
    )
    package static let publishList = MethodDescriptor(
        service: service, method: "PublishList", id: 44,
        requestType: "noproof.v1.ListVersionRequest", responseType: "noproof.v1.ItemListResponse",
        requiredRole: "unit staff", summary: "The unit or the task force: publish an approved version"
    )
    package static let loadItemLists = MethodDescriptor(
        service: service, method: "LoadItemLists", id: 45,
        requestType: "noproof.v1.LoadItemListsRequest", responseType: "noproof.v1.LoadItemListsResponse",
        requiredRole: "unit staff", summary: "Bulk-load lists (JSON or CSV) as drafts; returns the validation report"
    )
    package static let listDenials = MethodDescriptor(
        service: service, method: "ListDenials", id: 46,
        requestType: "noproof.v1.ListDenialsRequest", responseType: "noproof.v1.ListDenialsResponse",
        requiredRole: "taskforce", summary: "Task force: refused proof requests and limit breaches, for supervision"
    )
    package static let createUnit = MethodDescriptor(
        service: service, method: "CreateUnit", id: 47,
        requestType: "noproof.v1.CreateUnitRequest", responseType: "noproof.v1.GetUnitResponse",
        requiredRole: "taskforce staff, signed in (staff credential)", summary: "Task force: register a unit with its first staff set (Art. 10)"
    )
    package static let updateUnit = MethodDescriptor(
        service: service, method: "UpdateUnit", id: 48,
        requestType: "noproof.v1.UpdateUnitRequest", responseType: "noproof.v1.GetUnitResponse",
        requiredRole: "taskforce staff, signed in (staff credential)", summary: "Task force: change a unit's name, kind, district or active flag"
    )
    package static let showItem = MethodDescriptor(
        service: service, method: "ShowItem", id: 110,
        requestType: "noproof.v1.ShowItemRequest", responseType: "noproof.v1.ShowItemResponse",
        requiresAuthentication: false,
        summary: "What the applicant must bring for one item: each proof of the published list in force, how it is obtained, what to do (public)"
    )
    package static let getCalendar = MethodDescriptor(
        service: service, method: "GetCalendar", id: 100,
        requestType: "noproof.v1.GetCalendarRequest", responseType: "noproof.v1.GetCalendarResponse",
        requiresAuthentication: false, summary: "The working-day calendar (holidays, adjusted working days per year) and office hours (public)"
    )
    package static let publishCalendarYear = MethodDescriptor(
        service: service, method: "PublishCalendarYear", id: 101,
        requestType: "noproof.v1.PublishCalendarYearRequest", responseType: "noproof.v1.PublishCalendarYearResponse",
        requiredRole: "taskforce staff, signed in (staff credential)", summary: "Task force: publish (or correct) one year of the working-day calendar; in force at once"
    )
}
