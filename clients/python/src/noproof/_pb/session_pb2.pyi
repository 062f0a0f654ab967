from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class AuthenticateRequest(_message.Message):
    __slots__ = ["credential_id", "secret"]
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    credential_id: str
    secret: str
    def __init__(self, credential_id: _Optional[str] = ..., secret: _Optional[str] = ...) -> None: ...

class AuthenticateResponse(_message.Message):
    __slots__ = ["expires_at", "unit_code", "unit_name"]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    expires_at: int
    unit_code: str
    unit_name: str
    def __init__(self, unit_code: _Optional[str] = ..., unit_name: _Optional[str] = ..., expires_at: _Optional[int] = ...) -> None: ...
