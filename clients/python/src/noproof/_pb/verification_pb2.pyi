from . import licences_pb2 as _licences_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AnswerVerificationRequest(_message.Message):
    __slots__ = ["licence", "note", "outcome", "request_id"]
    LICENCE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    licence: _licences_pb2.Licence
    note: str
    outcome: str
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., outcome: _Optional[str] = ..., licence: _Optional[_Union[_licences_pb2.Licence, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class FileVerificationRequest(_message.Message):
    __slots__ = ["case_accepted_at_millis", "declared", "holder_id", "holder_name", "issuing_unit_code", "promised_completion_at_millis", "proof_type", "purpose", "request_key"]
    CASE_ACCEPTED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    DECLARED_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    ISSUING_UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    PROMISED_COMPLETION_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    PROOF_TYPE_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_KEY_FIELD_NUMBER: _ClassVar[int]
    case_accepted_at_millis: int
    declared: _containers.RepeatedCompositeFieldContainer[_licences_pb2.LicenceField]
    holder_id: str
    holder_name: str
    issuing_unit_code: str
    promised_completion_at_millis: int
    proof_type: str
    purpose: _licences_pb2.Purpose
    request_key: str
    def __init__(self, request_key: _Optional[str] = ..., issuing_unit_code: _Optional[str] = ..., proof_type: _Optional[str] = ..., holder_id: _Optional[str] = ..., holder_name: _Optional[str] = ..., declared: _Optional[_Iterable[_Union[_licences_pb2.LicenceField, _Mapping]]] = ..., purpose: _Optional[_Union[_licences_pb2.Purpose, _Mapping]] = ..., promised_completion_at_millis: _Optional[int] = ..., case_accepted_at_millis: _Optional[int] = ...) -> None: ...

class GetVerificationRequest(_message.Message):
    __slots__ = ["request_id"]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    def __init__(self, request_id: _Optional[str] = ...) -> None: ...

class ListVerificationsRequest(_message.Message):
    __slots__ = ["include_finished", "limit"]
    INCLUDE_FINISHED_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    include_finished: bool
    limit: int
    def __init__(self, include_finished: bool = ..., limit: _Optional[int] = ...) -> None: ...

class ListVerificationsResponse(_message.Message):
    __slots__ = ["requests"]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    requests: _containers.RepeatedCompositeFieldContainer[VerificationRecord]
    def __init__(self, requests: _Optional[_Iterable[_Union[VerificationRecord, _Mapping]]] = ...) -> None: ...

class RefileVerificationRequest(_message.Message):
    __slots__ = ["issuing_unit_code", "request_id"]
    ISSUING_UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    issuing_unit_code: str
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., issuing_unit_code: _Optional[str] = ...) -> None: ...

class ReturnVerificationRequest(_message.Message):
    __slots__ = ["reason", "request_id", "suggested_unit_code"]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUGGESTED_UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    reason: str
    request_id: str
    suggested_unit_code: str
    def __init__(self, request_id: _Optional[str] = ..., reason: _Optional[str] = ..., suggested_unit_code: _Optional[str] = ...) -> None: ...

class TakeVerificationRequest(_message.Message):
    __slots__ = ["request_id"]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    def __init__(self, request_id: _Optional[str] = ...) -> None: ...

class VerificationEvent(_message.Message):
    __slots__ = ["at_millis", "kind", "request"]
    AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    at_millis: int
    kind: str
    request: VerificationRecord
    def __init__(self, kind: _Optional[str] = ..., at_millis: _Optional[int] = ..., request: _Optional[_Union[VerificationRecord, _Mapping]] = ...) -> None: ...

class VerificationRecord(_message.Message):
    __slots__ = ["answer_by_millis", "case_accepted_at_millis", "checks", "deadline_note", "deadline_rule", "declared", "escalation_by_millis", "filed_at_millis", "filed_by", "finished_at_millis", "finished_by", "finished_late", "holder_id", "holder_name", "issuing_unit_code", "issuing_unit_name", "item_kind", "item_processing_millis", "note", "outcome", "overdue_at_millis", "promised_completion_at_millis", "proof", "proof_type", "purpose", "refiled_as", "refiled_from", "request_id", "request_key", "requesting_unit_code", "requesting_unit_name", "return_by_millis", "return_reason", "second_breach_at_millis", "status", "suggested_unit_code", "taken_at_millis", "taken_by", "verification_millis"]
    ANSWER_BY_MILLIS_FIELD_NUMBER: _ClassVar[int]
    CASE_ACCEPTED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_NOTE_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_RULE_FIELD_NUMBER: _ClassVar[int]
    DECLARED_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_BY_MILLIS_FIELD_NUMBER: _ClassVar[int]
    FILED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    FILED_BY_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    FINISHED_BY_FIELD_NUMBER: _ClassVar[int]
    FINISHED_LATE_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    ISSUING_UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    ISSUING_UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    ITEM_KIND_FIELD_NUMBER: _ClassVar[int]
    ITEM_PROCESSING_MILLIS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    PROMISED_COMPLETION_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    PROOF_FIELD_NUMBER: _ClassVar[int]
    PROOF_TYPE_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    REFILED_AS_FIELD_NUMBER: _ClassVar[int]
    REFILED_FROM_FIELD_NUMBER: _ClassVar[int]
    REQUESTING_UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    REQUESTING_UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_KEY_FIELD_NUMBER: _ClassVar[int]
    RETURN_BY_MILLIS_FIELD_NUMBER: _ClassVar[int]
    RETURN_REASON_FIELD_NUMBER: _ClassVar[int]
    SECOND_BREACH_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUGGESTED_UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    TAKEN_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    TAKEN_BY_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_MILLIS_FIELD_NUMBER: _ClassVar[int]
    answer_by_millis: int
    case_accepted_at_millis: int
    checks: _containers.RepeatedCompositeFieldContainer[_licences_pb2.FieldCheck]
    deadline_note: str
    deadline_rule: str
    declared: _containers.RepeatedCompositeFieldContainer[_licences_pb2.LicenceField]
    escalation_by_millis: int
    filed_at_millis: int
    filed_by: str
    finished_at_millis: int
    finished_by: str
    finished_late: bool
    holder_id: str
    holder_name: str
    issuing_unit_code: str
    issuing_unit_name: str
    item_kind: str
    item_processing_millis: int
    note: str
    outcome: str
    overdue_at_millis: int
    promised_completion_at_millis: int
    proof: _licences_pb2.SealedProof
    proof_type: str
    purpose: _licences_pb2.Purpose
    refiled_as: str
    refiled_from: str
    request_id: str
    request_key: str
    requesting_unit_code: str
    requesting_unit_name: str
    return_by_millis: int
    return_reason: str
    second_breach_at_millis: int
    status: str
    suggested_unit_code: str
    taken_at_millis: int
    taken_by: str
    verification_millis: int
    def __init__(self, request_id: _Optional[str] = ..., request_key: _Optional[str] = ..., requesting_unit_code: _Optional[str] = ..., requesting_unit_name: _Optional[str] = ..., issuing_unit_code: _Optional[str] = ..., issuing_unit_name: _Optional[str] = ..., proof_type: _Optional[str] = ..., holder_id: _Optional[str] = ..., holder_name: _Optional[str] = ..., declared: _Optional[_Iterable[_Union[_licences_pb2.LicenceField, _Mapping]]] = ..., purpose: _Optional[_Union[_licences_pb2.Purpose, _Mapping]] = ..., item_kind: _Optional[str] = ..., promised_completion_at_millis: _Optional[int] = ..., deadline_rule: _Optional[str] = ..., filed_at_millis: _Optional[int] = ..., filed_by: _Optional[str] = ..., answer_by_millis: _Optional[int] = ..., return_by_millis: _Optional[int] = ..., escalation_by_millis: _Optional[int] = ..., status: _Optional[str] = ..., taken_by: _Optional[str] = ..., taken_at_millis: _Optional[int] = ..., overdue_at_millis: _Optional[int] = ..., second_breach_at_millis: _Optional[int] = ..., finished_at_millis: _Optional[int] = ..., finished_by: _Optional[str] = ..., finished_late: bool = ..., outcome: _Optional[str] = ..., proof: _Optional[_Union[_licences_pb2.SealedProof, _Mapping]] = ..., note: _Optional[str] = ..., checks: _Optional[_Iterable[_Union[_licences_pb2.FieldCheck, _Mapping]]] = ..., return_reason: _Optional[str] = ..., suggested_unit_code: _Optional[str] = ..., refiled_from: _Optional[str] = ..., refiled_as: _Optional[str] = ..., verification_millis: _Optional[int] = ..., case_accepted_at_millis: _Optional[int] = ..., item_processing_millis: _Optional[int] = ..., deadline_note: _Optional[str] = ...) -> None: ...

class VerificationResponse(_message.Message):
    __slots__ = ["replayed", "request"]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    replayed: bool
    request: VerificationRecord
    def __init__(self, request: _Optional[_Union[VerificationRecord, _Mapping]] = ..., replayed: bool = ...) -> None: ...

class WatchVerificationQueueRequest(_message.Message):
    __slots__ = ["include_open"]
    INCLUDE_OPEN_FIELD_NUMBER: _ClassVar[int]
    include_open: bool
    def __init__(self, include_open: bool = ...) -> None: ...

class WatchVerificationRequest(_message.Message):
    __slots__ = ["request_id"]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    def __init__(self, request_id: _Optional[str] = ...) -> None: ...
