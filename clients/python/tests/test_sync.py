"""The blocking wrapper noproof.sync.Client against the scripted fake server (which runs in a loop of its own thread)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fake_server import FakeConnection, Script, fake_server

import noproof
import noproof.sync
from noproof.errors import StatusCode
from noproof.messages import HealthCheckRequest, HealthCheckResponse, VerificationEvent, VerificationRecord
from noproof.protocol import FLAG_END_OK, FrameType


@contextmanager
def serving(script: Script) -> Iterator[int]:
    """Runs the fake server in a thread of its own; yields its port."""
    loop = asyncio.new_event_loop()
    ready: asyncio.Future[int] = loop.create_future()
    stop = asyncio.Event()
    failures: list[BaseException] = []

    async def main() -> None:
        try:
            async with fake_server(script) as port:
                ready.set_result(port)
                await stop.wait()
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)
            if not ready.done():
                ready.set_exception(error)

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    port = asyncio.run_coroutine_threadsafe(asyncio.wait_for(asyncio.shield(ready), 5), loop).result()
    try:
        yield port
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(15)
        loop.close()
    if failures:
        raise failures[0]


def test_blocking_calls_errors_and_streams() -> None:
    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        service = HealthCheckRequest.FromString(frame.header().payload).service
        conn.reply(frame.call_id, HealthCheckResponse(server_name=service).SerializeToString())
        frame = await conn.recv_type(FrameType.CALL)
        conn.status(frame.call_id, StatusCode.NOT_FOUND, "no such service")
        frame = await conn.recv_type(FrameType.CALL)
        assert frame.header().method == "/noproof.v1.Verification/WatchRequest"
        for status in ("filed", "taken"):
            conn.send(FrameType.MESSAGE, frame.call_id,
                      VerificationEvent(request=VerificationRecord(status=status)).SerializeToString())
        conn.send(FrameType.MESSAGE, frame.call_id,
                  VerificationEvent(request=VerificationRecord(status="answered")).SerializeToString(), FLAG_END_OK)
        await conn.until_closed()

    with serving(script) as port, noproof.sync.Client("127.0.0.1", port) as client:
        assert client.health("noproof.v1.Licences").server_name == "noproof.v1.Licences"
        with pytest.raises(noproof.NotFound, match="no such service"):
            client.health("nothing")
        with client.watch_verification("VR-1") as events:
            assert [event.request.status for event in events] == ["filed", "taken", "answered"]
        assert client.settings.server_name == "fake"
