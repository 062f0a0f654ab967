from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AmendLicenceRequest(_message.Message):
    __slots__ = ["fields", "holder_name", "licence_id", "reason", "valid_to"]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    LICENCE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    VALID_TO_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedCompositeFieldContainer[LicenceField]
    holder_name: str
    licence_id: str
    reason: str
    valid_to: str
    def __init__(self, licence_id: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[LicenceField, _Mapping]]] = ..., holder_name: _Optional[str] = ..., valid_to: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ChangeLicenceStatusRequest(_message.Message):
    __slots__ = ["licence_id", "reason"]
    LICENCE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    licence_id: str
    reason: str
    def __init__(self, licence_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CheckLicenceRequest(_message.Message):
    __slots__ = ["declared", "holder_id", "purpose", "type_code"]
    DECLARED_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    declared: _containers.RepeatedCompositeFieldContainer[LicenceField]
    holder_id: str
    purpose: Purpose
    type_code: str
    def __init__(self, holder_id: _Optional[str] = ..., type_code: _Optional[str] = ..., declared: _Optional[_Iterable[_Union[LicenceField, _Mapping]]] = ..., purpose: _Optional[_Union[Purpose, _Mapping]] = ...) -> None: ...

class CheckLicenceResponse(_message.Message):
    __slots__ = ["fields", "status"]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedCompositeFieldContainer[FieldCheck]
    status: str
    def __init__(self, status: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[FieldCheck, _Mapping]]] = ...) -> None: ...

class FieldCheck(_message.Message):
    __slots__ = ["key", "result"]
    class Result(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    KEY_FIELD_NUMBER: _ClassVar[int]
    MATCH: FieldCheck.Result
    MISMATCH: FieldCheck.Result
    NOT_ON_RECORD: FieldCheck.Result
    RESULT_FIELD_NUMBER: _ClassVar[int]
    key: str
    result: FieldCheck.Result
    def __init__(self, key: _Optional[str] = ..., result: _Optional[_Union[FieldCheck.Result, str]] = ...) -> None: ...

class GetLicenceRequest(_message.Message):
    __slots__ = ["holder_id", "licence_id", "purpose"]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    LICENCE_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    holder_id: str
    licence_id: str
    purpose: Purpose
    def __init__(self, licence_id: _Optional[str] = ..., holder_id: _Optional[str] = ..., purpose: _Optional[_Union[Purpose, _Mapping]] = ...) -> None: ...

class GetLicenceResponse(_message.Message):
    __slots__ = ["licence", "withheld_fields"]
    LICENCE_FIELD_NUMBER: _ClassVar[int]
    WITHHELD_FIELDS_FIELD_NUMBER: _ClassVar[int]
    licence: Licence
    withheld_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, licence: _Optional[_Union[Licence, _Mapping]] = ..., withheld_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class GetSealKeysRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetSealKeysResponse(_message.Message):
    __slots__ = ["keys"]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedCompositeFieldContainer[SealKey]
    def __init__(self, keys: _Optional[_Iterable[_Union[SealKey, _Mapping]]] = ...) -> None: ...

class ImportLicencesRequest(_message.Message):
    __slots__ = ["licences"]
    LICENCES_FIELD_NUMBER: _ClassVar[int]
    licences: _containers.RepeatedCompositeFieldContainer[Licence]
    def __init__(self, licences: _Optional[_Iterable[_Union[Licence, _Mapping]]] = ...) -> None: ...

class ImportLicencesResponse(_message.Message):
    __slots__ = ["inserted", "rejected", "rejections_omitted", "unchanged", "updated"]
    INSERTED_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    REJECTIONS_OMITTED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    inserted: int
    rejected: _containers.RepeatedCompositeFieldContainer[ImportRejection]
    rejections_omitted: int
    unchanged: int
    updated: int
    def __init__(self, inserted: _Optional[int] = ..., updated: _Optional[int] = ..., unchanged: _Optional[int] = ..., rejected: _Optional[_Iterable[_Union[ImportRejection, _Mapping]]] = ..., rejections_omitted: _Optional[int] = ...) -> None: ...

class ImportRejection(_message.Message):
    __slots__ = ["field", "index", "reason"]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    field: str
    index: int
    reason: str
    def __init__(self, index: _Optional[int] = ..., field: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class IssueLicenceRequest(_message.Message):
    __slots__ = ["licence"]
    LICENCE_FIELD_NUMBER: _ClassVar[int]
    licence: Licence
    def __init__(self, licence: _Optional[_Union[Licence, _Mapping]] = ...) -> None: ...

class Licence(_message.Message):
    __slots__ = ["fields", "holder_id", "holder_name", "issue_date", "issuer_code", "issuer_name", "licence_id", "status", "type_code", "valid_from", "valid_to", "version"]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    ISSUER_CODE_FIELD_NUMBER: _ClassVar[int]
    ISSUER_NAME_FIELD_NUMBER: _ClassVar[int]
    ISSUE_DATE_FIELD_NUMBER: _ClassVar[int]
    LICENCE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_TO_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedCompositeFieldContainer[LicenceField]
    holder_id: str
    holder_name: str
    issue_date: str
    issuer_code: str
    issuer_name: str
    licence_id: str
    status: str
    type_code: str
    valid_from: str
    valid_to: str
    version: int
    def __init__(self, licence_id: _Optional[str] = ..., type_code: _Optional[str] = ..., holder_id: _Optional[str] = ..., holder_name: _Optional[str] = ..., issuer_code: _Optional[str] = ..., issuer_name: _Optional[str] = ..., issue_date: _Optional[str] = ..., valid_from: _Optional[str] = ..., valid_to: _Optional[str] = ..., status: _Optional[str] = ..., version: _Optional[int] = ..., fields: _Optional[_Iterable[_Union[LicenceField, _Mapping]]] = ...) -> None: ...

class LicenceField(_message.Message):
    __slots__ = ["key", "value"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    key: str
    value: str
    def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class LicenceFieldDescriptor(_message.Message):
    __slots__ = ["key", "label_en", "label_zh"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    LABEL_EN_FIELD_NUMBER: _ClassVar[int]
    LABEL_ZH_FIELD_NUMBER: _ClassVar[int]
    key: str
    label_en: str
    label_zh: str
    def __init__(self, key: _Optional[str] = ..., label_zh: _Optional[str] = ..., label_en: _Optional[str] = ...) -> None: ...

class LicenceResponse(_message.Message):
    __slots__ = ["licence"]
    LICENCE_FIELD_NUMBER: _ClassVar[int]
    licence: Licence
    def __init__(self, licence: _Optional[_Union[Licence, _Mapping]] = ...) -> None: ...

class LicenceType(_message.Message):
    __slots__ = ["code", "connected", "fields", "holder_kinds", "issuer_code", "issuer_name", "name_en", "name_zh"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    CONNECTED_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    HOLDER_KINDS_FIELD_NUMBER: _ClassVar[int]
    ISSUER_CODE_FIELD_NUMBER: _ClassVar[int]
    ISSUER_NAME_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    code: str
    connected: bool
    fields: _containers.RepeatedCompositeFieldContainer[LicenceFieldDescriptor]
    holder_kinds: _containers.RepeatedScalarFieldContainer[str]
    issuer_code: str
    issuer_name: str
    name_en: str
    name_zh: str
    def __init__(self, code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., issuer_code: _Optional[str] = ..., issuer_name: _Optional[str] = ..., holder_kinds: _Optional[_Iterable[str]] = ..., fields: _Optional[_Iterable[_Union[LicenceFieldDescriptor, _Mapping]]] = ..., connected: bool = ...) -> None: ...

class ListLicenceTypesRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListLicenceTypesResponse(_message.Message):
    __slots__ = ["types"]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    types: _containers.RepeatedCompositeFieldContainer[LicenceType]
    def __init__(self, types: _Optional[_Iterable[_Union[LicenceType, _Mapping]]] = ...) -> None: ...

class LookupRequest(_message.Message):
    __slots__ = ["holder_id", "purpose", "type_code"]
    HOLDER_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    holder_id: str
    purpose: Purpose
    type_code: str
    def __init__(self, holder_id: _Optional[str] = ..., type_code: _Optional[str] = ..., purpose: _Optional[_Union[Purpose, _Mapping]] = ...) -> None: ...

class LookupResponse(_message.Message):
    __slots__ = ["proof"]
    PROOF_FIELD_NUMBER: _ClassVar[int]
    proof: SealedProof
    def __init__(self, proof: _Optional[_Union[SealedProof, _Mapping]] = ...) -> None: ...

class ProofBody(_message.Message):
    __slots__ = ["extracted_at_millis", "extracting_unit_code", "extracting_unit_name", "licence", "producing_unit_code", "producing_unit_name", "proof_serial", "purpose", "seal_kind", "staff", "verifier_staff", "withheld_fields"]
    EXTRACTED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    EXTRACTING_UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    EXTRACTING_UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    LICENCE_FIELD_NUMBER: _ClassVar[int]
    PRODUCING_UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    PRODUCING_UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    PROOF_SERIAL_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    SEAL_KIND_FIELD_NUMBER: _ClassVar[int]
    STAFF_FIELD_NUMBER: _ClassVar[int]
    VERIFIER_STAFF_FIELD_NUMBER: _ClassVar[int]
    WITHHELD_FIELDS_FIELD_NUMBER: _ClassVar[int]
    extracted_at_millis: int
    extracting_unit_code: str
    extracting_unit_name: str
    licence: Licence
    producing_unit_code: str
    producing_unit_name: str
    proof_serial: str
    purpose: Purpose
    seal_kind: str
    staff: str
    verifier_staff: str
    withheld_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, proof_serial: _Optional[str] = ..., seal_kind: _Optional[str] = ..., licence: _Optional[_Union[Licence, _Mapping]] = ..., purpose: _Optional[_Union[Purpose, _Mapping]] = ..., extracting_unit_code: _Optional[str] = ..., extracting_unit_name: _Optional[str] = ..., producing_unit_code: _Optional[str] = ..., producing_unit_name: _Optional[str] = ..., extracted_at_millis: _Optional[int] = ..., staff: _Optional[str] = ..., verifier_staff: _Optional[str] = ..., withheld_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class ProofStatusRequest(_message.Message):
    __slots__ = ["proof"]
    PROOF_FIELD_NUMBER: _ClassVar[int]
    proof: SealedProof
    def __init__(self, proof: _Optional[_Union[SealedProof, _Mapping]] = ...) -> None: ...

class ProofStatusResponse(_message.Message):
    __slots__ = ["changed_at_millis", "checked_at_millis", "current_version", "key_id", "licence_id", "proof_digest", "proof_serial", "proof_version", "reason", "signature", "status"]
    CHANGED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    CHECKED_AT_MILLIS_FIELD_NUMBER: _ClassVar[int]
    CURRENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    LICENCE_ID_FIELD_NUMBER: _ClassVar[int]
    PROOF_DIGEST_FIELD_NUMBER: _ClassVar[int]
    PROOF_SERIAL_FIELD_NUMBER: _ClassVar[int]
    PROOF_VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    changed_at_millis: int
    checked_at_millis: int
    current_version: int
    key_id: str
    licence_id: str
    proof_digest: bytes
    proof_serial: str
    proof_version: int
    reason: str
    signature: bytes
    status: str
    def __init__(self, proof_digest: _Optional[bytes] = ..., proof_serial: _Optional[str] = ..., licence_id: _Optional[str] = ..., proof_version: _Optional[int] = ..., status: _Optional[str] = ..., current_version: _Optional[int] = ..., changed_at_millis: _Optional[int] = ..., reason: _Optional[str] = ..., checked_at_millis: _Optional[int] = ..., key_id: _Optional[str] = ..., signature: _Optional[bytes] = ...) -> None: ...

class Purpose(_message.Message):
    __slots__ = ["case_reference", "item_code"]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    case_reference: str
    item_code: str
    def __init__(self, item_code: _Optional[str] = ..., case_reference: _Optional[str] = ...) -> None: ...

class SealKey(_message.Message):
    __slots__ = ["algorithm", "key_id", "name_zh", "public_key", "seal_kind", "valid_from_millis", "valid_to_millis"]
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    SEAL_KIND_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_MILLIS_FIELD_NUMBER: _ClassVar[int]
    VALID_TO_MILLIS_FIELD_NUMBER: _ClassVar[int]
    algorithm: str
    key_id: str
    name_zh: str
    public_key: bytes
    seal_kind: str
    valid_from_millis: int
    valid_to_millis: int
    def __init__(self, key_id: _Optional[str] = ..., seal_kind: _Optional[str] = ..., name_zh: _Optional[str] = ..., algorithm: _Optional[str] = ..., public_key: _Optional[bytes] = ..., valid_from_millis: _Optional[int] = ..., valid_to_millis: _Optional[int] = ...) -> None: ...

class SealedProof(_message.Message):
    __slots__ = ["batch_size", "body", "key_id", "leaf_index", "path", "signature"]
    BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAF_INDEX_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    batch_size: int
    body: bytes
    key_id: str
    leaf_index: int
    path: _containers.RepeatedScalarFieldContainer[bytes]
    signature: bytes
    def __init__(self, body: _Optional[bytes] = ..., key_id: _Optional[str] = ..., signature: _Optional[bytes] = ..., leaf_index: _Optional[int] = ..., batch_size: _Optional[int] = ..., path: _Optional[_Iterable[bytes]] = ...) -> None: ...
