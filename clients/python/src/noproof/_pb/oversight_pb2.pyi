from . import licences_pb2 as _licences_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AddLedgerEntryRequest(_message.Message):
    __slots__ = ["case_reference", "holder_id", "holder_name", "item_code", "note", "proof_name", "proof_type"]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    PROOF_NAME_FIELD_NUMBER: _ClassVar[int]
    PROOF_TYPE_FIELD_NUMBER: _ClassVar[int]
    case_reference: str
    holder_id: str
    holder_name: str
    item_code: str
    note: str
    proof_name: str
    proof_type: str
    def __init__(self, holder_id: _Optional[str] = ..., holder_name: _Optional[str] = ..., item_code: _Optional[str] = ..., case_reference: _Optional[str] = ..., proof_type: _Optional[str] = ..., proof_name: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class AnswerComplaintRequest(_message.Message):
    __slots__ = ["answer", "complaint_id"]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    answer: str
    complaint_id: str
    def __init__(self, complaint_id: _Optional[str] = ..., answer: _Optional[str] = ...) -> None: ...

class AppealMismatchRequest(_message.Message):
    __slots__ = ["mismatch_id", "note", "outcome", "reference"]
    MISMATCH_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    mismatch_id: str
    note: str
    outcome: str
    reference: str
    def __init__(self, mismatch_id: _Optional[str] = ..., reference: _Optional[str] = ..., outcome: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class BreachCount(_message.Message):
    __slots__ = ["breach_type", "count"]
    BREACH_TYPE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    breach_type: str
    count: int
    def __init__(self, breach_type: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class CheckCommitmentRequest(_message.Message):
    __slots__ = ["commitment_id", "evidence", "outcome"]
    COMMITMENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    commitment_id: str
    evidence: str
    outcome: str
    def __init__(self, commitment_id: _Optional[str] = ..., outcome: _Optional[str] = ..., evidence: _Optional[str] = ...) -> None: ...

class CloseComplaintRequest(_message.Message):
    __slots__ = ["complaint_id", "note", "substantiated"]
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    SUBSTANTIATED_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    note: str
    substantiated: bool
    def __init__(self, complaint_id: _Optional[str] = ..., substantiated: bool = ..., note: _Optional[str] = ...) -> None: ...

class CommitmentRecord(_message.Message):
    __slots__ = ["case_reference", "channel", "check_due_at_millis", "check_outcome", "checked_at_millis", "checked_by", "checked_late", "commitment_id", "earlier_false_commitments", "evidence", "holder_id", "holder_name", "item_code", "item_name", "overdue", "proof_name", "proof_type", "recorded_at_millis", "recorded_by", "risk_level", "rule_risk_level", "text", "unit_code", "unit_name", "warning"]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CHECKED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    CHECKED_BY_FIELD_NUMBER: _ClassVar[int]
    CHECKED_LATE_FIELD_NUMBER: _ClassVar[int]
    CHECK_DUE_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    CHECK_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    COMMITMENT_ID_FIELD_NUMBER: _ClassVar[int]
    EARLIER_FALSE_COMMITMENTS_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    ITEM_NAME_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    PROOF_NAME_FIELD_NUMBER: _ClassVar[int]
    PROOF_TYPE_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    RULE_RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    WARNING_FIELD_NUMBER: _ClassVar[int]
    case_reference: str
    channel: str
    check_due_at_millis: int
    check_outcome: str
    checked_at_millis: int
    checked_by: str
    checked_late: bool
    commitment_id: str
    earlier_false_commitments: _containers.RepeatedScalarFieldContainer[str]
    evidence: str
    holder_id: str
    holder_name: str
    item_code: str
    item_name: str
    overdue: bool
    proof_name: str
    proof_type: str
    recorded_at_millis: int
    recorded_by: str
    risk_level: str
    rule_risk_level: str
    text: str
    unit_code: str
    unit_name: str
    warning: str
    def __init__(self, commitment_id: _Optional[str] = ..., unit_code: _Optional[str] = ..., unit_name: _Optional[str] = ..., holder_id: _Optional[str] = ..., holder_name: _Optional[str] = ..., item_code: _Optional[str] = ..., item_name: _Optional[str] = ..., case_reference: _Optional[str] = ..., proof_type: _Optional[str] = ..., proof_name: _Optional[str] = ..., text: _Optional[str] = ..., channel: _Optional[str] = ..., recorded_at_millis: _Optional[int] = ..., recorded_by: _Optional[str] = ..., risk_level: _Optional[str] = ..., check_due_at_millis: _Optional[int] = ..., check_outcome: _Optional[str] = ..., checked_at_millis: _Optional[int] = ..., checked_by: _Optional[str] = ..., evidence: _Optional[str] = ..., overdue: bool = ..., checked_late: bool = ..., earlier_false_commitments: _Optional[_Iterable[str]] = ..., warning: _Optional[str] = ..., rule_risk_level: _Optional[str] = ...) -> None: ...

class CommitmentResponse(_message.Message):
    __slots__ = ["commitment", "replayed"]
    COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    commitment: CommitmentRecord
    replayed: bool
    def __init__(self, commitment: _Optional[_Union[CommitmentRecord, _Mapping]] = ..., replayed: bool = ...) -> None: ...

class ComplaintRecord(_message.Message):
    __slots__ = ["answer", "answered_at_millis", "answered_by", "breach_type", "channel", "channel_reference", "closed_at_millis", "closing_note", "complainant", "complaint_id", "linked_records", "registered_at_millis", "registered_by", "routed_at_millis", "routed_to_code", "routed_to_name", "status", "substantiated", "summary", "unit_code", "unit_name"]
    ANSWERED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    BREACH_TYPE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    CLOSING_NOTE_FIELD_NUMBER: _ClassVar[int]
    COMPLAINANT_FIELD_NUMBER: _ClassVar[int]
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    LINKED_RECORDS_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    ROUTED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    ROUTED_TO_CODE_FIELD_NUMBER: _ClassVar[int]
    ROUTED_TO_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUBSTANTIATED_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    answer: str
    answered_at_millis: int
    answered_by: str
    breach_type: str
    channel: str
    channel_reference: str
    closed_at_millis: int
    closing_note: str
    complainant: str
    complaint_id: str
    linked_records: _containers.RepeatedScalarFieldContainer[str]
    registered_at_millis: int
    registered_by: str
    routed_at_millis: int
    routed_to_code: str
    routed_to_name: str
    status: str
    substantiated: bool
    summary: str
    unit_code: str
    unit_name: str
    def __init__(self, complaint_id: _Optional[str] = ..., channel: _Optional[str] = ..., channel_reference: _Optional[str] = ..., unit_code: _Optional[str] = ..., unit_name: _Optional[str] = ..., breach_type: _Optional[str] = ..., summary: _Optional[str] = ..., complainant: _Optional[str] = ..., linked_records: _Optional[_Iterable[str]] = ..., registered_at_millis: _Optional[int] = ..., registered_by: _Optional[str] = ..., status: _Optional[str] = ..., routed_to_code: _Optional[str] = ..., routed_to_name: _Optional[str] = ..., routed_at_millis: _Optional[int] = ..., answer: _Optional[str] = ..., answered_at_millis: _Optional[int] = ..., answered_by: _Optional[str] = ..., substantiated: bool = ..., closing_note: _Optional[str] = ..., closed_at_millis: _Optional[int] = ...) -> None: ...

class ComplaintResponse(_message.Message):
    __slots__ = ["complaint", "replayed"]
    COMPLAINT_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    complaint: ComplaintRecord
    replayed: bool
    def __init__(self, complaint: _Optional[_Union[ComplaintRecord, _Mapping]] = ..., replayed: bool = ...) -> None: ...

class CorrectionNoticeRecord(_message.Message):
    __slots__ = ["corrected_fields", "corrected_proof", "fetch_case_references", "holder_id", "issuing_unit_code", "issuing_unit_name", "last_fetch_sequence", "licence_id", "mismatch_id", "new_version", "notice_id", "noticed_at_millis", "raised_the_case", "type_code", "unit_code"]
    CORRECTED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_PROOF_FIELD_NUMBER: _ClassVar[int]
    FETCH_CASE_REFERENCES_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUING_UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    ISSUING_UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_FETCH_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    LICENCE_ID_FIELD_NUMBER: _ClassVar[int]
    MISMATCH_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_VERSION_FIELD_NUMBER: _ClassVar[int]
    NOTICED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    NOTICE_ID_FIELD_NUMBER: _ClassVar[int]
    RAISED_THE_CASE_FIELD_NUMBER: _ClassVar[int]
    TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    corrected_fields: _containers.RepeatedScalarFieldContainer[str]
    corrected_proof: _licences_pb2.SealedProof
    fetch_case_references: _containers.RepeatedScalarFieldContainer[str]
    holder_id: str
    issuing_unit_code: str
    issuing_unit_name: str
    last_fetch_sequence: int
    licence_id: str
    mismatch_id: str
    new_version: int
    notice_id: str
    noticed_at_millis: int
    raised_the_case: bool
    type_code: str
    unit_code: str
    def __init__(self, notice_id: _Optional[str] = ..., unit_code: _Optional[str] = ..., mismatch_id: _Optional[str] = ..., issuing_unit_code: _Optional[str] = ..., issuing_unit_name: _Optional[str] = ..., holder_id: _Optional[str] = ..., type_code: _Optional[str] = ..., licence_id: _Optional[str] = ..., new_version: _Optional[int] = ..., corrected_fields: _Optional[_Iterable[str]] = ..., fetch_case_references: _Optional[_Iterable[str]] = ..., last_fetch_sequence: _Optional[int] = ..., noticed_at_millis: _Optional[int] = ..., raised_the_case: bool = ..., corrected_proof: _Optional[_Union[_licences_pb2.SealedProof, _Mapping]] = ...) -> None: ...

class FileComplaintRequest(_message.Message):
    __slots__ = ["breach_type", "channel", "channel_reference", "complainant", "linked_records", "summary", "unit_code"]
    BREACH_TYPE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    COMPLAINANT_FIELD_NUMBER: _ClassVar[int]
    LINKED_RECORDS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    breach_type: str
    channel: str
    channel_reference: str
    complainant: str
    linked_records: _containers.RepeatedScalarFieldContainer[str]
    summary: str
    unit_code: str
    def __init__(self, channel: _Optional[str] = ..., channel_reference: _Optional[str] = ..., unit_code: _Optional[str] = ..., breach_type: _Optional[str] = ..., summary: _Optional[str] = ..., complainant: _Optional[str] = ..., linked_records: _Optional[_Iterable[str]] = ...) -> None: ...

class GetOversightRecordRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class LedgerEntryRecord(_message.Message):
    __slots__ = ["case_reference", "entry_id", "holder_id", "holder_name", "item_code", "listed_method", "not_to_be_asked_for", "note", "proof_name", "proof_type", "recorded_at_millis", "recorded_by", "unit_code", "unit_name", "volunteered"]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    LISTED_METHOD_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    NOT_TO_BE_ASKED_FOR_FIELD_NUMBER: _ClassVar[int]
    PROOF_NAME_FIELD_NUMBER: _ClassVar[int]
    PROOF_TYPE_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEERED_FIELD_NUMBER: _ClassVar[int]
    case_reference: str
    entry_id: str
    holder_id: str
    holder_name: str
    item_code: str
    listed_method: str
    not_to_be_asked_for: bool
    note: str
    proof_name: str
    proof_type: str
    recorded_at_millis: int
    recorded_by: str
    unit_code: str
    unit_name: str
    volunteered: bool
    def __init__(self, entry_id: _Optional[str] = ..., unit_code: _Optional[str] = ..., unit_name: _Optional[str] = ..., holder_id: _Optional[str] = ..., holder_name: _Optional[str] = ..., item_code: _Optional[str] = ..., case_reference: _Optional[str] = ..., proof_type: _Optional[str] = ..., proof_name: _Optional[str] = ..., recorded_at_millis: _Optional[int] = ..., recorded_by: _Optional[str] = ..., volunteered: bool = ..., listed_method: _Optional[str] = ..., not_to_be_asked_for: bool = ..., note: _Optional[str] = ...) -> None: ...

class LedgerEntryResponse(_message.Message):
    __slots__ = ["entry", "replayed"]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    entry: LedgerEntryRecord
    replayed: bool
    def __init__(self, entry: _Optional[_Union[LedgerEntryRecord, _Mapping]] = ..., replayed: bool = ...) -> None: ...

class ListCommitmentsRequest(_message.Message):
    __slots__ = ["filter", "limit", "unit_code"]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    filter: str
    limit: int
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., filter: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListCommitmentsResponse(_message.Message):
    __slots__ = ["commitments"]
    COMMITMENTS_FIELD_NUMBER: _ClassVar[int]
    commitments: _containers.RepeatedCompositeFieldContainer[CommitmentRecord]
    def __init__(self, commitments: _Optional[_Iterable[_Union[CommitmentRecord, _Mapping]]] = ...) -> None: ...

class ListComplaintsRequest(_message.Message):
    __slots__ = ["limit", "status", "unit_code"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    limit: int
    status: str
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., status: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListComplaintsResponse(_message.Message):
    __slots__ = ["complaints"]
    COMPLAINTS_FIELD_NUMBER: _ClassVar[int]
    complaints: _containers.RepeatedCompositeFieldContainer[ComplaintRecord]
    def __init__(self, complaints: _Optional[_Iterable[_Union[ComplaintRecord, _Mapping]]] = ...) -> None: ...

class ListCorrectionNoticesRequest(_message.Message):
    __slots__ = ["limit", "unit_code"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    limit: int
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListCorrectionNoticesResponse(_message.Message):
    __slots__ = ["notices"]
    NOTICES_FIELD_NUMBER: _ClassVar[int]
    notices: _containers.RepeatedCompositeFieldContainer[CorrectionNoticeRecord]
    def __init__(self, notices: _Optional[_Iterable[_Union[CorrectionNoticeRecord, _Mapping]]] = ...) -> None: ...

class ListLedgerRequest(_message.Message):
    __slots__ = ["from_millis", "limit", "to_millis", "unit_code"]
    FROM_MILLIS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    TO_MILLIS_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    from_millis: int
    limit: int
    to_millis: int
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., from_millis: _Optional[int] = ..., to_millis: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ListLedgerResponse(_message.Message):
    __slots__ = ["entries"]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[LedgerEntryRecord]
    def __init__(self, entries: _Optional[_Iterable[_Union[LedgerEntryRecord, _Mapping]]] = ...) -> None: ...

class ListMismatchesRequest(_message.Message):
    __slots__ = ["limit"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    limit: int
    def __init__(self, limit: _Optional[int] = ...) -> None: ...

class ListMismatchesResponse(_message.Message):
    __slots__ = ["mismatches"]
    MISMATCHES_FIELD_NUMBER: _ClassVar[int]
    mismatches: _containers.RepeatedCompositeFieldContainer[MismatchRecord]
    def __init__(self, mismatches: _Optional[_Iterable[_Union[MismatchRecord, _Mapping]]] = ...) -> None: ...

class MismatchFact(_message.Message):
    __slots__ = ["corrected", "declared", "fetched", "key"]
    CORRECTED_FIELD_NUMBER: _ClassVar[int]
    DECLARED_FIELD_NUMBER: _ClassVar[int]
    FETCHED_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    corrected: str
    declared: str
    fetched: str
    key: str
    def __init__(self, key: _Optional[str] = ..., declared: _Optional[str] = ..., fetched: _Optional[str] = ..., corrected: _Optional[str] = ...) -> None: ...

class MismatchRecord(_message.Message):
    __slots__ = ["appeal_decided_at_millis", "appeal_filed_at_millis", "appeal_note", "appeal_outcome", "appeal_reference", "audit_sequence", "case_reference", "corrected_licence_id", "corrected_licence_version", "corrected_proof_serial", "facts", "finding", "finding_note", "holder_id", "issuing_unit_code", "issuing_unit_name", "item_code", "mismatch_id", "noticed_units", "opened_at_millis", "opened_by", "proof_serial", "proof_type", "reverified_at_millis", "reverified_by", "reverified_credential", "status", "supplement", "supplement_received_at_millis", "supplement_request", "supplement_requested_at_millis", "unit_code", "unit_name", "verification_request_id"]
    APPEAL_DECIDED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    APPEAL_FILED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    APPEAL_NOTE_FIELD_NUMBER: _ClassVar[int]
    APPEAL_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    APPEAL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    AUDIT_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_LICENCE_ID_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_LICENCE_VERSION_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_PROOF_SERIAL_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    FINDING_FIELD_NUMBER: _ClassVar[int]
    FINDING_NOTE_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUING_UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    ISSUING_UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    MISMATCH_ID_FIELD_NUMBER: _ClassVar[int]
    NOTICED_UNITS_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    OPENED_BY_FIELD_NUMBER: _ClassVar[int]
    PROOF_SERIAL_FIELD_NUMBER: _ClassVar[int]
    PROOF_TYPE_FIELD_NUMBER: _ClassVar[int]
    REVERIFIED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    REVERIFIED_BY_FIELD_NUMBER: _ClassVar[int]
    REVERIFIED_CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUPPLEMENT_FIELD_NUMBER: _ClassVar[int]
    SUPPLEMENT_RECEIVED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    SUPPLEMENT_REQUESTED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    SUPPLEMENT_REQUEST_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    appeal_decided_at_millis: int
    appeal_filed_at_millis: int
    appeal_note: str
    appeal_outcome: str
    appeal_reference: str
    audit_sequence: int
    case_reference: str
    corrected_licence_id: str
    corrected_licence_version: int
    corrected_proof_serial: str
    facts: _containers.RepeatedCompositeFieldContainer[MismatchFact]
    finding: str
    finding_note: str
    holder_id: str
    issuing_unit_code: str
    issuing_unit_name: str
    item_code: str
    mismatch_id: str
    noticed_units: _containers.RepeatedScalarFieldContainer[str]
    opened_at_millis: int
    opened_by: str
    proof_serial: str
    proof_type: str
    reverified_at_millis: int
    reverified_by: str
    reverified_credential: str
    status: str
    supplement: str
    supplement_received_at_millis: int
    supplement_request: str
    supplement_requested_at_millis: int
    unit_code: str
    unit_name: str
    verification_request_id: str
    def __init__(self, mismatch_id: _Optional[str] = ..., unit_code: _Optional[str] = ..., unit_name: _Optional[str] = ..., issuing_unit_code: _Optional[str] = ..., issuing_unit_name: _Optional[str] = ..., holder_id: _Optional[str] = ..., item_code: _Optional[str] = ..., case_reference: _Optional[str] = ..., proof_type: _Optional[str] = ..., proof_serial: _Optional[str] = ..., audit_sequence: _Optional[int] = ..., verification_request_id: _Optional[str] = ..., facts: _Optional[_Iterable[_Union[MismatchFact, _Mapping]]] = ..., opened_at_millis: _Optional[int] = ..., opened_by: _Optional[str] = ..., status: _Optional[str] = ..., supplement_request: _Optional[str] = ..., supplement_requested_at_millis: _Optional[int] = ..., supplement: _Optional[str] = ..., supplement_received_at_millis: _Optional[int] = ..., finding: _Optional[str] = ..., finding_note: _Optional[str] = ..., reverified_at_millis: _Optional[int] = ..., reverified_by: _Optional[str] = ..., reverified_credential: _Optional[str] = ..., appeal_reference: _Optional[str] = ..., appeal_filed_at_millis: _Optional[int] = ..., appeal_outcome: _Optional[str] = ..., appeal_note: _Optional[str] = ..., appeal_decided_at_millis: _Optional[int] = ..., corrected_licence_id: _Optional[str] = ..., corrected_licence_version: _Optional[int] = ..., corrected_proof_serial: _Optional[str] = ..., noticed_units: _Optional[_Iterable[str]] = ...) -> None: ...

class MismatchResponse(_message.Message):
    __slots__ = ["mismatch", "replayed"]
    MISMATCH_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    mismatch: MismatchRecord
    replayed: bool
    def __init__(self, mismatch: _Optional[_Union[MismatchRecord, _Mapping]] = ..., replayed: bool = ...) -> None: ...

class MismatchSupplementRequest(_message.Message):
    __slots__ = ["mismatch_id", "text"]
    MISMATCH_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    mismatch_id: str
    text: str
    def __init__(self, mismatch_id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class OpenMismatchRequest(_message.Message):
    __slots__ = ["audit_sequence", "case_reference", "facts", "holder_id", "issuing_unit_code", "item_code", "proof_serial", "proof_type", "verification_request_id"]
    AUDIT_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUING_UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    PROOF_SERIAL_FIELD_NUMBER: _ClassVar[int]
    PROOF_TYPE_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    audit_sequence: int
    case_reference: str
    facts: _containers.RepeatedCompositeFieldContainer[MismatchFact]
    holder_id: str
    issuing_unit_code: str
    item_code: str
    proof_serial: str
    proof_type: str
    verification_request_id: str
    def __init__(self, issuing_unit_code: _Optional[str] = ..., holder_id: _Optional[str] = ..., item_code: _Optional[str] = ..., case_reference: _Optional[str] = ..., proof_type: _Optional[str] = ..., proof_serial: _Optional[str] = ..., audit_sequence: _Optional[int] = ..., verification_request_id: _Optional[str] = ..., facts: _Optional[_Iterable[_Union[MismatchFact, _Mapping]]] = ...) -> None: ...

class OversightCountsRequest(_message.Message):
    __slots__ = ["as_of_millis", "from_millis", "to_millis", "unit_code"]
    AS_OF_MILLIS_FIELD_NUMBER: _ClassVar[int]
    FROM_MILLIS_FIELD_NUMBER: _ClassVar[int]
    TO_MILLIS_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    as_of_millis: int
    from_millis: int
    to_millis: int
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., from_millis: _Optional[int] = ..., to_millis: _Optional[int] = ..., as_of_millis: _Optional[int] = ...) -> None: ...

class OversightCountsResponse(_message.Message):
    __slots__ = ["appeals_decided", "appeals_filed", "as_of_millis", "checks_confirmed", "checks_found_false", "checks_overdue", "commitments_recorded", "complaints", "from_millis", "ledger_entries", "ledger_entries_not_to_be_asked_for", "mismatches_opened", "mismatches_resolved", "to_millis", "unit_code"]
    APPEALS_DECIDED_FIELD_NUMBER: _ClassVar[int]
    APPEALS_FILED_FIELD_NUMBER: _ClassVar[int]
    AS_OF_MILLIS_FIELD_NUMBER: _ClassVar[int]
    CHECKS_CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FOUND_FALSE_FIELD_NUMBER: _ClassVar[int]
    CHECKS_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    COMMITMENTS_RECORDED_FIELD_NUMBER: _ClassVar[int]
    COMPLAINTS_FIELD_NUMBER: _ClassVar[int]
    FROM_MILLIS_FIELD_NUMBER: _ClassVar[int]
    LEDGER_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    LEDGER_ENTRIES_NOT_TO_BE_ASKED_FOR_FIELD_NUMBER: _ClassVar[int]
    MISMATCHES_OPENED_FIELD_NUMBER: _ClassVar[int]
    MISMATCHES_RESOLVED_FIELD_NUMBER: _ClassVar[int]
    TO_MILLIS_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    appeals_decided: int
    appeals_filed: int
    as_of_millis: int
    checks_confirmed: int
    checks_found_false: int
    checks_overdue: int
    commitments_recorded: int
    complaints: _containers.RepeatedCompositeFieldContainer[BreachCount]
    from_millis: int
    ledger_entries: int
    ledger_entries_not_to_be_asked_for: int
    mismatches_opened: int
    mismatches_resolved: int
    to_millis: int
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., from_millis: _Optional[int] = ..., to_millis: _Optional[int] = ..., as_of_millis: _Optional[int] = ..., commitments_recorded: _Optional[int] = ..., checks_confirmed: _Optional[int] = ..., checks_found_false: _Optional[int] = ..., checks_overdue: _Optional[int] = ..., ledger_entries: _Optional[int] = ..., ledger_entries_not_to_be_asked_for: _Optional[int] = ..., mismatches_opened: _Optional[int] = ..., mismatches_resolved: _Optional[int] = ..., appeals_filed: _Optional[int] = ..., appeals_decided: _Optional[int] = ..., complaints: _Optional[_Iterable[_Union[BreachCount, _Mapping]]] = ...) -> None: ...

class RecordCommitmentRequest(_message.Message):
    __slots__ = ["case_reference", "channel", "holder_id", "holder_name", "item_code", "proof_type", "text"]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    PROOF_TYPE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    case_reference: str
    channel: str
    holder_id: str
    holder_name: str
    item_code: str
    proof_type: str
    text: str
    def __init__(self, holder_id: _Optional[str] = ..., holder_name: _Optional[str] = ..., item_code: _Optional[str] = ..., case_reference: _Optional[str] = ..., proof_type: _Optional[str] = ..., text: _Optional[str] = ..., channel: _Optional[str] = ...) -> None: ...

class ReverifyMismatchRequest(_message.Message):
    __slots__ = ["corrected", "finding", "mismatch_id", "note"]
    CORRECTED_FIELD_NUMBER: _ClassVar[int]
    FINDING_FIELD_NUMBER: _ClassVar[int]
    MISMATCH_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    corrected: _containers.RepeatedCompositeFieldContainer[_licences_pb2.LicenceField]
    finding: str
    mismatch_id: str
    note: str
    def __init__(self, mismatch_id: _Optional[str] = ..., finding: _Optional[str] = ..., note: _Optional[str] = ..., corrected: _Optional[_Iterable[_Union[_licences_pb2.LicenceField, _Mapping]]] = ...) -> None: ...

class RouteComplaintRequest(_message.Message):
    __slots__ = ["complaint_id", "unit_code"]
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    unit_code: str
    def __init__(self, complaint_id: _Optional[str] = ..., unit_code: _Optional[str] = ...) -> None: ...

class WatchCorrectionNoticesRequest(_message.Message):
    __slots__ = ["include_existing", "limit", "unit_code"]
    INCLUDE_EXISTING_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    include_existing: bool
    limit: int
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., include_existing: bool = ..., limit: _Optional[int] = ...) -> None: ...
