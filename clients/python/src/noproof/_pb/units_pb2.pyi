from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ApproveListRequest(_message.Message):
    __slots__ = ["effective_at_millis", "unit_code", "version"]
    EFFECTIVE_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    effective_at_millis: int
    unit_code: str
    version: int
    def __init__(self, unit_code: _Optional[str] = ..., version: _Optional[int] = ..., effective_at_millis: _Optional[int] = ...) -> None: ...

class CalendarYearInfo(_message.Message):
    __slots__ = ["holidays", "provisional", "published_at_millis", "published_by", "source", "version", "working_days", "year"]
    HOLIDAYS_FIELD_NUMBER: _ClassVar[int]
    PROVISIONAL_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    WORKING_DAYS_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    holidays: _containers.RepeatedScalarFieldContainer[str]
    provisional: bool
    published_at_millis: int
    published_by: str
    source: str
    version: int
    working_days: _containers.RepeatedScalarFieldContainer[str]
    year: int
    def __init__(self, year: _Optional[int] = ..., holidays: _Optional[_Iterable[str]] = ..., working_days: _Optional[_Iterable[str]] = ..., provisional: bool = ..., source: _Optional[str] = ..., version: _Optional[int] = ..., published_by: _Optional[str] = ..., published_at_millis: _Optional[int] = ...) -> None: ...

class CreateDraftRequest(_message.Message):
    __slots__ = ["unit_code"]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ...) -> None: ...

class CreateUnitRequest(_message.Message):
    __slots__ = ["staff", "unit"]
    STAFF_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    staff: _containers.RepeatedCompositeFieldContainer[StaffEntry]
    unit: UnitInfo
    def __init__(self, unit: _Optional[_Union[UnitInfo, _Mapping]] = ..., staff: _Optional[_Iterable[_Union[StaffEntry, _Mapping]]] = ...) -> None: ...

class CredentialInfo(_message.Message):
    __slots__ = ["certificate_sha256", "credential_id", "expires_at_millis", "issued_at_millis", "issued_by", "kind", "label", "revocation_reason", "revoked_at_millis", "revoked_by", "source", "staff_id", "unit_code"]
    CERTIFICATE_SHA256_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    ISSUED_BY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    REVOCATION_REASON_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    REVOKED_BY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STAFF_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    certificate_sha256: str
    credential_id: str
    expires_at_millis: int
    issued_at_millis: int
    issued_by: str
    kind: str
    label: str
    revocation_reason: str
    revoked_at_millis: int
    revoked_by: str
    source: str
    staff_id: str
    unit_code: str
    def __init__(self, credential_id: _Optional[str] = ..., unit_code: _Optional[str] = ..., label: _Optional[str] = ..., issued_at_millis: _Optional[int] = ..., issued_by: _Optional[str] = ..., expires_at_millis: _Optional[int] = ..., revoked_at_millis: _Optional[int] = ..., revoked_by: _Optional[str] = ..., revocation_reason: _Optional[str] = ..., kind: _Optional[str] = ..., certificate_sha256: _Optional[str] = ..., staff_id: _Optional[str] = ..., source: _Optional[str] = ...) -> None: ...

class CredentialResponse(_message.Message):
    __slots__ = ["credential"]
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    credential: CredentialInfo
    def __init__(self, credential: _Optional[_Union[CredentialInfo, _Mapping]] = ...) -> None: ...

class DeclaredChange(_message.Message):
    __slots__ = ["assessed", "cause", "cause_date", "deadline", "item", "kind", "late", "proof", "reported_on", "working_days_elapsed"]
    ASSESSED_FIELD_NUMBER: _ClassVar[int]
    CAUSE_DATE_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LATE_FIELD_NUMBER: _ClassVar[int]
    PROOF_FIELD_NUMBER: _ClassVar[int]
    REPORTED_ON_FIELD_NUMBER: _ClassVar[int]
    WORKING_DAYS_ELAPSED_FIELD_NUMBER: _ClassVar[int]
    assessed: bool
    cause: str
    cause_date: str
    deadline: str
    item: str
    kind: str
    late: bool
    proof: str
    reported_on: str
    working_days_elapsed: int
    def __init__(self, kind: _Optional[str] = ..., item: _Optional[str] = ..., proof: _Optional[str] = ..., cause: _Optional[str] = ..., cause_date: _Optional[str] = ..., assessed: bool = ..., late: bool = ..., reported_on: _Optional[str] = ..., deadline: _Optional[str] = ..., working_days_elapsed: _Optional[int] = ...) -> None: ...

class DenialEntry(_message.Message):
    __slots__ = ["at_millis", "case_reference", "item_code", "kind", "message", "reason", "staff_id", "type_code", "unit_code"]
    AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STAFF_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    at_millis: int
    case_reference: str
    item_code: str
    kind: str
    message: str
    reason: str
    staff_id: str
    type_code: str
    unit_code: str
    def __init__(self, at_millis: _Optional[int] = ..., unit_code: _Optional[str] = ..., staff_id: _Optional[str] = ..., item_code: _Optional[str] = ..., case_reference: _Optional[str] = ..., type_code: _Optional[str] = ..., kind: _Optional[str] = ..., reason: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class GetCalendarRequest(_message.Message):
    __slots__ = ["history", "year"]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    history: bool
    year: int
    def __init__(self, year: _Optional[int] = ..., history: bool = ...) -> None: ...

class GetCalendarResponse(_message.Message):
    __slots__ = ["office_hours", "years"]
    OFFICE_HOURS_FIELD_NUMBER: _ClassVar[int]
    YEARS_FIELD_NUMBER: _ClassVar[int]
    office_hours: str
    years: _containers.RepeatedCompositeFieldContainer[CalendarYearInfo]
    def __init__(self, years: _Optional[_Iterable[_Union[CalendarYearInfo, _Mapping]]] = ..., office_hours: _Optional[str] = ...) -> None: ...

class GetItemListRequest(_message.Message):
    __slots__ = ["unit_code"]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ...) -> None: ...

class GetItemListResponse(_message.Message):
    __slots__ = ["in_force", "unit", "versions"]
    IN_FORCE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    in_force: ItemList
    unit: UnitInfo
    versions: _containers.RepeatedCompositeFieldContainer[ItemList]
    def __init__(self, unit: _Optional[_Union[UnitInfo, _Mapping]] = ..., in_force: _Optional[_Union[ItemList, _Mapping]] = ..., versions: _Optional[_Iterable[_Union[ItemList, _Mapping]]] = ...) -> None: ...

class GetUnitRequest(_message.Message):
    __slots__ = ["unit_code"]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ...) -> None: ...

class GetUnitResponse(_message.Message):
    __slots__ = ["unit"]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    unit: UnitInfo
    def __init__(self, unit: _Optional[_Union[UnitInfo, _Mapping]] = ...) -> None: ...

class IssueCredentialRequest(_message.Message):
    __slots__ = ["certificate_sha256", "expires_in_days", "kind", "label", "staff_id", "unit_code"]
    CERTIFICATE_SHA256_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_DAYS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    STAFF_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    certificate_sha256: str
    expires_in_days: int
    kind: str
    label: str
    staff_id: str
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., label: _Optional[str] = ..., expires_in_days: _Optional[int] = ..., kind: _Optional[str] = ..., certificate_sha256: _Optional[str] = ..., staff_id: _Optional[str] = ...) -> None: ...

class IssueCredentialResponse(_message.Message):
    __slots__ = ["credential", "secret"]
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    credential: CredentialInfo
    secret: str
    def __init__(self, credential: _Optional[_Union[CredentialInfo, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class ItemList(_message.Message):
    __slots__ = ["based_on", "changes", "created_at_millis", "effective_at_millis", "history", "items", "published_at_millis", "rejection_reason", "reviewed_at_millis", "reviewed_by", "status", "submitted_at_millis", "submitted_by", "unit_code", "updated_at_millis", "version"]
    BASED_ON_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    based_on: int
    changes: _containers.RepeatedCompositeFieldContainer[DeclaredChange]
    created_at_millis: int
    effective_at_millis: int
    history: _containers.RepeatedCompositeFieldContainer[ListHistoryEntry]
    items: _containers.RepeatedCompositeFieldContainer[ListItem]
    published_at_millis: int
    rejection_reason: str
    reviewed_at_millis: int
    reviewed_by: str
    status: str
    submitted_at_millis: int
    submitted_by: str
    unit_code: str
    updated_at_millis: int
    version: int
    def __init__(self, unit_code: _Optional[str] = ..., version: _Optional[int] = ..., based_on: _Optional[int] = ..., status: _Optional[str] = ..., items: _Optional[_Iterable[_Union[ListItem, _Mapping]]] = ..., changes: _Optional[_Iterable[_Union[DeclaredChange, _Mapping]]] = ..., created_at_millis: _Optional[int] = ..., updated_at_millis: _Optional[int] = ..., submitted_at_millis: _Optional[int] = ..., submitted_by: _Optional[str] = ..., reviewed_at_millis: _Optional[int] = ..., reviewed_by: _Optional[str] = ..., effective_at_millis: _Optional[int] = ..., rejection_reason: _Optional[str] = ..., published_at_millis: _Optional[int] = ..., history: _Optional[_Iterable[_Union[ListHistoryEntry, _Mapping]]] = ...) -> None: ...

class ItemListResponse(_message.Message):
    __slots__ = ["list"]
    LIST_FIELD_NUMBER: _ClassVar[int]
    list: ItemList
    def __init__(self, list: _Optional[_Union[ItemList, _Mapping]] = ...) -> None: ...

class ItemProof(_message.Message):
    __slots__ = ["exclusion", "exclusion_category", "exclusion_note", "fields", "issuing_unit", "method", "name", "proof"]
    EXCLUSION_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    EXCLUSION_FIELD_NUMBER: _ClassVar[int]
    EXCLUSION_NOTE_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    ISSUING_UNIT_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROOF_FIELD_NUMBER: _ClassVar[int]
    exclusion: str
    exclusion_category: str
    exclusion_note: str
    fields: _containers.RepeatedScalarFieldContainer[str]
    issuing_unit: str
    method: str
    name: str
    proof: str
    def __init__(self, proof: _Optional[str] = ..., name: _Optional[str] = ..., method: _Optional[str] = ..., issuing_unit: _Optional[str] = ..., exclusion: _Optional[str] = ..., exclusion_category: _Optional[str] = ..., exclusion_note: _Optional[str] = ..., fields: _Optional[_Iterable[str]] = ...) -> None: ...

class ItemProofGuidance(_message.Message):
    __slots__ = ["applicant_brings", "fields", "issuing_unit", "method", "name", "proof", "what_to_do"]
    APPLICANT_BRINGS_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    ISSUING_UNIT_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROOF_FIELD_NUMBER: _ClassVar[int]
    WHAT_TO_DO_FIELD_NUMBER: _ClassVar[int]
    applicant_brings: bool
    fields: _containers.RepeatedScalarFieldContainer[str]
    issuing_unit: str
    method: str
    name: str
    proof: str
    what_to_do: str
    def __init__(self, proof: _Optional[str] = ..., name: _Optional[str] = ..., method: _Optional[str] = ..., issuing_unit: _Optional[str] = ..., applicant_brings: bool = ..., what_to_do: _Optional[str] = ..., fields: _Optional[_Iterable[str]] = ...) -> None: ...

class ListCredentialsRequest(_message.Message):
    __slots__ = ["unit_code"]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ...) -> None: ...

class ListCredentialsResponse(_message.Message):
    __slots__ = ["credentials"]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    credentials: _containers.RepeatedCompositeFieldContainer[CredentialInfo]
    def __init__(self, credentials: _Optional[_Iterable[_Union[CredentialInfo, _Mapping]]] = ...) -> None: ...

class ListDenialsRequest(_message.Message):
    __slots__ = ["limit", "unit_code"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    limit: int
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListDenialsResponse(_message.Message):
    __slots__ = ["denials"]
    DENIALS_FIELD_NUMBER: _ClassVar[int]
    denials: _containers.RepeatedCompositeFieldContainer[DenialEntry]
    def __init__(self, denials: _Optional[_Iterable[_Union[DenialEntry, _Mapping]]] = ...) -> None: ...

class ListHistoryEntry(_message.Message):
    __slots__ = ["action", "actor", "at_millis", "note", "status"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    action: str
    actor: str
    at_millis: int
    note: str
    status: str
    def __init__(self, action: _Optional[str] = ..., at_millis: _Optional[int] = ..., actor: _Optional[str] = ..., status: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ListItem(_message.Message):
    __slots__ = ["code", "kind", "name", "promised_days", "promised_hours", "proofs"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROMISED_DAYS_FIELD_NUMBER: _ClassVar[int]
    PROMISED_HOURS_FIELD_NUMBER: _ClassVar[int]
    PROOFS_FIELD_NUMBER: _ClassVar[int]
    code: str
    kind: str
    name: str
    promised_days: int
    promised_hours: int
    proofs: _containers.RepeatedCompositeFieldContainer[ItemProof]
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., promised_days: _Optional[int] = ..., promised_hours: _Optional[int] = ..., proofs: _Optional[_Iterable[_Union[ItemProof, _Mapping]]] = ...) -> None: ...

class ListStaffRequest(_message.Message):
    __slots__ = ["include_inactive", "unit_code"]
    INCLUDE_INACTIVE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    include_inactive: bool
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., include_inactive: bool = ...) -> None: ...

class ListStaffResponse(_message.Message):
    __slots__ = ["staff", "unit_code"]
    STAFF_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    staff: _containers.RepeatedCompositeFieldContainer[StaffEntry]
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., staff: _Optional[_Iterable[_Union[StaffEntry, _Mapping]]] = ...) -> None: ...

class ListUnitsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListUnitsResponse(_message.Message):
    __slots__ = ["units"]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    units: _containers.RepeatedCompositeFieldContainer[UnitInfo]
    def __init__(self, units: _Optional[_Iterable[_Union[UnitInfo, _Mapping]]] = ...) -> None: ...

class ListVersionRequest(_message.Message):
    __slots__ = ["unit_code", "version"]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    unit_code: str
    version: int
    def __init__(self, unit_code: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class LoadItemListsRequest(_message.Message):
    __slots__ = ["format", "text"]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    format: str
    text: str
    def __init__(self, format: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class LoadItemListsResponse(_message.Message):
    __slots__ = ["loaded", "problems"]
    LOADED_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    loaded: _containers.RepeatedCompositeFieldContainer[LoadedList]
    problems: _containers.RepeatedCompositeFieldContainer[LoadProblem]
    def __init__(self, loaded: _Optional[_Iterable[_Union[LoadedList, _Mapping]]] = ..., problems: _Optional[_Iterable[_Union[LoadProblem, _Mapping]]] = ...) -> None: ...

class LoadProblem(_message.Message):
    __slots__ = ["field", "location", "message", "unit"]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    field: str
    location: str
    message: str
    unit: str
    def __init__(self, location: _Optional[str] = ..., unit: _Optional[str] = ..., field: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class LoadedList(_message.Message):
    __slots__ = ["item_count", "unit_code", "version"]
    ITEM_COUNT_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    item_count: int
    unit_code: str
    version: int
    def __init__(self, unit_code: _Optional[str] = ..., version: _Optional[int] = ..., item_count: _Optional[int] = ...) -> None: ...

class PublishCalendarYearRequest(_message.Message):
    __slots__ = ["year"]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    year: CalendarYearInfo
    def __init__(self, year: _Optional[_Union[CalendarYearInfo, _Mapping]] = ...) -> None: ...

class PublishCalendarYearResponse(_message.Message):
    __slots__ = ["year"]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    year: CalendarYearInfo
    def __init__(self, year: _Optional[_Union[CalendarYearInfo, _Mapping]] = ...) -> None: ...

class RejectListRequest(_message.Message):
    __slots__ = ["reason", "unit_code", "version"]
    REASON_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    reason: str
    unit_code: str
    version: int
    def __init__(self, unit_code: _Optional[str] = ..., version: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class RevokeCredentialRequest(_message.Message):
    __slots__ = ["credential_id", "reason"]
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    credential_id: str
    reason: str
    def __init__(self, credential_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class SaveDraftRequest(_message.Message):
    __slots__ = ["changes", "items", "unit_code", "version"]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[DeclaredChange]
    items: _containers.RepeatedCompositeFieldContainer[ListItem]
    unit_code: str
    version: int
    def __init__(self, unit_code: _Optional[str] = ..., version: _Optional[int] = ..., items: _Optional[_Iterable[_Union[ListItem, _Mapping]]] = ..., changes: _Optional[_Iterable[_Union[DeclaredChange, _Mapping]]] = ...) -> None: ...

class SetStaffRequest(_message.Message):
    __slots__ = ["staff", "unit_code"]
    STAFF_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    staff: _containers.RepeatedCompositeFieldContainer[StaffEntry]
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., staff: _Optional[_Iterable[_Union[StaffEntry, _Mapping]]] = ...) -> None: ...

class ShowItemRequest(_message.Message):
    __slots__ = ["item_code", "unit_code"]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    item_code: str
    unit_code: str
    def __init__(self, item_code: _Optional[str] = ..., unit_code: _Optional[str] = ...) -> None: ...

class ShowItemResponse(_message.Message):
    __slots__ = ["effective_at_millis", "item_code", "item_kind", "item_name", "list_version", "proofs", "unit_code", "unit_name"]
    EFFECTIVE_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    ITEM_KIND_FIELD_NUMBER: _ClassVar[int]
    ITEM_NAME_FIELD_NUMBER: _ClassVar[int]
    LIST_VERSION_FIELD_NUMBER: _ClassVar[int]
    PROOFS_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    effective_at_millis: int
    item_code: str
    item_kind: str
    item_name: str
    list_version: int
    proofs: _containers.RepeatedCompositeFieldContainer[ItemProofGuidance]
    unit_code: str
    unit_name: str
    def __init__(self, unit_code: _Optional[str] = ..., unit_name: _Optional[str] = ..., list_version: _Optional[int] = ..., effective_at_millis: _Optional[int] = ..., item_code: _Optional[str] = ..., item_name: _Optional[str] = ..., item_kind: _Optional[str] = ..., proofs: _Optional[_Iterable[_Union[ItemProofGuidance, _Mapping]]] = ...) -> None: ...

class StaffEntry(_message.Message):
    __slots__ = ["active", "name", "role", "staff_id"]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    STAFF_ID_FIELD_NUMBER: _ClassVar[int]
    active: bool
    name: str
    role: str
    staff_id: str
    def __init__(self, staff_id: _Optional[str] = ..., name: _Optional[str] = ..., role: _Optional[str] = ..., active: bool = ...) -> None: ...

class UnitInfo(_message.Message):
    __slots__ = ["active", "code", "district", "kind", "name", "sector", "task_force_office"]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SECTOR_FIELD_NUMBER: _ClassVar[int]
    TASK_FORCE_OFFICE_FIELD_NUMBER: _ClassVar[int]
    active: bool
    code: str
    district: str
    kind: str
    name: str
    sector: str
    task_force_office: bool
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., sector: _Optional[str] = ..., district: _Optional[str] = ..., task_force_office: bool = ..., active: bool = ...) -> None: ...

class UpdateUnitRequest(_message.Message):
    __slots__ = ["unit"]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    unit: UnitInfo
    def __init__(self, unit: _Optional[_Union[UnitInfo, _Mapping]] = ...) -> None: ...
