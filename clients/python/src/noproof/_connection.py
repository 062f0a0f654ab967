"""One NoProof connection (docs/PROTOCOL.md): preface exchange, frames, calls and streams.

A :class:`Connection` is one TCP (or TLS) connection. Many calls may be in flight on it at once:
each gets its own call id, and a reader task hands every answer to the call it belongs to, in
whatever order the server sends them. It knows nothing of the services: :class:`noproof.Client`
(the per-service calls, authentication, retries and reconnecting) is built on it.
"""

from __future__ import annotations

import asyncio
import collections
import math
import os
import ssl as _ssl
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Generic, TypeVar

from google.protobuf.message import DecodeError, Message

from ._methods import Method
from .errors import Cancelled, DeadlineExceeded, Internal, InvalidArgument, ResourceExhausted, RpcError, StatusCode, Unavailable
from .messages import CallHeader, CallStatus, GoAway, MetadataEntry, ServerSettings
from .protocol import FLAG_END_OK, HEADER_LENGTH, PREFACE, FrameType, decode_header, encode_frame

__all__ = ["Connection", "ServerStream", "Metadata", "MethodRef", "DEFAULT_PORT"]

#: The port ``noproofd`` listens on unless configured otherwise.
DEFAULT_PORT = 7420

ResponseT = TypeVar("ResponseT", bound=Message)

#: Call metadata: a mapping or a sequence of (key, value) pairs; keys are lower-case ASCII.
Metadata = Mapping[str, str] | Sequence[tuple[str, str]]
#: How a call names its method: a :class:`noproof._methods.Method`, the full path or the numeric id.
MethodRef = Method | str | int

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


class Connection:
    """One connection to a NoProof server, its preface exchange done.

    Open one with :meth:`Connection.open`. Attributes: ``settings`` (the server's SETTINGS),
    ``goaway`` (the GOAWAY the server sent, once it has: no new calls then), ``address``.
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
    ) -> None:
        self._reader = reader
        self._writer = writer
        self.settings: ServerSettings = settings
        self.goaway: GoAway | None = None
        self.address = address
        self._address = address
        self._default_timeout = default_timeout
        self._max_receive = max_receive_frame_size
        self._calls: dict[int, _Call] = {}
        self._next_call_id = 1
        self._pings: dict[bytes, asyncio.Future[None]] = {}
        self._slot_waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._closed_error: RpcError | None = None
        self._reader_task = asyncio.get_running_loop().create_task(self._read_loop(), name=f"noproof-reader {address}")

    @classmethod
    async def open(
        cls,
        host: str,
        port: int,
        *,
        default_timeout: float | None,
        ssl: _ssl.SSLContext | None = None,
        max_receive_frame_size: int = _DEFAULT_MAX_RECEIVE,
    ) -> Connection:
        """Connects, sends the preface and waits for the server's preface and SETTINGS.

        No deadline of its own: wrap it in ``asyncio.timeout``. Raises ``Unavailable`` when the
        server cannot be reached or is no NoProof server, the GOAWAY's code when it refuses.
        """
        address = f"{host}:{port}"
        writer: asyncio.StreamWriter | None = None
        try:
            try:
                reader, writer = await asyncio.open_connection(host, port, ssl=ssl)
            except OSError as error:
                raise _not_processed(Unavailable(f"cannot connect to {address} ({error}); is noproofd running there?")) from None
            writer.write(PREFACE)
            settings = await cls._handshake(reader, address, max_receive_frame_size)
            return cls(reader, writer, settings, default_timeout=default_timeout,
                       max_receive_frame_size=max_receive_frame_size, address=address)
        except BaseException:
            if writer is not None:
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


    # ------------------------------------------------------------------ generic calls

    async def call(
        self,
        method: MethodRef,
        request: Message,
        response_type: type[ResponseT],
        *,
        metadata: Metadata | None = None,
        timeout: float | None = None,
    ) -> ResponseT:
        """A unary call.

        Args:
            method: a :class:`noproof._methods.Method` of ``METHODS``, the full path
                (``"/noproof.v1.Health/Check"``) or the numeric method id.
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
        method: MethodRef,
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

    # ------------------------------------------------------------------ call machinery

    def _check_usable(self) -> None:
        if self._closed_error is not None:
            raise RpcError.of(self._closed_error.code, self._closed_error.message)
        if self.goaway is not None:
            raise _not_processed(Unavailable(f"{self._address} is going away ({self.goaway.message or 'GOAWAY'}); "
                                             f"open a new connection for new calls"))

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

    async def _wait_for_slot(self, method: MethodRef, limit: float | None, deadline: float | None) -> None:
        """Waits while the server's limit of open calls on this connection is reached."""
        while 0 < self.settings.max_concurrent_calls <= len(self._calls):
            self._check_usable()
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._slot_waiters.append(waiter)
            try:
                async with asyncio.timeout_at(deadline):
                    await waiter
            except TimeoutError:
                raise DeadlineExceeded(f"{_name(method)} did not start within its deadline of {limit:g}s: the connection "
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

    def _start(self, method: MethodRef, request: Message, metadata: Metadata | None,
               limit: float | None, deadline: float | None) -> _Call:
        self._check_usable()
        if isinstance(method, Method):
            if request.DESCRIPTOR.full_name != method.request:
                raise TypeError(f"{method.path} takes a {method.request}, not a {request.DESCRIPTOR.full_name}")
            method = method.path
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
            call.events.put_nowait(_Ended(_not_processed(Unavailable(
                f"{call.method} was not processed: {self._address} is going away ({goaway.message}); "
                f"retry on a new connection"))))


class ServerStream(AsyncIterator[ResponseT], Generic[ResponseT]):
    """The messages of a server-streaming call (see :meth:`Connection.stream`)."""

    def __init__(self, client: Connection, call: _Call, response_type: type[ResponseT]) -> None:
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




def _not_processed(error: RpcError) -> RpcError:
    """Marks ``error`` as a failure of a call the server did not process (safe to retry)."""
    error.not_processed = True
    return error


def _name(method: MethodRef) -> str:
    """How error messages name a method."""
    if isinstance(method, Method):
        return method.path
    return method if isinstance(method, str) else f"method id {method}"
