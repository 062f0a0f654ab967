"""An asyncio client of the NoProof wire protocol (docs/PROTOCOL.md).

One :class:`Client` is one TCP connection. Many calls may be in flight on it at once: each gets
its own call id, and a reader task hands every answer to the call it belongs to, in whatever
order the server sends them.
"""

from __future__ import annotations

import asyncio
import collections
import math
import os
import ssl as _ssl
import time
import uuid
from collections.abc import AsyncIterator, Coroutine, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

from google.protobuf.message import DecodeError, Message

from .errors import (
    Cancelled,
    DeadlineExceeded,
    Internal,
    InvalidArgument,
    ResourceExhausted,
    RpcError,
    StatusCode,
    Unavailable,
)
from .messages import (
    GetTreeHeadRequest,
    GetTreeHeadResponse,
    ProveConsistencyRequest,
    ProveConsistencyResponse,
    ProveRecordRequest,
    ProveRecordResponse,
    AddLedgerEntryRequest,
    AnswerComplaintRequest,
    AppealMismatchRequest,
    CheckCommitmentRequest,
    CloseComplaintRequest,
    CommitmentRecord,
    CommitmentResponse,
    ComplaintRecord,
    ComplaintResponse,
    FileComplaintRequest,
    GetOversightRecordRequest,
    LedgerEntryRecord,
    LedgerEntryResponse,
    ListCommitmentsRequest,
    ListCommitmentsResponse,
    ListComplaintsRequest,
    ListComplaintsResponse,
    ListLedgerRequest,
    ListLedgerResponse,
    ListMismatchesRequest,
    ListMismatchesResponse,
    MismatchFact,
    MismatchRecord,
    MismatchResponse,
    MismatchSupplementRequest,
    OpenMismatchRequest,
    OversightCountsRequest,
    OversightCountsResponse,
    RecordCommitmentRequest,
    ReverifyMismatchRequest,
    RouteComplaintRequest,
    AmendLicenceRequest,
    AuthenticateRequest,
    AuthenticateResponse,
    CallHeader,
    CallStatus,
    ChangeLicenceStatusRequest,
    CheckLicenceRequest,
    CheckLicenceResponse,
    GetLicenceRequest,
    GetLicenceResponse,
    GetSealKeysRequest,
    GetSealKeysResponse,
    GetStatsRequest,
    GetStatsResponse,
    GoAway,
    HealthCheckRequest,
    HealthCheckResponse,
    ImportLicencesRequest,
    ImportLicencesResponse,
    IssueLicenceRequest,
    Licence,
    LicenceField,
    LicenceResponse,
    LicenceType,
    ListLicenceTypesRequest,
    ListLicenceTypesResponse,
    ListMethodsRequest,
    ListMethodsResponse,
    LookupRequest,
    LookupResponse,
    MetadataEntry,
    MethodInfo,
    ProofStatusRequest,
    ProofStatusResponse,
    Purpose,
    SealedProof,
    ServerSettings,
    AnswerVerificationRequest,
    FileVerificationRequest,
    GetVerificationRequest,
    ListVerificationsRequest,
    ListVerificationsResponse,
    RefileVerificationRequest,
    ReturnVerificationRequest,
    TakeVerificationRequest,
    VerificationEvent,
    VerificationRecord,
    VerificationResponse,
    WatchVerificationQueueRequest,
    WatchVerificationRequest,
    SupervisionReportRequest,
    ExemptFlagRequest,
    ExemptFlagResponse,
    ListExemptionsRequest,
    ListExemptionsResponse,
    ShowItemRequest,
    ShowItemResponse,
    SupervisionReportResponse,
    WhoLookedRequest,
    WhoLookedResponse,
)
from .protocol import FLAG_END_OK, HEADER_LENGTH, PREFACE, FrameType, decode_header, encode_frame

__all__ = ["Client", "Connecting", "ServerStream", "Metadata", "DEFAULT_PORT"]

#: The port ``noproofd`` listens on unless configured otherwise.
DEFAULT_PORT = 7420

ResponseT = TypeVar("ResponseT", bound=Message)

#: Call metadata: a mapping or a sequence of (key, value) pairs; keys are lower-case ASCII.
Metadata = Mapping[str, str] | Sequence[tuple[str, str]]

_MAX_CALL_ID = 0xFFFF_FFFF
#: Largest frame payload this client accepts from a server (the server's own limit is in SETTINGS).
_DEFAULT_MAX_RECEIVE = 64 * 1024 * 1024
#: Bytes queued for the socket above which a call waits for them to be sent.
_WRITE_HIGH_WATER = 1024 * 1024


@dataclass(slots=True)
class _Message:
    payload: bytes
    end_ok: bool


@dataclass(slots=True)
class _Ended:
    """The call ended: ``error`` is None for OK."""

    error: RpcError | None


_Event = _Message | _Ended


class _Call:
    """Book-keeping of one open call; events are queued by the reader task."""

    __slots__ = ("call_id", "method", "events", "deadline", "timeout")

    def __init__(self, call_id: int, method: str, deadline: float | None, timeout: float | None) -> None:
        self.call_id = call_id
        self.method = method
        self.events: asyncio.Queue[_Event] = asyncio.Queue()
        self.deadline = deadline  # loop.time() at which the client gives up, or None
        self.timeout = timeout


class Client:
    """A connection to a NoProof server.

    Create one with :meth:`Client.connect` (awaited, or used as ``async with``), close it with
    :meth:`close`. All methods are coroutines to be called from the event loop that connected.
    Every failed call raises :class:`noproof.RpcError` (or one of its per-code subclasses).

    Attributes:
        settings: the ``ServerSettings`` the server announced after its preface.
        session: the ``AuthenticateResponse`` of the unit the connection acts for (None if
            the connection did not authenticate).
        goaway: the ``GoAway`` the server sent, once it has sent one (no new calls then).
    """

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        settings: ServerSettings,
        *,
        default_timeout: float | None,
        max_receive_frame_size: int,
        address: str,
        staff: str | None = None,
    ) -> None:
        """Use :meth:`Client.connect`; this wraps a connection whose preface exchange is done."""
        self.staff: str | None = staff
        self._reader = reader
        self._writer = writer
        self.settings: ServerSettings = settings
        self.session: AuthenticateResponse | None = None
        self.goaway: GoAway | None = None
        self._address = address
        self._default_timeout = default_timeout
        self._max_receive = max_receive_frame_size
        self._calls: dict[int, _Call] = {}
        self._next_call_id = 1
        self._pings: dict[bytes, asyncio.Future[None]] = {}
        self._slot_waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._closed_error: RpcError | None = None
        self._reader_task = asyncio.get_running_loop().create_task(self._read_loop(), name=f"noproof-reader {address}")

    def _staff_metadata(self, staff: str | None) -> list[tuple[str, str]] | None:
        """The ``staff`` metadata of a call: ``staff``, else the connection's default staff member."""
        return _staff(staff or self.staff)

    # ------------------------------------------------------------------ connecting and closing

    @classmethod
    def connect(
        cls,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        *,
        credential: tuple[str, str] | None = None,
        timeout: float = 10.0,
        default_timeout: float | None = 30.0,
        ssl: _ssl.SSLContext | None = None,
        max_receive_frame_size: int = _DEFAULT_MAX_RECEIVE,
        staff: str | None = None,
    ) -> Connecting:
        """Connects to ``noproofd`` and, with a credential, authenticates the connection.

        Sends the preface, waits for the server's preface and SETTINGS, then calls
        ``/noproof.v1.Session/Authenticate`` with ``credential`` = (credential id, secret).
        Use as ``client = await Client.connect(...)`` or ``async with Client.connect(...) as client:``
        (which closes the client at the end of the block).

        Args:
            host, port: where ``noproofd`` listens (default 127.0.0.1:7420).
            credential: the unit's (credential id, secret); None for an unauthenticated
                connection (only Health/Check, Authenticate and the public Licences reads work).
            timeout: seconds for connecting, the preface exchange and authentication together.
            default_timeout: the deadline of calls that give none, in seconds; None = no deadline.
            ssl: a TLS context, for servers configured with TLS (the framing inside is the same).
            max_receive_frame_size: the largest frame payload accepted from the server.
            staff: on a departmental system's credential, the registered staff member calls act
                for when they name none (``staff`` metadata); with a staff credential (the person
                signed in) leave it None. Acts that carry a person's authority — approving lists,
                answering verification, setting staff — need a staff credential.

        Raises:
            noproof.Unavailable: the server cannot be reached or closed the connection.
            noproof.DeadlineExceeded: ``timeout`` passed first.
            noproof.RpcError: the server refused the connection (GOAWAY: its code and message)
                or the credential (``Unauthenticated``).
        """
        return Connecting(
            cls._open(host, port, credential, timeout, default_timeout, ssl, max_receive_frame_size, staff)
        )

    @classmethod
    async def _open(
        cls,
        host: str,
        port: int,
        credential: tuple[str, str] | None,
        timeout: float,
        default_timeout: float | None,
        ssl: _ssl.SSLContext | None,
        max_receive_frame_size: int,
        staff: str | None = None,
    ) -> Client:
        address = f"{host}:{port}"
        writer: asyncio.StreamWriter | None = None
        client: Client | None = None
        try:
            async with asyncio.timeout(timeout):
                try:
                    reader, writer = await asyncio.open_connection(host, port, ssl=ssl)
                except OSError as error:
                    raise Unavailable(f"cannot connect to {address} ({error}); is noproofd running there?") from None
                writer.write(PREFACE)
                settings = await cls._handshake(reader, address, max_receive_frame_size)
                client = cls(
                    reader, writer, settings,
                    default_timeout=default_timeout, max_receive_frame_size=max_receive_frame_size, address=address,
                    staff=staff,
                )
                if credential is not None:
                    credential_id, secret = credential
                    client.session = await client.authenticate(credential_id, secret)
                return client
        except TimeoutError:
            if client is not None:
                await client.close()
            elif writer is not None:
                writer.close()
            raise DeadlineExceeded(f"connecting to {address} took longer than {timeout:g}s") from None
        except BaseException:
            if client is not None:
                await client.close()
            elif writer is not None:
                writer.close()
            raise

    @staticmethod
    async def _handshake(reader: asyncio.StreamReader, address: str, max_receive: int) -> ServerSettings:
        """Reads the server's preface and its first frame, which must be SETTINGS (or a GOAWAY refusal)."""
        try:
            preface = await reader.readexactly(len(PREFACE))
        except asyncio.IncompleteReadError as error:
            raise Unavailable(f"{address} closed the connection during the preface exchange "
                              f"(received {error.partial!r}); is it a NoProof server?") from None
        except OSError as error:
            raise Unavailable(f"connection to {address} failed during the preface exchange: {error}") from None
        if preface[:7] != PREFACE[:7]:
            raise Unavailable(f"{address} is not a NoProof server: it answered {preface!r} instead of the NoProof preface")
        if preface[7] != PREFACE[7]:
            raise Unavailable(f"{address} speaks NoProof protocol version {preface[7]}; this client speaks version {PREFACE[7]}")
        try:
            header = decode_header(await reader.readexactly(HEADER_LENGTH))
            if header.length > max_receive:
                raise Unavailable(f"{address} sent a {header.length}-byte frame during the preface exchange")
            payload = await reader.readexactly(header.length)
        except asyncio.IncompleteReadError:
            raise Unavailable(f"{address} closed the connection right after its preface, without SETTINGS") from None
        except OSError as error:
            raise Unavailable(f"connection to {address} failed during the preface exchange: {error}") from None
        if header.type == FrameType.GOAWAY:
            goaway = _decode(GoAway, payload, "GOAWAY")
            raise RpcError.of(goaway.code or StatusCode.UNAVAILABLE,
                              f"{address} refused the connection: {goaway.message or 'GOAWAY without a message'}")
        if header.type != FrameType.SETTINGS:
            raise Unavailable(f"{address} sent frame type {header.type:#04x} before SETTINGS; it is not a NoProof server")
        return _decode(ServerSettings, payload, "SETTINGS")

    @property
    def is_closed(self) -> bool:
        """True once the connection is closed. After a graceful GOAWAY from the server (``goaway`` is
        set) the client already refuses new calls while the open ones finish."""
        return self._closed_error is not None

    @property
    def open_calls(self) -> int:
        """How many calls are in flight on this connection."""
        return len(self._calls)

    async def close(self) -> None:
        """Closes the connection: sends GOAWAY (code OK) and closes the socket.

        Calls still open fail with ``CANCELLED``. Safe to call more than once.
        """
        if self._closed_error is None:
            try:
                self._writer.write(encode_frame(FrameType.GOAWAY, 0, GoAway(code=0, message="client closing").SerializeToString()))
            except (OSError, RuntimeError):
                pass
            self._shutdown(Cancelled("the client closed the connection"))
        self._reader_task.cancel()
        await asyncio.wait([self._reader_task])
        if not self._reader_task.cancelled():
            self._reader_task.exception()  # retrieved: the reader reports its failures through the calls
        try:
            await self._writer.wait_closed()
        except (OSError, RuntimeError):
            pass

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # ------------------------------------------------------------------ generic calls

    async def call(
        self,
        method: str | int,
        request: Message,
        response_type: type[ResponseT],
        *,
        metadata: Metadata | None = None,
        timeout: float | None = None,
    ) -> ResponseT:
        """A unary call.

        Args:
            method: the full path (``"/noproof.v1.Health/Check"``) or the numeric method id.
            request: the request message (it is encoded here).
            response_type: the response message class, e.g. ``HealthCheckResponse``.
            metadata: call metadata, e.g. ``{"staff": "agent-0042"}``.
            timeout: the deadline in seconds (sent to the server and kept by this client, which
                sends CANCEL when it passes); None = the client's ``default_timeout``;
                ``math.inf`` = no deadline.

        While the connection already has the server's ``max_concurrent_calls`` calls open, the
        call waits (within its deadline) for one of them to end instead of being refused.

        Raises:
            noproof.RpcError: the call failed; e.g. ``DeadlineExceeded``, ``Unimplemented``.
        """
        limit, deadline = self._deadline(timeout)
        await self._wait_for_slot(method, limit, deadline)
        call = self._start(method, request, metadata, limit, deadline)
        try:
            await self._drain()
            answer: bytes | None = None
            while True:
                event = await self._next_event(call)
                if isinstance(event, _Message):
                    if answer is not None:
                        raise Internal(f"{call.method} is unary but the server sent more than one message")
                    answer = event.payload
                    if event.end_ok:
                        break
                elif event.error is not None:
                    raise event.error
                else:
                    if answer is None:
                        raise Internal(f"{call.method} ended with OK but without a response message")
                    break
            return _decode(response_type, answer, f"the answer to {call.method}")
        finally:
            self._abandon(call)

    def stream(
        self,
        method: str | int,
        request: Message,
        response_type: type[ResponseT],
        *,
        metadata: Metadata | None = None,
        timeout: float | None = None,
    ) -> ServerStream[ResponseT]:
        """Starts a server-streaming call and returns its messages as an async iterator.

        The CALL is sent right away. Iterate with ``async for``; the iteration ends when the
        server ends the call with OK and raises :class:`noproof.RpcError` when it fails. Use
        ``async with client.stream(...) as messages:`` (or call ``aclose()``) so that a call left
        early is cancelled on the server. ``timeout`` bounds the whole call (None = the client's
        ``default_timeout``; ``math.inf`` = no deadline, e.g. for a call that watches a queue).
        """
        limit, deadline = self._deadline(timeout)
        return ServerStream(self, self._start(method, request, metadata, limit, deadline), response_type)

    async def ping(self, timeout: float | None = None) -> float:
        """Sends a PING and waits for its PONG; returns the round-trip time in seconds."""
        self._check_usable()
        payload = os.urandom(8)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pings[payload] = future
        started = time.perf_counter()
        try:
            self._send(encode_frame(FrameType.PING, 0, payload))
            limit = self._default_timeout if timeout is None else timeout
            try:
                async with asyncio.timeout(limit):
                    await future
            except TimeoutError:
                raise DeadlineExceeded(f"no PONG from {self._address} within {limit:g}s") from None
        finally:
            self._pings.pop(payload, None)
        return time.perf_counter() - started

    # ------------------------------------------------------------------ built-in services

    async def health(self, service: str = "", *, timeout: float | None = None) -> HealthCheckResponse:
        """``/noproof.v1.Health/Check``: is the server (or one service, e.g. ``"noproof.v1.Licences"``) serving.

        Needs no authentication. An unknown service name raises ``NotFound``.
        """
        return await self.call("/noproof.v1.Health/Check", HealthCheckRequest(service=service), HealthCheckResponse,
                               timeout=timeout)

    async def list_methods(self, *, timeout: float | None = None) -> list[MethodInfo]:
        """``/noproof.v1.Reflection/ListMethods``: every method with its id, kind, types and access rules."""
        response = await self.call("/noproof.v1.Reflection/ListMethods", ListMethodsRequest(), ListMethodsResponse,
                                   timeout=timeout)
        return list(response.methods)

    async def authenticate(self, credential_id: str, secret: str, *, timeout: float | None = None) -> AuthenticateResponse:
        """``/noproof.v1.Session/Authenticate``: makes every later call act for the credential's unit.

        :meth:`connect` does this when given a credential. Raises ``Unauthenticated`` for a wrong
        or unknown credential.
        """
        response = await self.call("/noproof.v1.Session/Authenticate",
                                   AuthenticateRequest(credential_id=credential_id, secret=secret),
                                   AuthenticateResponse, timeout=timeout)
        self.session = response
        return response

    # ------------------------------------------------------------------ operations

    async def get_stats(self, *, timeout: float | None = None) -> GetStatsResponse:
        """``/noproof.v1.Admin/GetStats``: connections, calls, process CPU, licence cache and audit volume."""
        return await self.call("/noproof.v1.Admin/GetStats", GetStatsRequest(), GetStatsResponse, timeout=timeout)

    # ------------------------------------------------------------------ the licence library

    async def lookup(
        self,
        holder_id: str,
        type_code: str,
        item_code: str,
        case_reference: str,
        staff: str | None = None,
        *,
        timeout: float | None = None,
    ) -> SealedProof:
        """``/noproof.v1.Licences/Lookup``: a sealed electronic proof that the holder has a valid licence of the type.

        Args:
            holder_id: 18-digit resident ID or 18-character unified social credit code.
            type_code: licence type code, e.g. ``"JMSFZ"`` (see :meth:`list_licence_types`).
            item_code: the service item (事项) the proof is for.
            case_reference: the unit's own case reference.
            staff: the acting staff member (sent as ``staff`` metadata), recorded in the proof.

        Verify the result with :func:`noproof.verify_proof`. Raises ``InvalidArgument`` for a
        malformed holder id or unknown type, ``NotFound`` when there is no such licence and
        ``FailedPrecondition`` when it is suspended, revoked or expired.
        """
        request = LookupRequest(holder_id=holder_id, type_code=type_code,
                                purpose=Purpose(item_code=item_code, case_reference=case_reference))
        response = await self.call("/noproof.v1.Licences/Lookup", request, LookupResponse,
                                   metadata=self._staff_metadata(staff), timeout=timeout)
        if not response.HasField("proof"):
            raise Internal("the server answered the lookup without a proof")
        return response.proof

    async def get_licence(
        self,
        licence_id: str,
        item_code: str = "",
        case_reference: str = "",
        staff: str | None = None,
        *,
        holder_id: str,
        timeout: float | None = None,
    ) -> Licence:
        """``/noproof.v1.Licences/GetLicence``: a licence by its identifier (``1.2.156.3005.2....``) and its
        holder's id (required, keyword-only).

        The access gate runs for the identifier's licence type before the library is read, so every
        attempt counts against the rate limits and is audited; a licence of another holder raises
        ``NotFound`` exactly like a licence that does not exist.
        """
        request = GetLicenceRequest(licence_id=licence_id, holder_id=holder_id)
        if item_code or case_reference:
            request.purpose.CopyFrom(Purpose(item_code=item_code, case_reference=case_reference))
        response = await self.call("/noproof.v1.Licences/GetLicence", request, GetLicenceResponse,
                                   metadata=self._staff_metadata(staff), timeout=timeout)
        if not response.HasField("licence"):
            raise Internal("the server answered GetLicence without a licence")
        return response.licence

    async def proof_status(
        self,
        proof: SealedProof,
        staff: str | None = None,
        *,
        timeout: float | None = None,
    ) -> ProofStatusResponse:
        """``/noproof.v1.Licences/GetProofStatus``: the current status of a proof the caller holds.

        ``status`` is ``valid``, ``licence_suspended``, ``licence_revoked``, ``licence_expired``,
        ``superseded`` (a newer version of the licence is in force), ``licence_not_found`` or
        ``not_checkable`` (a department-verification proof of a licence the library does not hold);
        ``changed_at_millis`` is when the change was recorded, where known. Check the answer's
        signature with :func:`noproof.verify_proof_status`. Raises ``InvalidArgument`` when the
        proof's seal does not verify with the server's keys.
        """
        return await self.call("/noproof.v1.Licences/GetProofStatus", ProofStatusRequest(proof=proof),
                               ProofStatusResponse, metadata=self._staff_metadata(staff), timeout=timeout)

    async def check_licence(
        self,
        holder_id: str,
        type_code: str,
        declared: Mapping[str, str] | Iterable[LicenceField],
        item_code: str = "",
        case_reference: str = "",
        staff: str | None = None,
        *,
        timeout: float | None = None,
    ) -> CheckLicenceResponse:
        """``/noproof.v1.Licences/CheckLicence``: compares what an applicant declared with the record.

        ``declared`` maps field keys (``holder_name`` too) to the declared values: one value per key,
        each ``holder_name`` or a field of the type (``list_licence_types``), else ``InvalidArgument``
        naming ``declared[i].key``. The answer has the licence status and ``MATCH`` or ``MISMATCH`` per
        field (a field the record lacks is ``MISMATCH``; ``NOT_ON_RECORD`` is no longer answered); the
        record itself is not disclosed.
        """
        fields = ([LicenceField(key=k, value=v) for k, v in declared.items()] if isinstance(declared, Mapping)
                  else list(declared))
        request = CheckLicenceRequest(holder_id=holder_id, type_code=type_code, declared=fields)
        if item_code or case_reference:
            request.purpose.CopyFrom(Purpose(item_code=item_code, case_reference=case_reference))
        return await self.call("/noproof.v1.Licences/CheckLicence", request, CheckLicenceResponse,
                               metadata=self._staff_metadata(staff), timeout=timeout)

    async def get_seal_keys(self, *, timeout: float | None = None) -> GetSealKeysResponse:
        """``/noproof.v1.Licences/GetSealKeys``: the published seal keys, for :func:`noproof.verify_proof`."""
        return await self.call("/noproof.v1.Licences/GetSealKeys", GetSealKeysRequest(), GetSealKeysResponse,
                               timeout=timeout)

    async def list_licence_types(self, *, timeout: float | None = None) -> list[LicenceType]:
        """``/noproof.v1.Licences/ListLicenceTypes``: the licence-type catalogue."""
        response = await self.call("/noproof.v1.Licences/ListLicenceTypes", ListLicenceTypesRequest(),
                                   ListLicenceTypesResponse, timeout=timeout)
        return list(response.types)

    async def suspend_licence(self, licence_id: str, reason: str, staff: str | None = None, *,
                              timeout: float | None = None) -> Licence:
        """``/noproof.v1.Licences/SuspendLicence`` (issuing unit): suspends a licence; returns it as it is now."""
        return await self._change_status("SuspendLicence", licence_id, reason, staff, timeout)

    async def reinstate_licence(self, licence_id: str, reason: str, staff: str | None = None, *,
                                timeout: float | None = None) -> Licence:
        """``/noproof.v1.Licences/ReinstateLicence`` (issuing unit): lifts a suspension."""
        return await self._change_status("ReinstateLicence", licence_id, reason, staff, timeout)

    async def revoke_licence(self, licence_id: str, reason: str, staff: str | None = None, *,
                             timeout: float | None = None) -> Licence:
        """``/noproof.v1.Licences/RevokeLicence`` (issuing unit): revokes a licence, for good."""
        return await self._change_status("RevokeLicence", licence_id, reason, staff, timeout)

    async def issue_licence(self, licence: Licence, staff: str | None = None, *, timeout: float | None = None) -> Licence:
        """``/noproof.v1.Licences/IssueLicence`` (issuing unit): adds a licence, ``licence_id`` included."""
        response = await self.call("/noproof.v1.Licences/IssueLicence", IssueLicenceRequest(licence=licence),
                                   LicenceResponse, metadata=self._staff_metadata(staff), timeout=timeout)
        return _licence_of(response, "IssueLicence")

    async def amend_licence(
        self,
        licence_id: str,
        reason: str,
        fields: Mapping[str, str] | None = None,
        holder_name: str = "",
        valid_to: str = "",
        staff: str | None = None,
        *,
        timeout: float | None = None,
    ) -> Licence:
        """``/noproof.v1.Licences/AmendLicence`` (issuing unit): records a new version of a licence.

        ``fields`` sets fields (value ``""`` removes one); ``holder_name``/``valid_to`` change
        those when non-empty.
        """
        request = AmendLicenceRequest(licence_id=licence_id, reason=reason, holder_name=holder_name, valid_to=valid_to,
                                      fields=[LicenceField(key=k, value=v) for k, v in (fields or {}).items()])
        response = await self.call("/noproof.v1.Licences/AmendLicence", request, LicenceResponse,
                                   metadata=self._staff_metadata(staff), timeout=timeout)
        return _licence_of(response, "AmendLicence")

    async def import_licences(self, licences: Iterable[Licence], *, timeout: float | None = 120.0) -> ImportLicencesResponse:
        """``/noproof.v1.Licences/ImportLicences`` (issuing unit): bulk-loads a batch of licences; idempotent.

        Rows that fail validation are listed in ``rejected``; the others are written together.
        """
        return await self.call("/noproof.v1.Licences/ImportLicences", ImportLicencesRequest(licences=list(licences)),
                               ImportLicencesResponse, timeout=timeout)

    # ------------------------------------------------------------------ department verification

    async def file_verification(
        self,
        issuing_unit_code: str,
        proof_type: str,
        holder_id: str,
        item_code: str,
        case_reference: str,
        *,
        holder_name: str = "",
        declared: Mapping[str, str] | None = None,
        request_key: str = "",
        promised_completion_at_millis: int = 0,
        staff: str | None = None,
        timeout: float | None = None,
    ) -> VerificationRecord:
        """``/noproof.v1.Verification/File`` (requesting unit): asks the issuing unit to verify a proof.

        The item must list the proof as obtained by department verification from that unit. The
        server computes the legal deadlines (30 minutes, or 24 hours capped by the item's promised
        time for commitment items, never under 30 minutes: a case already past its promised time is
        verified within 30 minutes and the record's ``deadline_note`` says so). The promised time
        comes from the published item; ``promised_completion_at_millis`` is deprecated: leave it 0,
        or it must agree with the server's within a minute (else ``InvalidArgument``). A retry with
        the same ``request_key`` files nothing twice; by default a fresh UUID is used, so keep the
        returned record's ``request_key`` for retries.
        """
        request = FileVerificationRequest(
            request_key=request_key or str(uuid.uuid4()), issuing_unit_code=issuing_unit_code, proof_type=proof_type, holder_id=holder_id,
            holder_name=holder_name, declared=[LicenceField(key=k, value=v) for k, v in (declared or {}).items()],
            purpose=Purpose(item_code=item_code, case_reference=case_reference),
            promised_completion_at_millis=promised_completion_at_millis,
        )
        return await self._verification("File", request, staff, timeout)

    async def get_verification(self, request_id: str, *, staff: str | None = None,
                               timeout: float | None = None) -> VerificationRecord:
        """``/noproof.v1.Verification/Get``: a request (either of the two units involved)."""
        return await self._verification("Get", GetVerificationRequest(request_id=request_id), staff, timeout)

    async def verification_queue(self, *, include_finished: bool = False, limit: int = 0, staff: str | None = None,
                                 timeout: float | None = None) -> list[VerificationRecord]:
        """``/noproof.v1.Verification/ListQueue`` (issuing unit): the requests addressed to this unit."""
        response = await self.call("/noproof.v1.Verification/ListQueue",
                                   ListVerificationsRequest(include_finished=include_finished, limit=limit),
                                   ListVerificationsResponse, metadata=self._staff_metadata(staff), timeout=timeout)
        return list(response.requests)

    async def filed_verifications(self, *, include_finished: bool = False, limit: int = 0, staff: str | None = None,
                                  timeout: float | None = None) -> list[VerificationRecord]:
        """``/noproof.v1.Verification/ListFiled`` (requesting unit): the requests this unit filed."""
        response = await self.call("/noproof.v1.Verification/ListFiled",
                                   ListVerificationsRequest(include_finished=include_finished, limit=limit),
                                   ListVerificationsResponse, metadata=self._staff_metadata(staff), timeout=timeout)
        return list(response.requests)

    async def supervision_report(self, from_date: str, to_date: str, *, unit_code: str = "",
                                 timeout: float | None = None) -> SupervisionReportResponse:
        """``/noproof.v1.Supervision/Report``: figures and flags per unit for the civil days ``from_date``
        through ``to_date`` (YYYY-MM-DD, China Standard Time). ``unit_code`` "" = every unit (task force
        office only); a unit may ask for its own."""
        return await self.call("/noproof.v1.Supervision/Report",
                               SupervisionReportRequest(from_date=from_date, to_date=to_date, unit_code=unit_code),
                               SupervisionReportResponse, timeout=timeout)

    async def who_looked(self, holder_id: str, *, limit: int = 0, page_token: str = "",
                         timeout: float | None = None) -> WhoLookedResponse:
        """``/noproof.v1.Supervision/WhoLooked`` (citizen portal credential only): one page, newest first,
        of the units that obtained the holder's data; pass ``next_page_token`` back for older entries."""
        return await self.call("/noproof.v1.Supervision/WhoLooked",
                               WhoLookedRequest(holder_id=holder_id, limit=limit, page_token=page_token),
                               WhoLookedResponse, timeout=timeout)

    async def audit_tree_head(self, *, timeout: float | None = None) -> GetTreeHeadResponse:
        """``/noproof.v1.Audit/GetTreeHead``: the audit log's newest signed tree head and the audit public key
        (check heads and proofs with :mod:`noproof.audit`)."""
        return await self.call("/noproof.v1.Audit/GetTreeHead", GetTreeHeadRequest(), GetTreeHeadResponse, timeout=timeout)

    async def prove_audit_record(self, sequence: int, *, holder_id: str = "",
                                 timeout: float | None = None) -> ProveRecordResponse:
        """``/noproof.v1.Audit/ProveRecord``: an inclusion proof of one audit record (a who-looked entry's
        ``audit_sequence``) in the newest signed head; the citizen portal names the holder.
        Check it with :func:`noproof.audit.verify_record_proof`."""
        return await self.call("/noproof.v1.Audit/ProveRecord", ProveRecordRequest(sequence=sequence, holder_id=holder_id),
                               ProveRecordResponse, timeout=timeout)

    async def prove_audit_consistency(self, first: int, *, timeout: float | None = None) -> ProveConsistencyResponse:
        """``/noproof.v1.Audit/ProveConsistency``: the RFC 9162 consistency proof from the tree of ``first``
        records to the newest signed head (:func:`noproof.audit.verify_consistency`)."""
        return await self.call("/noproof.v1.Audit/ProveConsistency", ProveConsistencyRequest(first=first, second=0),
                               ProveConsistencyResponse, timeout=timeout)

    async def exempt_flag(self, unit_code: str, flag: str, from_date: str, to_date: str, ground: str, reason: str, *,
                          timeout: float | None = None) -> ExemptFlagResponse:
        """``/noproof.v1.Supervision/ExemptFlag``: an Art. 17 exemption against one flag of one unit for the civil
        days ``from_date`` through ``to_date`` (the task force office's staff, signed in with their own staff
        credential). ``created`` is false when the same unit, flag and period already had one."""
        return await self.call("/noproof.v1.Supervision/ExemptFlag",
                               ExemptFlagRequest(unit_code=unit_code, flag=flag, from_date=from_date, to_date=to_date,
                                                 ground=ground, reason=reason),
                               ExemptFlagResponse, timeout=timeout)

    async def list_exemptions(self, from_date: str, to_date: str, *, unit_code: str = "",
                              timeout: float | None = None) -> ListExemptionsResponse:
        """``/noproof.v1.Supervision/ListExemptions``: the exemptions whose period overlaps the given days, of one
        unit or ("" — task force office only) every unit."""
        return await self.call("/noproof.v1.Supervision/ListExemptions",
                               ListExemptionsRequest(from_date=from_date, to_date=to_date, unit_code=unit_code),
                               ListExemptionsResponse, timeout=timeout)

    async def show_item(self, item_code: str, *, unit_code: str = "", timeout: float | None = None) -> ShowItemResponse:
        """``/noproof.v1.Units/ShowItem`` (public): what the applicant must bring for one item of a unit's published
        list in force ("" = the calling unit), per proof the method and what to do."""
        return await self.call("/noproof.v1.Units/ShowItem", ShowItemRequest(item_code=item_code, unit_code=unit_code),
                               ShowItemResponse, timeout=timeout)

    async def take_verification(self, request_id: str, *, staff: str | None = None,
                                timeout: float | None = None) -> VerificationRecord:
        """``/noproof.v1.Verification/Take`` (issuing unit's agent or supervisor)."""
        return await self._verification("Take", TakeVerificationRequest(request_id=request_id), staff, timeout)

    async def answer_verification(self, request_id: str, *, licence: Licence | None = None, not_on_record: bool = False,
                                  note: str = "", staff: str | None = None, timeout: float | None = None) -> VerificationRecord:
        """``/noproof.v1.Verification/Answer`` (issuing unit): the verified facts, returned to the
        requester as a proof sealed with the verification seal, or "not on record"."""
        request = AnswerVerificationRequest(request_id=request_id, outcome="not_on_record" if not_on_record else "verified",
                                            note=note)
        if licence is not None and not not_on_record:
            request.licence.CopyFrom(licence)
        return await self._verification("Answer", request, staff, timeout)

    async def return_verification(self, request_id: str, reason: str, suggested_unit_code: str, *,
                                  staff: str | None = None, timeout: float | None = None) -> VerificationRecord:
        """``/noproof.v1.Verification/Return`` (issuing unit): not its duty, with a reason and where to send it."""
        request = ReturnVerificationRequest(request_id=request_id, reason=reason, suggested_unit_code=suggested_unit_code)
        return await self._verification("Return", request, staff, timeout)

    async def refile_verification(self, request_id: str, issuing_unit_code: str = "", *, staff: str | None = None,
                                  timeout: float | None = None) -> VerificationRecord:
        """``/noproof.v1.Verification/Refile`` (requesting unit): re-files a returned request, by
        default to the unit the issuing unit suggested. The target must be the unit the request's item
        in the requester's published list names as the verifier (``PermissionDenied`` otherwise, naming
        it): a suggestion does not widen the list."""
        request = RefileVerificationRequest(request_id=request_id, issuing_unit_code=issuing_unit_code)
        return await self._verification("Refile", request, staff, timeout)

    def watch_verification_queue(self, *, include_open: bool = False, staff: str | None = None,
                                 timeout: float | None = math.inf) -> ServerStream[VerificationEvent]:
        """``/noproof.v1.Verification/WatchQueue`` (issuing unit's staff): events as they happen —
        agents get new and overdue requests, the supervisor escalations and second breaches."""
        return self.stream("/noproof.v1.Verification/WatchQueue", WatchVerificationQueueRequest(include_open=include_open),
                           VerificationEvent, metadata=self._staff_metadata(staff), timeout=timeout)

    def watch_verification(self, request_id: str, *, staff: str | None = None,
                           timeout: float | None = math.inf) -> ServerStream[VerificationEvent]:
        """``/noproof.v1.Verification/WatchRequest``: the request's state, then each change until it ends."""
        return self.stream("/noproof.v1.Verification/WatchRequest", WatchVerificationRequest(request_id=request_id),
                           VerificationEvent, metadata=self._staff_metadata(staff), timeout=timeout)

    async def _verification(self, method: str, request: Message, staff: str | None, timeout: float | None) -> VerificationRecord:
        response = await self.call(f"/noproof.v1.Verification/{method}", request, VerificationResponse,
                                   metadata=self._staff_metadata(staff), timeout=timeout)
        if not response.HasField("request"):
            raise Internal(f"the server answered {method} without the request")
        return response.request

    # ------------------------------------------------------------------ oversight records (Art. 2, 7, 11, 12, 18)

    async def record_commitment(self, holder_id: str, item_code: str, case_reference: str, proof_type: str, text: str,
                                channel: str, *, holder_name: str = "", staff: str | None = None,
                                timeout: float | None = None) -> CommitmentRecord:
        """``/noproof.v1.Oversight/RecordCommitment``: the applicant's notification-commitment (告知承诺)
        for a proof the unit's list obtains by commitment; ``channel`` is counter_face_check, app or online.
        The check is due by the server's risk rule (``check_due_at_millis``)."""
        request = RecordCommitmentRequest(holder_id=holder_id, holder_name=holder_name, item_code=item_code,
                                          case_reference=case_reference, proof_type=proof_type, text=text, channel=channel)
        response = await self._oversight("RecordCommitment", request, CommitmentResponse, staff, timeout)
        return response.commitment

    async def check_commitment(self, commitment_id: str, outcome: str, evidence: str = "", *, staff: str | None = None,
                               timeout: float | None = None) -> CommitmentRecord:
        """``/noproof.v1.Oversight/CheckCommitment``: the post-check, ``confirmed`` or ``found_false`` (with evidence)."""
        request = CheckCommitmentRequest(commitment_id=commitment_id, outcome=outcome, evidence=evidence)
        return (await self._oversight("CheckCommitment", request, CommitmentResponse, staff, timeout)).commitment

    async def get_commitment(self, commitment_id: str, *, timeout: float | None = None) -> CommitmentRecord:
        """``/noproof.v1.Oversight/GetCommitment`` (its unit or the task force office)."""
        return (await self._oversight("GetCommitment", GetOversightRecordRequest(id=commitment_id), CommitmentResponse,
                                      None, timeout)).commitment

    async def list_commitments(self, *, filter: str = "all", unit_code: str = "", limit: int = 0,
                               timeout: float | None = None) -> list[CommitmentRecord]:
        """``/noproof.v1.Oversight/ListCommitments``: all, unchecked, overdue or found_false."""
        request = ListCommitmentsRequest(unit_code=unit_code, filter=filter, limit=limit)
        return list((await self._oversight("ListCommitments", request, ListCommitmentsResponse, None, timeout)).commitments)

    async def add_ledger_entry(self, holder_id: str, item_code: str, case_reference: str, proof_type: str, *,
                               holder_name: str = "", proof_name: str = "", note: str = "", staff: str | None = None,
                               timeout: float | None = None) -> LedgerEntryRecord:
        """``/noproof.v1.Oversight/AddLedgerEntry``: a proof the applicant volunteered (台账), with what the
        unit's list says of it (``listed_method``, ``not_to_be_asked_for``)."""
        request = AddLedgerEntryRequest(holder_id=holder_id, holder_name=holder_name, item_code=item_code,
                                        case_reference=case_reference, proof_type=proof_type, proof_name=proof_name, note=note)
        return (await self._oversight("AddLedgerEntry", request, LedgerEntryResponse, staff, timeout)).entry

    async def list_ledger(self, *, unit_code: str = "", from_millis: int = 0, to_millis: int = 0, limit: int = 0,
                          timeout: float | None = None) -> list[LedgerEntryRecord]:
        """``/noproof.v1.Oversight/ListLedger``: the ledger for [from, to) (task force office: any or all units)."""
        request = ListLedgerRequest(unit_code=unit_code, from_millis=from_millis, to_millis=to_millis, limit=limit)
        return list((await self._oversight("ListLedger", request, ListLedgerResponse, None, timeout)).entries)

    async def open_mismatch(self, issuing_unit_code: str, holder_id: str, item_code: str, case_reference: str,
                            proof_type: str, facts: Mapping[str, tuple[str, str]], *, proof_serial: str = "",
                            audit_sequence: int = 0, verification_request_id: str = "", staff: str | None = None,
                            timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/OpenMismatch``: ``facts`` maps each key to (declared, fetched)."""
        request = OpenMismatchRequest(
            issuing_unit_code=issuing_unit_code, holder_id=holder_id, item_code=item_code, case_reference=case_reference,
            proof_type=proof_type, proof_serial=proof_serial, audit_sequence=audit_sequence,
            verification_request_id=verification_request_id,
            facts=[MismatchFact(key=k, declared=d, fetched=f) for k, (d, f) in facts.items()])
        return (await self._oversight("OpenMismatch", request, MismatchResponse, staff, timeout)).mismatch

    async def request_supplement(self, mismatch_id: str, text: str, *, staff: str | None = None,
                                 timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/RequestSupplement`` (the opening unit)."""
        request = MismatchSupplementRequest(mismatch_id=mismatch_id, text=text)
        return (await self._oversight("RequestSupplement", request, MismatchResponse, staff, timeout)).mismatch

    async def record_supplement(self, mismatch_id: str, text: str, *, staff: str | None = None,
                                timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/RecordSupplement`` (the opening unit)."""
        request = MismatchSupplementRequest(mismatch_id=mismatch_id, text=text)
        return (await self._oversight("RecordSupplement", request, MismatchResponse, staff, timeout)).mismatch

    async def reverify_mismatch(self, mismatch_id: str, finding: str, note: str, *,
                                corrected: Mapping[str, str] | None = None, staff: str | None = None,
                                timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/Reverify`` (the issuing unit only): record_stands or record_corrected."""
        request = ReverifyMismatchRequest(mismatch_id=mismatch_id, finding=finding, note=note,
                                          corrected=[LicenceField(key=k, value=v) for k, v in (corrected or {}).items()])
        return (await self._oversight("Reverify", request, MismatchResponse, staff, timeout)).mismatch

    async def appeal_mismatch(self, mismatch_id: str, *, reference: str = "", outcome: str = "", note: str = "",
                              staff: str | None = None, timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/Appeal``: with ``reference`` records the appeal, with ``outcome`` its decision."""
        request = AppealMismatchRequest(mismatch_id=mismatch_id, reference=reference, outcome=outcome, note=note)
        return (await self._oversight("Appeal", request, MismatchResponse, staff, timeout)).mismatch

    async def get_mismatch(self, mismatch_id: str, *, timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/GetMismatch`` (the two units or the task force office)."""
        return (await self._oversight("GetMismatch", GetOversightRecordRequest(id=mismatch_id), MismatchResponse,
                                      None, timeout)).mismatch

    async def list_mismatches(self, *, limit: int = 0, timeout: float | None = None) -> list[MismatchRecord]:
        """``/noproof.v1.Oversight/ListMismatches``."""
        response = await self._oversight("ListMismatches", ListMismatchesRequest(limit=limit), ListMismatchesResponse,
                                         None, timeout)
        return list(response.mismatches)

    async def file_complaint(self, channel: str, channel_reference: str, unit_code: str, breach_type: str, summary: str, *,
                             complainant: str = "", linked_records: Sequence[str] = (), staff: str | None = None,
                             timeout: float | None = None) -> ComplaintRecord:
        """``/noproof.v1.Oversight/FileComplaint`` (task force office)."""
        request = FileComplaintRequest(channel=channel, channel_reference=channel_reference, unit_code=unit_code,
                                       breach_type=breach_type, summary=summary, complainant=complainant,
                                       linked_records=list(linked_records))
        return (await self._oversight("FileComplaint", request, ComplaintResponse, staff, timeout)).complaint

    async def route_complaint(self, complaint_id: str, unit_code: str = "", *, staff: str | None = None,
                              timeout: float | None = None) -> ComplaintRecord:
        """``/noproof.v1.Oversight/RouteComplaint`` (task force office)."""
        request = RouteComplaintRequest(complaint_id=complaint_id, unit_code=unit_code)
        return (await self._oversight("RouteComplaint", request, ComplaintResponse, staff, timeout)).complaint

    async def answer_complaint(self, complaint_id: str, answer: str, *, staff: str | None = None,
                               timeout: float | None = None) -> ComplaintRecord:
        """``/noproof.v1.Oversight/AnswerComplaint`` (the unit it was routed to)."""
        request = AnswerComplaintRequest(complaint_id=complaint_id, answer=answer)
        return (await self._oversight("AnswerComplaint", request, ComplaintResponse, staff, timeout)).complaint

    async def close_complaint(self, complaint_id: str, *, substantiated: bool, note: str = "", staff: str | None = None,
                              timeout: float | None = None) -> ComplaintRecord:
        """``/noproof.v1.Oversight/CloseComplaint`` (task force office)."""
        request = CloseComplaintRequest(complaint_id=complaint_id, substantiated=substantiated, note=note)
        return (await self._oversight("CloseComplaint", request, ComplaintResponse, staff, timeout)).complaint

    async def list_complaints(self, *, unit_code: str = "", status: str = "", limit: int = 0,
                              timeout: float | None = None) -> list[ComplaintRecord]:
        """``/noproof.v1.Oversight/ListComplaints``."""
        request = ListComplaintsRequest(unit_code=unit_code, status=status, limit=limit)
        return list((await self._oversight("ListComplaints", request, ListComplaintsResponse, None, timeout)).complaints)

    async def oversight_counts(self, *, unit_code: str = "", from_millis: int = 0, to_millis: int = 0, as_of_millis: int = 0,
                               timeout: float | None = None) -> OversightCountsResponse:
        """``/noproof.v1.Oversight/GetCounts``: a unit's figures for [from, to)."""
        request = OversightCountsRequest(unit_code=unit_code, from_millis=from_millis, to_millis=to_millis,
                                         as_of_millis=as_of_millis)
        return await self._oversight("GetCounts", request, OversightCountsResponse, None, timeout)

    async def _oversight(self, method: str, request: Message, response_type: type[ResponseT], staff: str | None,
                         timeout: float | None) -> ResponseT:
        return await self.call(f"/noproof.v1.Oversight/{method}", request, response_type, metadata=self._staff_metadata(staff),
                               timeout=timeout)

    async def _change_status(self, method: str, licence_id: str, reason: str, staff: str | None,
                             timeout: float | None) -> Licence:
        response = await self.call(f"/noproof.v1.Licences/{method}",
                                   ChangeLicenceStatusRequest(licence_id=licence_id, reason=reason),
                                   LicenceResponse, metadata=self._staff_metadata(staff), timeout=timeout)
        return _licence_of(response, method)

    # ------------------------------------------------------------------ call machinery

    def _check_usable(self) -> None:
        if self._closed_error is not None:
            raise RpcError.of(self._closed_error.code, self._closed_error.message)
        if self.goaway is not None:
            raise Unavailable(f"{self._address} is going away ({self.goaway.message or 'GOAWAY'}); "
                              f"open a new connection for new calls")

    def _allocate_call_id(self) -> int:
        for _ in range(len(self._calls) + 1):
            call_id = self._next_call_id
            self._next_call_id = 1 if call_id >= _MAX_CALL_ID else call_id + 1
            if call_id not in self._calls:
                return call_id
        raise RuntimeError("no free call id")  # unreachable: len(calls) + 1 candidates, at most len(calls) in use

    def _deadline(self, timeout: float | None) -> tuple[float | None, float | None]:
        """(timeout in seconds, loop time of the deadline) for a call's ``timeout`` argument; (None, None) = none."""
        limit: float | None = self._default_timeout if timeout is None else timeout
        if limit is None or limit == math.inf:
            return None, None
        if not limit > 0:
            raise ValueError(f"timeout must be positive seconds, got {limit!r}")
        return limit, asyncio.get_running_loop().time() + limit

    async def _wait_for_slot(self, method: str | int, limit: float | None, deadline: float | None) -> None:
        """Waits while the server's limit of open calls on this connection is reached."""
        while 0 < self.settings.max_concurrent_calls <= len(self._calls):
            self._check_usable()
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._slot_waiters.append(waiter)
            try:
                async with asyncio.timeout_at(deadline):
                    await waiter
            except TimeoutError:
                raise DeadlineExceeded(f"{method} did not start within its deadline of {limit:g}s: the connection "
                                       f"had {len(self._calls)} calls open, the server's limit") from None
            except BaseException:
                if waiter.done() and not waiter.cancelled():
                    self._wake_one()  # this call was given a free slot it will not use: pass it on
                raise
            finally:
                if waiter in self._slot_waiters:
                    self._slot_waiters.remove(waiter)

    def _wake_one(self) -> None:
        """Lets the longest-waiting call that waits for a free slot try again."""
        while self._slot_waiters:
            waiter = self._slot_waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _remove_call(self, call_id: int) -> _Call | None:
        """Takes a call out of the table, waking a call that waits for a free slot."""
        call = self._calls.pop(call_id, None)
        if call is not None:
            self._wake_one()
        return call

    def _start(self, method: str | int, request: Message, metadata: Metadata | None,
               limit: float | None, deadline: float | None) -> _Call:
        self._check_usable()
        header = CallHeader(payload=request.SerializeToString())
        if isinstance(method, int):
            if not 0 < method <= _MAX_CALL_ID:
                raise ValueError(f"method id {method} is not a positive u32")
            header.method_id = method
            name = f"method id {method}"
        else:
            header.method = method
            name = method
        for key, value in _metadata_pairs(metadata):
            header.metadata.append(MetadataEntry(key=key, value=value))
        if deadline is not None:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise DeadlineExceeded(f"{name} did not start within its deadline of {limit:g}s")
            header.timeout_micros = max(1, int(remaining * 1_000_000))
        frame_payload = header.SerializeToString()
        if len(frame_payload) > self.settings.max_frame_size > 0:
            raise ResourceExhausted(f"the {name} request is {len(frame_payload)} bytes; the server accepts frames of at most "
                                    f"{self.settings.max_frame_size} bytes (SETTINGS max_frame_size)")
        call = _Call(self._allocate_call_id(), name, deadline, limit)
        self._calls[call.call_id] = call
        self._send(encode_frame(FrameType.CALL, call.call_id, frame_payload))
        return call

    async def _next_event(self, call: _Call) -> _Event:
        """The call's next event; on local deadline or task cancellation, sends CANCEL and raises."""
        if call.deadline is None:
            return await call.events.get()
        try:
            async with asyncio.timeout_at(call.deadline):
                return await call.events.get()
        except TimeoutError:
            if not call.events.empty():
                return call.events.get_nowait()
            self._abandon(call)
            raise DeadlineExceeded(f"{call.method} did not finish within its deadline of {call.timeout:g}s; "
                                   f"the client cancelled it") from None

    def _abandon(self, call: _Call) -> None:
        """Forgets a call; if the server may still be working on it, sends CANCEL."""
        if self._calls.get(call.call_id) is call:
            self._remove_call(call.call_id)
            if self._closed_error is None:
                try:
                    self._send(encode_frame(FrameType.CANCEL, call.call_id))
                except RpcError:
                    pass

    def _finish(self, call_id: int) -> _Call | None:
        """The open call ``call_id``, which has just ended, removed from the table."""
        return self._remove_call(call_id)

    def _send(self, frame: bytes) -> None:
        if self._closed_error is not None:
            raise RpcError.of(self._closed_error.code, self._closed_error.message)
        try:
            self._writer.write(frame)
        except (OSError, RuntimeError) as error:
            self._shutdown(Unavailable(f"connection to {self._address} failed: {error}"))
            raise Unavailable(f"connection to {self._address} failed: {error}") from None

    async def _drain(self) -> None:
        """Backpressure: when the socket is not keeping up, waits until the queued bytes are sent."""
        if self._closed_error is None and self._writer.transport.get_write_buffer_size() > _WRITE_HIGH_WATER:
            try:
                await self._writer.drain()
            except (OSError, RuntimeError):
                pass  # the reader task sees the connection fail and ends the calls

    def _shutdown(self, error: RpcError) -> None:
        """The connection is unusable: fail every open call with ``error`` and close the socket."""
        if self._closed_error is not None:
            return
        self._closed_error = error
        calls, self._calls = self._calls, {}
        for call in calls.values():
            call.events.put_nowait(_Ended(RpcError.of(error.code, f"{call.method}: {error.message}")))
        for future in self._pings.values():
            if not future.done():
                future.set_exception(RpcError.of(error.code, error.message))
        for waiter in self._slot_waiters:
            if not waiter.done():
                waiter.set_result(None)  # the waiting call then finds the connection closed
        self._writer.close()

    def _protocol_error(self, code: StatusCode, message: str) -> None:
        """The server broke the protocol: tell it with GOAWAY and close."""
        try:
            self._writer.write(encode_frame(FrameType.GOAWAY, 0, GoAway(code=code, message=message).SerializeToString()))
        except (OSError, RuntimeError):
            pass
        self._shutdown(Internal(f"protocol error by {self._address}: {message}"))

    async def _read_loop(self) -> None:
        try:
            while self._closed_error is None:
                try:
                    header = decode_header(await self._reader.readexactly(HEADER_LENGTH))
                except asyncio.IncompleteReadError as error:
                    if error.partial:
                        self._shutdown(Unavailable(f"{self._address} closed the connection in the middle of a frame"))
                    else:
                        self._shutdown(self._closed_by_server())
                    return
                if header.length > self._max_receive:
                    self._protocol_error(StatusCode.RESOURCE_EXHAUSTED,
                                         f"frame of {header.length} bytes exceeds this client's limit of {self._max_receive}")
                    return
                try:
                    payload = await self._reader.readexactly(header.length) if header.length else b""
                except asyncio.IncompleteReadError:
                    self._shutdown(Unavailable(f"{self._address} closed the connection in the middle of a frame"))
                    return
                self._dispatch(header.type, header.flags, header.call_id, payload)
        except (OSError, ConnectionError) as error:
            self._shutdown(Unavailable(f"connection to {self._address} failed: {error}"))
        except asyncio.CancelledError:
            self._shutdown(Cancelled("the client closed the connection"))
            raise

    def _closed_by_server(self) -> RpcError:
        if self.goaway is not None and self.goaway.code != 0:
            return RpcError.of(self.goaway.code, f"{self._address} closed the connection: {self.goaway.message}")
        if self.goaway is not None:
            return Unavailable(f"{self._address} closed the connection after GOAWAY: {self.goaway.message or 'no reason given'}")
        return Unavailable(f"{self._address} closed the connection")

    def _dispatch(self, frame_type: int, flags: int, call_id: int, payload: bytes) -> None:
        if frame_type == FrameType.MESSAGE or frame_type == FrameType.STATUS:
            if call_id == 0:
                self._protocol_error(StatusCode.INVALID_ARGUMENT, f"{FrameType(frame_type).name} frame with call id 0")
                return
            if frame_type == FrameType.MESSAGE:
                end_ok = bool(flags & FLAG_END_OK)
                call = self._finish(call_id) if end_ok else self._calls.get(call_id)
                if call is not None:  # otherwise cancelled or timed out: dropped
                    call.events.put_nowait(_Message(payload, end_ok))
                    if end_ok:
                        call.events.put_nowait(_Ended(None))
                return
            call = self._finish(call_id)
            if call is None:
                return
            try:
                status = CallStatus.FromString(payload)
            except DecodeError as error:
                call.events.put_nowait(_Ended(Internal(f"{call.method}: the server's STATUS frame could not be decoded: {error}")))
                return
            if status.code == 0:
                call.events.put_nowait(_Ended(None))
            else:
                metadata = [(entry.key, entry.value) for entry in status.metadata]
                call.events.put_nowait(_Ended(RpcError.of(status.code, status.message, metadata)))
        elif frame_type == FrameType.PING:
            if len(payload) != 8:
                self._protocol_error(StatusCode.INVALID_ARGUMENT, f"PING payload must be exactly 8 bytes, got {len(payload)}")
                return
            try:
                self._send(encode_frame(FrameType.PONG, 0, payload))
            except RpcError:
                pass
        elif frame_type == FrameType.PONG:
            future = self._pings.pop(payload, None)
            if future is not None and not future.done():
                future.set_result(None)
        elif frame_type == FrameType.GOAWAY:
            try:
                goaway = GoAway.FromString(payload)
            except DecodeError as error:
                self._protocol_error(StatusCode.INVALID_ARGUMENT, f"GOAWAY payload could not be decoded: {error}")
                return
            self._on_goaway(goaway)
        elif frame_type == FrameType.SETTINGS:
            try:
                self.settings = ServerSettings.FromString(payload)
            except DecodeError as error:
                self._protocol_error(StatusCode.INVALID_ARGUMENT, f"SETTINGS payload could not be decoded: {error}")
        elif frame_type in (FrameType.CALL, FrameType.CANCEL):
            self._protocol_error(StatusCode.INVALID_ARGUMENT, f"{FrameType(frame_type).name} frames are sent by clients only")
        else:
            self._protocol_error(StatusCode.UNIMPLEMENTED, f"unknown frame type {frame_type:#04x}")

    def _on_goaway(self, goaway: GoAway) -> None:
        self.goaway = goaway
        if goaway.code != 0:
            # A protocol error: the server closes right away and abandons every open call.
            self._shutdown(RpcError.of(goaway.code, f"{self._address} closed the connection: {goaway.message}"))
            return
        # Graceful: calls above last_call_id were not processed and may be retried elsewhere.
        for call_id in [i for i in self._calls if i > goaway.last_call_id]:
            call = self._calls[call_id]
            self._remove_call(call_id)
            call.events.put_nowait(_Ended(Unavailable(
                f"{call.method} was not processed: {self._address} is going away ({goaway.message}); "
                f"retry on a new connection")))


class ServerStream(AsyncIterator[ResponseT], Generic[ResponseT]):
    """The messages of a server-streaming call (see :meth:`Client.stream`)."""

    def __init__(self, client: Client, call: _Call, response_type: type[ResponseT]) -> None:
        self._client = client
        self._call = call
        self._response_type = response_type
        self._done = False

    @property
    def call_id(self) -> int:
        """The call id of this call on its connection."""
        return self._call.call_id

    def __aiter__(self) -> ServerStream[ResponseT]:
        return self

    async def __anext__(self) -> ResponseT:
        if self._done:
            raise StopAsyncIteration
        try:
            event = await self._client._next_event(self._call)
        except BaseException:
            self._done = True
            self._client._abandon(self._call)
            raise
        if isinstance(event, _Message):
            if event.end_ok:
                self._done = True
            try:
                return _decode(self._response_type, event.payload, f"a message of {self._call.method}")
            except RpcError:
                self._done = True
                self._client._abandon(self._call)
                raise
        self._done = True
        if event.error is not None:
            raise event.error
        raise StopAsyncIteration

    async def aclose(self) -> None:
        """Stops the call: if the server has not ended it yet, sends CANCEL."""
        self.cancel()

    def cancel(self) -> None:
        """Like :meth:`aclose`, without awaiting."""
        if not self._done:
            self._done = True
            self._client._abandon(self._call)

    async def collect(self) -> list[ResponseT]:
        """Every message until the call ends."""
        return [message async for message in self]

    async def __aenter__(self) -> ServerStream[ResponseT]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.cancel()


class Connecting:
    """What :meth:`Client.connect` returns: await it for a :class:`Client`, or use it with ``async with``."""

    def __init__(self, opening: Coroutine[Any, Any, Client]) -> None:
        self._opening = opening
        self._client: Client | None = None

    def __await__(self) -> Generator[Any, None, Client]:
        return self._opening.__await__()

    async def __aenter__(self) -> Client:
        self._client = await self
        return self._client

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client is not None:
            await self._client.close()


def _decode(message_type: type[ResponseT], payload: bytes, what: str) -> ResponseT:
    try:
        return message_type.FromString(payload)
    except DecodeError as error:
        raise Internal(f"{what} could not be decoded as {message_type.DESCRIPTOR.full_name}: {error}") from None


def _metadata_pairs(metadata: Metadata | None) -> list[tuple[str, str]]:
    if not metadata:
        return []
    pairs = list(metadata.items()) if isinstance(metadata, Mapping) else list(metadata)
    for key, _ in pairs:
        if not key or not key.isascii() or key != key.lower():
            raise InvalidArgument(f"metadata key {key!r} must be non-empty lower-case ASCII")
    return pairs


def _staff(staff: str | None) -> list[tuple[str, str]] | None:
    return [("staff", staff)] if staff else None


def _licence_of(response: LicenceResponse, method: str) -> Licence:
    if not response.HasField("licence"):
        raise Internal(f"the server answered {method} without a licence")
    return response.licence
