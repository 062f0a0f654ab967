from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CacheStats(_message.Message):
    __slots__ = ["capacity", "evictions", "hit_ratio", "hits", "holders", "licences", "misses"]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    EVICTIONS_FIELD_NUMBER: _ClassVar[int]
    HITS_FIELD_NUMBER: _ClassVar[int]
    HIT_RATIO_FIELD_NUMBER: _ClassVar[int]
    HOLDERS_FIELD_NUMBER: _ClassVar[int]
    LICENCES_FIELD_NUMBER: _ClassVar[int]
    MISSES_FIELD_NUMBER: _ClassVar[int]
    capacity: int
    evictions: int
    hit_ratio: float
    hits: int
    holders: int
    licences: int
    misses: int
    def __init__(self, hits: _Optional[int] = ..., misses: _Optional[int] = ..., hit_ratio: _Optional[float] = ..., holders: _Optional[int] = ..., licences: _Optional[int] = ..., capacity: _Optional[int] = ..., evictions: _Optional[int] = ...) -> None: ...

class GetStatsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetStatsResponse(_message.Message):
    __slots__ = ["audit_head_hash", "audit_head_sequence", "audit_records", "cache", "calls_failed", "calls_in_progress", "calls_shed", "calls_total", "connections_closed_memory_quota", "connections_closed_not_reading", "connections_closed_unauthenticated", "connections_open", "connections_refused", "connections_total", "max_pending_answer_bytes", "process_cpu_seconds", "stages", "uptime_seconds"]
    AUDIT_HEAD_HASH_FIELD_NUMBER: _ClassVar[int]
    AUDIT_HEAD_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    AUDIT_RECORDS_FIELD_NUMBER: _ClassVar[int]
    CACHE_FIELD_NUMBER: _ClassVar[int]
    CALLS_FAILED_FIELD_NUMBER: _ClassVar[int]
    CALLS_IN_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    CALLS_SHED_FIELD_NUMBER: _ClassVar[int]
    CALLS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_CLOSED_MEMORY_QUOTA_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_CLOSED_NOT_READING_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_CLOSED_UNAUTHENTICATED_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_OPEN_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_REFUSED_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    MAX_PENDING_ANSWER_BYTES_FIELD_NUMBER: _ClassVar[int]
    PROCESS_CPU_SECONDS_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    UPTIME_SECONDS_FIELD_NUMBER: _ClassVar[int]
    audit_head_hash: bytes
    audit_head_sequence: int
    audit_records: int
    cache: CacheStats
    calls_failed: int
    calls_in_progress: int
    calls_shed: int
    calls_total: int
    connections_closed_memory_quota: int
    connections_closed_not_reading: int
    connections_closed_unauthenticated: int
    connections_open: int
    connections_refused: int
    connections_total: int
    max_pending_answer_bytes: int
    process_cpu_seconds: float
    stages: _containers.RepeatedCompositeFieldContainer[StageLatency]
    uptime_seconds: int
    def __init__(self, uptime_seconds: _Optional[int] = ..., process_cpu_seconds: _Optional[float] = ..., connections_open: _Optional[int] = ..., connections_total: _Optional[int] = ..., calls_total: _Optional[int] = ..., calls_failed: _Optional[int] = ..., cache: _Optional[_Union[CacheStats, _Mapping]] = ..., audit_records: _Optional[int] = ..., audit_head_sequence: _Optional[int] = ..., audit_head_hash: _Optional[bytes] = ..., calls_in_progress: _Optional[int] = ..., calls_shed: _Optional[int] = ..., max_pending_answer_bytes: _Optional[int] = ..., connections_closed_not_reading: _Optional[int] = ..., connections_refused: _Optional[int] = ..., connections_closed_memory_quota: _Optional[int] = ..., connections_closed_unauthenticated: _Optional[int] = ..., stages: _Optional[_Iterable[_Union[StageLatency, _Mapping]]] = ...) -> None: ...

class StageLatency(_message.Message):
    __slots__ = ["count", "max_micros", "name", "p50_micros", "p90_micros", "p999_micros", "p99_micros", "per_batch"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    MAX_MICROS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    P50_MICROS_FIELD_NUMBER: _ClassVar[int]
    P90_MICROS_FIELD_NUMBER: _ClassVar[int]
    P999_MICROS_FIELD_NUMBER: _ClassVar[int]
    P99_MICROS_FIELD_NUMBER: _ClassVar[int]
    PER_BATCH_FIELD_NUMBER: _ClassVar[int]
    count: int
    max_micros: int
    name: str
    p50_micros: int
    p90_micros: int
    p999_micros: int
    p99_micros: int
    per_batch: bool
    def __init__(self, name: _Optional[str] = ..., count: _Optional[int] = ..., p50_micros: _Optional[int] = ..., p90_micros: _Optional[int] = ..., p99_micros: _Optional[int] = ..., p999_micros: _Optional[int] = ..., max_micros: _Optional[int] = ..., per_batch: bool = ...) -> None: ...
