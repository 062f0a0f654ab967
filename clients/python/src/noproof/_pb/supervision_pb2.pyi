from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ExemptFlagRequest(_message.Message):
    __slots__ = ["flag", "from_date", "ground", "reason", "to_date", "unit_code"]
    FLAG_FIELD_NUMBER: _ClassVar[int]
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    flag: str
    from_date: str
    ground: str
    reason: str
    to_date: str
    unit_code: str
    def __init__(self, unit_code: _Optional[str] = ..., flag: _Optional[str] = ..., from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., ground: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ExemptFlagResponse(_message.Message):
    __slots__ = ["created", "exemption"]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    EXEMPTION_FIELD_NUMBER: _ClassVar[int]
    created: bool
    exemption: FlagExemptionInfo
    def __init__(self, exemption: _Optional[_Union[FlagExemptionInfo, _Mapping]] = ..., created: bool = ...) -> None: ...

class FlagExemptionInfo(_message.Message):
    __slots__ = ["exemption_id", "flag", "from_date", "granted_at_millis", "granted_by", "ground", "reason", "to_date", "unit_code"]
    EXEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    FLAG_FIELD_NUMBER: _ClassVar[int]
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    GRANTED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    GRANTED_BY_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    exemption_id: str
    flag: str
    from_date: str
    granted_at_millis: int
    granted_by: str
    ground: str
    reason: str
    to_date: str
    unit_code: str
    def __init__(self, exemption_id: _Optional[str] = ..., unit_code: _Optional[str] = ..., flag: _Optional[str] = ..., from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., ground: _Optional[str] = ..., reason: _Optional[str] = ..., granted_by: _Optional[str] = ..., granted_at_millis: _Optional[int] = ...) -> None: ...

class ListExemptionsRequest(_message.Message):
    __slots__ = ["from_date", "to_date", "unit_code"]
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    unit_code: str
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., unit_code: _Optional[str] = ...) -> None: ...

class ListExemptionsResponse(_message.Message):
    __slots__ = ["exemptions"]
    EXEMPTIONS_FIELD_NUMBER: _ClassVar[int]
    exemptions: _containers.RepeatedCompositeFieldContainer[FlagExemptionInfo]
    def __init__(self, exemptions: _Optional[_Iterable[_Union[FlagExemptionInfo, _Mapping]]] = ...) -> None: ...

class ReportFigure(_message.Message):
    __slots__ = ["key", "label", "recorded", "value"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    RECORDED_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    key: str
    label: str
    recorded: bool
    value: int
    def __init__(self, key: _Optional[str] = ..., label: _Optional[str] = ..., value: _Optional[int] = ..., recorded: bool = ...) -> None: ...

class ReportFlag(_message.Message):
    __slots__ = ["code", "detail", "exempted", "exemption", "rule"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    EXEMPTED_FIELD_NUMBER: _ClassVar[int]
    EXEMPTION_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    code: str
    detail: str
    exempted: bool
    exemption: str
    rule: str
    def __init__(self, code: _Optional[str] = ..., rule: _Optional[str] = ..., detail: _Optional[str] = ..., exempted: bool = ..., exemption: _Optional[str] = ...) -> None: ...

class SupervisionReportRequest(_message.Message):
    __slots__ = ["from_date", "to_date", "unit_code"]
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    unit_code: str
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., unit_code: _Optional[str] = ...) -> None: ...

class SupervisionReportResponse(_message.Message):
    __slots__ = ["from_date", "rules", "to_date", "units"]
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    rules: _containers.RepeatedScalarFieldContainer[str]
    to_date: str
    units: _containers.RepeatedCompositeFieldContainer[UnitReport]
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., units: _Optional[_Iterable[_Union[UnitReport, _Mapping]]] = ..., rules: _Optional[_Iterable[str]] = ...) -> None: ...

class UnitReport(_message.Message):
    __slots__ = ["figures", "flags", "unit_code", "unit_name"]
    FIGURES_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    figures: _containers.RepeatedCompositeFieldContainer[ReportFigure]
    flags: _containers.RepeatedCompositeFieldContainer[ReportFlag]
    unit_code: str
    unit_name: str
    def __init__(self, unit_code: _Optional[str] = ..., unit_name: _Optional[str] = ..., figures: _Optional[_Iterable[_Union[ReportFigure, _Mapping]]] = ..., flags: _Optional[_Iterable[_Union[ReportFlag, _Mapping]]] = ...) -> None: ...

class WhoLookedEntry(_message.Message):
    __slots__ = ["action", "at_millis", "audit_sequence", "item_code", "item_name", "result", "type_code", "type_name", "unit_code", "unit_name"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    AUDIT_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    ITEM_NAME_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    TYPE_NAME_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    action: str
    at_millis: int
    audit_sequence: int
    item_code: str
    item_name: str
    result: str
    type_code: str
    type_name: str
    unit_code: str
    unit_name: str
    def __init__(self, at_millis: _Optional[int] = ..., unit_code: _Optional[str] = ..., unit_name: _Optional[str] = ..., action: _Optional[str] = ..., item_code: _Optional[str] = ..., item_name: _Optional[str] = ..., type_code: _Optional[str] = ..., type_name: _Optional[str] = ..., result: _Optional[str] = ..., audit_sequence: _Optional[int] = ...) -> None: ...

class WhoLookedRequest(_message.Message):
    __slots__ = ["holder_id", "limit", "page_token"]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    holder_id: str
    limit: int
    page_token: str
    def __init__(self, holder_id: _Optional[str] = ..., limit: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class WhoLookedResponse(_message.Message):
    __slots__ = ["entries", "holder_id", "next_page_token"]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[WhoLookedEntry]
    holder_id: str
    next_page_token: str
    def __init__(self, holder_id: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[WhoLookedEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
