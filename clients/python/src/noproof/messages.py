"""The protobuf message classes of package ``noproof.v1``, generated from ``Protos/*.proto``.

Every message a NoProof call sends or receives is importable from here, e.g.
``from noproof.messages import SealedProof, Licence``. Encode with ``message.SerializeToString()``,
decode with ``Class.FromString(data)``.
"""

from ._pb.admin_pb2 import CacheStats, GetStatsRequest, GetStatsResponse
from ._pb.health_pb2 import HealthCheckRequest, HealthCheckResponse
from ._pb.licences_pb2 import (
    AmendLicenceRequest,
    ChangeLicenceStatusRequest,
    CheckLicenceRequest,
    CheckLicenceResponse,
    FieldCheck,
    GetLicenceRequest,
    GetLicenceResponse,
    GetSealKeysRequest,
    GetSealKeysResponse,
    ImportLicencesRequest,
    ImportLicencesResponse,
    ImportRejection,
    IssueLicenceRequest,
    Licence,
    LicenceField,
    LicenceFieldDescriptor,
    LicenceResponse,
    LicenceType,
    ListLicenceTypesRequest,
    ListLicenceTypesResponse,
    LookupRequest,
    LookupResponse,
    ProofBody,
    Purpose,
    SealedProof,
    SealKey,
)
from ._pb.reflection_pb2 import ListMethodsRequest, ListMethodsResponse, MethodInfo
from ._pb.rpc_pb2 import CallHeader, CallStatus, GoAway, MetadataEntry, ServerSettings
from ._pb.session_pb2 import AuthenticateRequest, AuthenticateResponse

__all__ = [
    "AmendLicenceRequest",
    "AuthenticateRequest",
    "AuthenticateResponse",
    "CacheStats",
    "CallHeader",
    "CallStatus",
    "ChangeLicenceStatusRequest",
    "CheckLicenceRequest",
    "CheckLicenceResponse",
    "FieldCheck",
    "GetLicenceRequest",
    "GetLicenceResponse",
    "GetSealKeysRequest",
    "GetSealKeysResponse",
    "GetStatsRequest",
    "GetStatsResponse",
    "GoAway",
    "HealthCheckRequest",
    "HealthCheckResponse",
    "ImportLicencesRequest",
    "ImportLicencesResponse",
    "ImportRejection",
    "IssueLicenceRequest",
    "Licence",
    "LicenceField",
    "LicenceFieldDescriptor",
    "LicenceResponse",
    "LicenceType",
    "ListLicenceTypesRequest",
    "ListLicenceTypesResponse",
    "ListMethodsRequest",
    "ListMethodsResponse",
    "LookupRequest",
    "LookupResponse",
    "MetadataEntry",
    "MethodInfo",
    "ProofBody",
    "Purpose",
    "SealKey",
    "SealedProof",
    "ServerSettings",
]
