from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListMethodsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListMethodsResponse(_message.Message):
    __slots__ = ["methods"]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    methods: _containers.RepeatedCompositeFieldContainer[MethodInfo]
    def __init__(self, methods: _Optional[_Iterable[_Union[MethodInfo, _Mapping]]] = ...) -> None: ...

class MethodInfo(_message.Message):
    __slots__ = ["id", "kind", "path", "request_type", "required_role", "requires_authentication", "response_type", "summary"]
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    REQUEST_TYPE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_ROLE_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_AUTHENTICATION_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_TYPE_FIELD_NUMBER: _ClassVar[int]
    SERVER_STREAMING: MethodInfo.Kind
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    UNARY: MethodInfo.Kind
    id: int
    kind: MethodInfo.Kind
    path: str
    request_type: str
    required_role: str
    requires_authentication: bool
    response_type: str
    summary: str
    def __init__(self, path: _Optional[str] = ..., id: _Optional[int] = ..., kind: _Optional[_Union[MethodInfo.Kind, str]] = ..., request_type: _Optional[str] = ..., response_type: _Optional[str] = ..., requires_authentication: bool = ..., required_role: _Optional[str] = ..., summary: _Optional[str] = ...) -> None: ...
