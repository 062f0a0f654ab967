"""A blocking wrapper of :class:`noproof.Client`, for scripts and notebooks that do not run an event loop.

::

    import noproof.sync

    with noproof.sync.Client("127.0.0.1", 7420, credential=("demo-water", "demo-secret"), staff="agent-0001") as client:
        keys = client.get_seal_keys()
        proof = client.lookup("370404199306107807", "JMSFZ", item_code="SW-KH-001", case_reference="CASE-1")
        print(noproof.verify_proof(proof, keys).licence.holder_name)

Every coroutine method of :class:`noproof.Client` is a blocking method here, with the same
arguments and result. The client runs its own event loop in a daemon thread; server-streaming
calls (``stream``, ``watch_verification``, ``watch_verification_queue``) return a plain iterator
(:class:`SyncStream`, close it or leave its ``with`` block to cancel the call). One instance may
be used from several threads: each call is handed to the loop thread.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
from collections.abc import Callable, Coroutine, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

from google.protobuf.message import Message

from ._connection import DEFAULT_PORT, ServerStream
from .client import Client as AsyncClient

__all__ = ["Client", "SyncStream"]

T = TypeVar("T")
M = TypeVar("M", bound=Message)

_STREAMING = frozenset({"stream", "watch_verification", "watch_verification_queue"})


class SyncStream(Iterator[M], Generic[M]):
    """The messages of a server-streaming call, as a blocking iterator."""

    def __init__(self, owner: Client, stream: ServerStream[M]) -> None:
        self._owner = owner
        self._stream = stream

    def __iter__(self) -> SyncStream[M]:
        return self

    def __next__(self) -> M:
        async def step() -> tuple[bool, M | None]:
            try:
                return True, await self._stream.__anext__()
            except StopAsyncIteration:
                return False, None

        more, message = self._owner._run(step())
        if not more or message is None:
            raise StopIteration
        return message

    def close(self) -> None:
        """Stops the call (sends CANCEL if the server has not ended it)."""
        self._owner._loop.call_soon_threadsafe(self._stream.cancel)

    def __enter__(self) -> SyncStream[M]:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


class Client:
    """Connects like :meth:`noproof.Client.connect` (same arguments) and blocks on every call."""

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT, **connect: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="noproof-sync", daemon=True)
        self._thread.start()

        async def opening() -> AsyncClient:
            return await AsyncClient.connect(host, port, **connect)

        try:
            self._client: AsyncClient = self._run(opening())
        except BaseException:
            self._stop()
            raise

    @property
    def client(self) -> AsyncClient:
        """The asyncio client underneath (use its coroutines only on this wrapper's loop)."""
        return self._client

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        if threading.current_thread() is self._thread:
            raise RuntimeError("noproof.sync.Client called from its own event loop thread; use noproof.Client there")
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name in _STREAMING:
            return self._streaming(attribute)
        if inspect.iscoroutinefunction(attribute):
            @functools.wraps(attribute)
            def blocking(*args: Any, **kwargs: Any) -> Any:
                return self._run(attribute(*args, **kwargs))
            return blocking
        return attribute

    def _streaming(self, start: Callable[..., ServerStream[Any]]) -> Callable[..., SyncStream[Any]]:
        @functools.wraps(start)
        def blocking(*args: Any, **kwargs: Any) -> SyncStream[Any]:
            async def started() -> ServerStream[Any]:
                return start(*args, **kwargs)
            return SyncStream(self, self._run(started()))
        return blocking

    def close(self) -> None:
        """Closes the connection and stops the loop thread. Safe to call more than once."""
        if self._loop.is_closed():
            return
        try:
            self._run(self._client.close())
        finally:
            self._stop()

    def _stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        if not self._thread.is_alive():
            self._loop.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
