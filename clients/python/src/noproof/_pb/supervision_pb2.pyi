from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

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
    __slots__ = ["code", "detail", "rule"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    code: str
    detail: str
    rule: str
    def __init__(self, code: _Optional[str] = ..., rule: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

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
