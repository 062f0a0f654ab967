from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AuditRecordFields(_message.Message):
    __slots__ = ["action", "at_millis", "case_reference", "counterpart_unit", "credential_id", "holder_id", "item_code", "licence_id", "proof_serial", "result", "sequence", "staff", "type_code", "unit_code"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    COUNTERPART_UNIT_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    LICENCE_ID_FIELD_NUMBER: _ClassVar[int]
    PROOF_SERIAL_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    STAFF_FIELD_NUMBER: _ClassVar[int]
    TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    action: str
    at_millis: int
    case_reference: str
    counterpart_unit: str
    credential_id: str
    holder_id: str
    item_code: str
    licence_id: str
    proof_serial: str
    result: str
    sequence: int
    staff: str
    type_code: str
    unit_code: str
    def __init__(self, sequence: _Optional[int] = ..., at_millis: _Optional[int] = ..., unit_code: _Optional[str] = ..., credential_id: _Optional[str] = ..., staff: _Optional[str] = ..., action: _Optional[str] = ..., item_code: _Optional[str] = ..., case_reference: _Optional[str] = ..., holder_id: _Optional[str] = ..., type_code: _Optional[str] = ..., licence_id: _Optional[str] = ..., result: _Optional[str] = ..., proof_serial: _Optional[str] = ..., counterpart_unit: _Optional[str] = ...) -> None: ...

class GetTreeHeadRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetTreeHeadResponse(_message.Message):
    __slots__ = ["audit_key_id", "audit_public_key", "head", "witness_failures", "witnesses"]
    AUDIT_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    AUDIT_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    HEAD_FIELD_NUMBER: _ClassVar[int]
    WITNESSES_FIELD_NUMBER: _ClassVar[int]
    WITNESS_FAILURES_FIELD_NUMBER: _ClassVar[int]
    audit_key_id: str
    audit_public_key: bytes
    head: TreeHead
    witness_failures: int
    witnesses: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, head: _Optional[_Union[TreeHead, _Mapping]] = ..., audit_public_key: _Optional[bytes] = ..., audit_key_id: _Optional[str] = ..., witnesses: _Optional[_Iterable[str]] = ..., witness_failures: _Optional[int] = ...) -> None: ...

class ProveConsistencyRequest(_message.Message):
    __slots__ = ["first", "second"]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    SECOND_FIELD_NUMBER: _ClassVar[int]
    first: int
    second: int
    def __init__(self, first: _Optional[int] = ..., second: _Optional[int] = ...) -> None: ...

class ProveConsistencyResponse(_message.Message):
    __slots__ = ["first_root", "head", "proof"]
    FIRST_ROOT_FIELD_NUMBER: _ClassVar[int]
    HEAD_FIELD_NUMBER: _ClassVar[int]
    PROOF_FIELD_NUMBER: _ClassVar[int]
    first_root: bytes
    head: TreeHead
    proof: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, head: _Optional[_Union[TreeHead, _Mapping]] = ..., first_root: _Optional[bytes] = ..., proof: _Optional[_Iterable[bytes]] = ...) -> None: ...

class ProveRecordRequest(_message.Message):
    __slots__ = ["holder_id", "sequence", "tree_size"]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    holder_id: str
    sequence: int
    tree_size: int
    def __init__(self, sequence: _Optional[int] = ..., holder_id: _Optional[str] = ..., tree_size: _Optional[int] = ...) -> None: ...

class ProveRecordResponse(_message.Message):
    __slots__ = ["chain_hash", "head", "path", "previous_chain_hash", "record"]
    CHAIN_HASH_FIELD_NUMBER: _ClassVar[int]
    HEAD_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_CHAIN_HASH_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    chain_hash: bytes
    head: TreeHead
    path: _containers.RepeatedScalarFieldContainer[bytes]
    previous_chain_hash: bytes
    record: AuditRecordFields
    def __init__(self, record: _Optional[_Union[AuditRecordFields, _Mapping]] = ..., previous_chain_hash: _Optional[bytes] = ..., chain_hash: _Optional[bytes] = ..., head: _Optional[_Union[TreeHead, _Mapping]] = ..., path: _Optional[_Iterable[bytes]] = ...) -> None: ...

class TreeHead(_message.Message):
    __slots__ = ["key_id", "root", "signature", "timestamp_ms", "tree_size"]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    ROOT_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_MS_FIELD_NUMBER: _ClassVar[int]
    TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    root: bytes
    signature: bytes
    timestamp_ms: int
    tree_size: int
    def __init__(self, tree_size: _Optional[int] = ..., timestamp_ms: _Optional[int] = ..., root: _Optional[bytes] = ..., key_id: _Optional[str] = ..., signature: _Optional[bytes] = ...) -> None: ...
