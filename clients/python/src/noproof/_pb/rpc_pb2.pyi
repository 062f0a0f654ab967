from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CallHeader(_message.Message):
    __slots__ = ["metadata", "method", "method_id", "payload", "timeout_micros"]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    METHOD_ID_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_MICROS_FIELD_NUMBER: _ClassVar[int]
    metadata: _containers.RepeatedCompositeFieldContainer[MetadataEntry]
    method: str
    method_id: int
    payload: bytes
    timeout_micros: int
    def __init__(self, method: _Optional[str] = ..., method_id: _Optional[int] = ..., timeout_micros: _Optional[int] = ..., metadata: _Optional[_Iterable[_Union[MetadataEntry, _Mapping]]] = ..., payload: _Optional[bytes] = ...) -> None: ...

class CallStatus(_message.Message):
    __slots__ = ["code", "message", "metadata"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    code: int
    message: str
    metadata: _containers.RepeatedCompositeFieldContainer[MetadataEntry]
    def __init__(self, code: _Optional[int] = ..., message: _Optional[str] = ..., metadata: _Optional[_Iterable[_Union[MetadataEntry, _Mapping]]] = ...) -> None: ...

class GoAway(_message.Message):
    __slots__ = ["code", "last_call_id", "message"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    LAST_CALL_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: int
    last_call_id: int
    message: str
    def __init__(self, last_call_id: _Optional[int] = ..., code: _Optional[int] = ..., message: _Optional[str] = ...) -> None: ...

class MetadataEntry(_message.Message):
    __slots__ = ["key", "value"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    key: str
    value: str
    def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class ServerSettings(_message.Message):
    __slots__ = ["authentication_required", "idle_timeout_millis", "max_concurrent_calls", "max_frame_size", "protocol_version", "server_name"]
    AUTHENTICATION_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    IDLE_TIMEOUT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    MAX_CONCURRENT_CALLS_FIELD_NUMBER: _ClassVar[int]
    MAX_FRAME_SIZE_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    authentication_required: bool
    idle_timeout_millis: int
    max_concurrent_calls: int
    max_frame_size: int
    protocol_version: int
    server_name: str
    def __init__(self, protocol_version: _Optional[int] = ..., max_frame_size: _Optional[int] = ..., max_concurrent_calls: _Optional[int] = ..., idle_timeout_millis: _Optional[int] = ..., server_name: _Optional[str] = ..., authentication_required: bool = ...) -> None: ...
