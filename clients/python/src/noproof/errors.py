"""Status codes and the exceptions of the NoProof client.

Every failed call raises an :class:`RpcError` carrying the gRPC canonical status code, its
name (``code_name``, spelled exactly as gRPC does: ``"INVALID_ARGUMENT"``...) and the server's
human-readable message. Each code has its own subclass (``InvalidArgument``, ``Unauthenticated``...),
so callers can catch exactly the failures they handle::

    try:
        proof = await client.lookup(...)
    except noproof.FailedPrecondition as error:   # e.g. the licence is revoked
        print(error.code_name, error.message)
    except noproof.RpcError as error:             # anything else
        ...
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

__all__ = [
    "StatusCode",
    "RpcError",
    "Cancelled",
    "Unknown",
    "InvalidArgument",
    "DeadlineExceeded",
    "NotFound",
    "AlreadyExists",
    "PermissionDenied",
    "ResourceExhausted",
    "FailedPrecondition",
    "Aborted",
    "OutOfRange",
    "Unimplemented",
    "Internal",
    "Unavailable",
    "DataLoss",
    "Unauthenticated",
    "ProofInvalid",
]


class StatusCode(enum.IntEnum):
    """The gRPC canonical status codes, with gRPC's names (docs/PROTOCOL.md section 3.2)."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class RpcError(Exception):
    """A call (or the connection it ran on) failed with a non-OK status.

    Attributes:
        code: the status code (a :class:`StatusCode`; codes this client does not know are
            reported as ``UNKNOWN``, the number received is kept in ``raw_code``).
        code_name: the code's gRPC name, e.g. ``"UNAUTHENTICATED"``.
        message: what went wrong, as the server (or this client) explained it.
        raw_code: the numeric code exactly as received.
        metadata: the ``CallStatus.metadata`` pairs the server sent with the failure, if any.
        not_processed: True when the client knows the server did not process the call (it could
            not connect, the connection was going away, or a GOAWAY's ``last_call_id`` excluded the
            call): retrying it cannot do anything twice.

    :meth:`RpcError.of` builds the exception of the right subclass for a code; the subclasses
    take just the message: ``raise noproof.NotFound("no such licence")``.
    """

    def __init__(self, code: int | StatusCode, message: str, *, metadata: Sequence[tuple[str, str]] = ()) -> None:
        self.raw_code: int = int(code)
        try:
            self.code: StatusCode = StatusCode(self.raw_code)
        except ValueError:
            self.code = StatusCode.UNKNOWN
        self.message: str = message
        self.metadata: tuple[tuple[str, str], ...] = tuple(metadata)
        self.not_processed: bool = False
        super().__init__(str(self))

    @property
    def code_name(self) -> str:
        """The gRPC name of the code, e.g. ``"NOT_FOUND"``."""
        return self.code.name

    def __str__(self) -> str:
        if self.raw_code != int(self.code):
            return f"{self.code_name} (status code {self.raw_code}, unknown to this client): {self.message}"
        return f"{self.code_name}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.raw_code}, code_name={self.code_name!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (RpcError.of, (self.raw_code, self.message, self.metadata))

    @staticmethod
    def of(code: int | StatusCode, message: str, metadata: Sequence[tuple[str, str]] = ()) -> RpcError:
        """The exception for ``code``: an instance of that code's subclass (``UNKNOWN``'s for unknown codes).

        Raises:
            ValueError: for code 0 (``OK`` is not an error).
        """
        if int(code) == 0:
            raise ValueError("status code 0 (OK) is not an error")
        try:
            cls = _SUBCLASSES[StatusCode(int(code))]
        except ValueError:
            cls = Unknown
        return cls(message, metadata=metadata, raw_code=int(code))


class _CodedError(RpcError):
    """Base of the per-code subclasses: constructed from the message alone."""

    status_code: StatusCode = StatusCode.UNKNOWN

    def __init__(self, message: str, *, metadata: Sequence[tuple[str, str]] = (), raw_code: int | None = None) -> None:
        super().__init__(self.status_code if raw_code is None else raw_code, message, metadata=metadata)


class Cancelled(_CodedError):
    """CANCELLED: the call was cancelled."""

    status_code = StatusCode.CANCELLED


class Unknown(_CodedError):
    """UNKNOWN: an error of unknown kind, or a status code this client does not know (see ``raw_code``)."""

    status_code = StatusCode.UNKNOWN


class InvalidArgument(_CodedError):
    """INVALID_ARGUMENT: the request is wrong; the message names the field."""

    status_code = StatusCode.INVALID_ARGUMENT


class DeadlineExceeded(_CodedError):
    """DEADLINE_EXCEEDED: the call's deadline passed before it finished."""

    status_code = StatusCode.DEADLINE_EXCEEDED


class NotFound(_CodedError):
    """NOT_FOUND: what the request names does not exist."""

    status_code = StatusCode.NOT_FOUND


class AlreadyExists(_CodedError):
    """ALREADY_EXISTS: what the request would create exists already."""

    status_code = StatusCode.ALREADY_EXISTS


class PermissionDenied(_CodedError):
    """PERMISSION_DENIED: the unit or staff member may not do this."""

    status_code = StatusCode.PERMISSION_DENIED


class ResourceExhausted(_CodedError):
    """RESOURCE_EXHAUSTED: a limit was reached (calls in flight on the connection, frame size...)."""

    status_code = StatusCode.RESOURCE_EXHAUSTED


class FailedPrecondition(_CodedError):
    """FAILED_PRECONDITION: the system is not in a state that allows the call (e.g. the licence is revoked)."""

    status_code = StatusCode.FAILED_PRECONDITION


class Aborted(_CodedError):
    """ABORTED: the call was aborted, typically by a concurrency conflict."""

    status_code = StatusCode.ABORTED


class OutOfRange(_CodedError):
    """OUT_OF_RANGE: a value is outside the valid range."""

    status_code = StatusCode.OUT_OF_RANGE


class Unimplemented(_CodedError):
    """UNIMPLEMENTED: the server does not offer this method."""

    status_code = StatusCode.UNIMPLEMENTED


class Internal(_CodedError):
    """INTERNAL: a fault in the server, or an answer this client could not decode."""

    status_code = StatusCode.INTERNAL


class Unavailable(_CodedError):
    """UNAVAILABLE: the server cannot be reached or is going away; retrying on a new connection may help."""

    status_code = StatusCode.UNAVAILABLE


class DataLoss(_CodedError):
    """DATA_LOSS: unrecoverable data loss or corruption."""

    status_code = StatusCode.DATA_LOSS


class Unauthenticated(_CodedError):
    """UNAUTHENTICATED: the connection has no valid credential for this call."""

    status_code = StatusCode.UNAUTHENTICATED


_SUBCLASSES: dict[StatusCode, type[_CodedError]] = {
    cls.status_code: cls
    for cls in (
        Cancelled, Unknown, InvalidArgument, DeadlineExceeded, NotFound, AlreadyExists, PermissionDenied,
        ResourceExhausted, FailedPrecondition, Aborted, OutOfRange, Unimplemented, Internal, Unavailable,
        DataLoss, Unauthenticated,
    )
}


class ProofInvalid(Exception):
    """A sealed proof does not verify: it was altered, is malformed, or was not sealed by a published key.

    ``reason`` says which check failed.
    """

    def __init__(self, reason: str) -> None:
        self.reason: str = reason
        super().__init__(reason)
