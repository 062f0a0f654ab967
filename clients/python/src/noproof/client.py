"""An asyncio client of NoProof (docs/PROTOCOL.md): :class:`Client`, the calls of every service on one connection.

The calls are written per service (:mod:`noproof.services`: licences, units, verification,
oversight, supervision, audit, and the built-in health, reflection, session and admin calls) and
composed here; the connection underneath (frames, calls, streams) is :mod:`noproof._connection`.
With a :class:`noproof.RetryPolicy` the client retries the calls that are safe to retry and opens
a new connection when the server closes or drains the current one.
"""

from __future__ import annotations

import asyncio
import logging
import ssl as _ssl
from collections.abc import Awaitable, Callable, Coroutine, Generator
from types import TracebackType
from typing import Any

from google.protobuf.message import Message

from ._connection import _DEFAULT_MAX_RECEIVE, DEFAULT_PORT, Connection, Metadata, MethodRef, ResponseT, ServerStream
from ._connection import _not_processed
from .errors import DeadlineExceeded, RpcError, Unavailable
from .messages import AuthenticateRequest, AuthenticateResponse, GoAway, ServerSettings
from .retry import RetryPolicy, should_retry
from .services import (
    AuditCalls,
    BuiltinCalls,
    LicenceCalls,
    OversightCalls,
    SupervisionCalls,
    UnitCalls,
    VerificationCalls,
)
from .services.builtin import _SESSION_AUTHENTICATE

__all__ = ["Client", "Connecting", "Connection", "ServerStream", "Metadata", "DEFAULT_PORT"]

_log = logging.getLogger("noproof.client")


class Client(
    BuiltinCalls, LicenceCalls, UnitCalls, VerificationCalls, OversightCalls, SupervisionCalls, AuditCalls
):
    """A connection to a NoProof server, with the calls of every service as methods.

    Create one with :meth:`Client.connect` (awaited, or used as ``async with``), close it with
    :meth:`close` (or ``async with`` the client). All methods are coroutines to be called from
    the event loop that connected. Every failed call raises :class:`noproof.RpcError` (or one of
    its per-code subclasses).

    Attributes:
        settings: the ``ServerSettings`` the server announced after its preface.
        session: the ``AuthenticateResponse`` of the unit the connection acts for (None if
            the connection did not authenticate).
        goaway: the ``GoAway`` the server sent, once it has sent one (no new calls then, unless
            the retry policy reconnects).
        staff: the default staff member of calls that name none.
    """

    def __init__(
        self,
        connection: Connection,
        *,
        staff: str | None = None,
        retry: RetryPolicy | None = None,
        reopen: Callable[[], Awaitable[Connection]] | None = None,
        credential: tuple[str, str] | None = None,
        connect_timeout: float = 10.0,
    ) -> None:
        """Use :meth:`Client.connect`; this wraps a connection whose preface exchange is done.

        ``reopen`` opens a new connection to the same server (for ``retry.reconnect``), and
        ``credential`` authenticates it.
        """
        self.staff = staff
        self.session = None
        self._connection = connection
        self._retired: list[Connection] = []
        self._retry = retry
        self._reopen = reopen
        self._credential = credential
        self._connect_timeout = connect_timeout
        self._closing = False
        self._reconnecting: asyncio.Lock | None = None

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
        retry: RetryPolicy | None = None,
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
            retry: a :class:`noproof.RetryPolicy`: retry the calls that are safe to retry (see
                :mod:`noproof.retry`) with backoff, and reconnect when the server closes or
                drains the connection. None (the default): no retries, one connection.

        Raises:
            noproof.Unavailable: the server cannot be reached or closed the connection.
            noproof.DeadlineExceeded: ``timeout`` passed first.
            noproof.RpcError: the server refused the connection (GOAWAY: its code and message)
                or the credential (``Unauthenticated``).
        """
        return Connecting(
            cls._open(host, port, credential, timeout, default_timeout, ssl, max_receive_frame_size, staff, retry)
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
        retry: RetryPolicy | None = None,
    ) -> Client:
        address = f"{host}:{port}"

        async def reopen() -> Connection:
            return await Connection.open(host, port, default_timeout=default_timeout, ssl=ssl,
                                         max_receive_frame_size=max_receive_frame_size)

        client: Client | None = None
        try:
            async with asyncio.timeout(timeout):
                client = cls(await reopen(), staff=staff, retry=retry, reopen=reopen, credential=credential,
                             connect_timeout=timeout)
                if credential is not None:
                    credential_id, secret = credential
                    client.session = await client.authenticate(credential_id, secret)
                return client
        except TimeoutError:
            if client is not None:
                await client.close()
            raise DeadlineExceeded(f"connecting to {address} took longer than {timeout:g}s") from None
        except BaseException:
            if client is not None:
                await client.close()
            raise

    @property
    def connection(self) -> Connection:
        """The connection calls go on now (a new one after a reconnect)."""
        return self._connection

    @property
    def settings(self) -> ServerSettings:
        return self._connection.settings

    @property
    def goaway(self) -> GoAway | None:
        return self._connection.goaway

    @property
    def is_closed(self) -> bool:
        """True once the connection is closed. After a graceful GOAWAY from the server (``goaway`` is
        set) the client already refuses new calls while the open ones finish (with a retry policy
        that reconnects, new calls go on a new connection instead)."""
        return self._connection.is_closed

    @property
    def open_calls(self) -> int:
        """How many calls are in flight on this connection."""
        return self._connection.open_calls

    async def close(self) -> None:
        """Closes the connection: sends GOAWAY (code OK) and closes the socket.

        Calls still open fail with ``CANCELLED``. Safe to call more than once.
        """
        self._closing = True
        connections, self._retired = [*self._retired, self._connection], []
        for connection in connections:
            await connection.close()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

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
        """A unary call (see :meth:`noproof.Connection.call`), retried per the client's retry policy.

        ``method`` is a :class:`noproof._methods.Method`, the full path or the numeric id;
        ``timeout`` bounds each attempt (None = the client's ``default_timeout``).
        """
        policy = self._retry
        if policy is None:
            return await self._connection.call(method, request, response_type, metadata=metadata, timeout=timeout)
        safety = policy.safety(method)
        started = policy.clock()
        attempt = 1
        while True:
            try:
                connection = await self._current()
                return await connection.call(method, request, response_type, metadata=metadata, timeout=timeout)
            except RpcError as error:
                if attempt >= policy.max_attempts or not should_retry(safety, error):
                    raise
                wait = policy.backoff(attempt, error)
                if policy.clock() + wait - started > policy.total_timeout:
                    raise
                _log.debug("retrying %s in %.3f s (attempt %d failed: %s)", method, wait, attempt, error)
                await policy.sleep(wait)
                attempt += 1

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
        Streams are not retried: a watch that fails is started again by the caller.
        """
        return self._connection.stream(method, request, response_type, metadata=metadata, timeout=timeout)

    async def ping(self, timeout: float | None = None) -> float:
        """Sends a PING and waits for its PONG; returns the round-trip time in seconds."""
        return await self._connection.ping(timeout)

    async def _current(self) -> Connection:
        """The connection for the next call: with a policy that reconnects, a new one (authenticated
        like the first) when the current one is closed or going away."""
        connection = self._connection
        policy = self._retry
        if (policy is None or not policy.reconnect or self._reopen is None or self._closing
                or not (connection.is_closed or connection.goaway is not None)):
            return connection
        if self._reconnecting is None:
            self._reconnecting = asyncio.Lock()
        async with self._reconnecting:
            if self._connection is connection:
                _log.debug("reconnecting to %s", connection.address)
                try:
                    async with asyncio.timeout(self._connect_timeout):
                        fresh = await self._reopen()
                        try:
                            if self._credential is not None:
                                credential_id, secret = self._credential
                                self.session = await fresh.call(
                                    _SESSION_AUTHENTICATE, AuthenticateRequest(credential_id=credential_id, secret=secret),
                                    AuthenticateResponse)
                        except BaseException:
                            await fresh.close()
                            raise
                except TimeoutError:
                    raise _not_processed(Unavailable(f"reconnecting to {connection.address} took longer than "
                                                     f"{self._connect_timeout:g}s")) from None
                self._retired = [c for c in self._retired if not c.is_closed]
                self._retired.append(connection)
                self._connection = fresh
        return self._connection


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
