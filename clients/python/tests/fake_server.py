"""A scripted in-process NoProof server, for client behaviour the real server cannot be made to show on demand
(answers in a chosen order, server-streaming calls, GOAWAY with open calls, server PINGs...)."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from noproof.messages import CallHeader, CallStatus, GoAway, ServerSettings
from noproof.protocol import FLAG_END_OK, PREFACE, FrameType, encode_frame


@dataclass
class Frame:
    type: int
    flags: int
    call_id: int
    payload: bytes

    def header(self) -> CallHeader:
        assert self.type == FrameType.CALL, self
        return CallHeader.FromString(self.payload)


class FakeConnection:
    """The server end of one connection, driven by a test script."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def recv(self) -> Frame:
        length, frame_type, flags, call_id = struct.unpack(">IBBI", await self.reader.readexactly(10))
        return Frame(frame_type, flags, call_id, await self.reader.readexactly(length))

    async def recv_type(self, frame_type: FrameType) -> Frame:
        """The next frame, which must be of ``frame_type``."""
        frame = await self.recv()
        assert frame.type == frame_type, f"expected {frame_type.name}, got {frame}"
        return frame

    async def recv_calls(self, n: int) -> list[Frame]:
        return [await self.recv_type(FrameType.CALL) for _ in range(n)]

    def send(self, frame_type: FrameType | int, call_id: int = 0, payload: bytes = b"", flags: int = 0) -> None:
        self.writer.write(encode_frame(frame_type, call_id, payload, flags))

    def reply(self, call_id: int, payload: bytes) -> None:
        """A unary call's successful answer: MESSAGE with END_OK."""
        self.send(FrameType.MESSAGE, call_id, payload, FLAG_END_OK)

    def status(self, call_id: int, code: int, message: str = "") -> None:
        self.send(FrameType.STATUS, call_id, CallStatus(code=code, message=message).SerializeToString())

    def goaway(self, last_call_id: int, code: int, message: str) -> None:
        self.send(FrameType.GOAWAY, 0, GoAway(last_call_id=last_call_id, code=code, message=message).SerializeToString())

    async def until_closed(self) -> list[Frame]:
        """Every frame the client sends until it closes the connection."""
        frames = []
        try:
            while True:
                frames.append(await self.recv())
        except (asyncio.IncompleteReadError, ConnectionError):
            return frames


Script = Callable[[FakeConnection], Awaitable[None]]


@asynccontextmanager
async def fake_server(script: Script, *, settings: ServerSettings | None = None, preface: bytes = PREFACE) -> AsyncIterator[int]:
    """Serves ``script`` on each connection after the preface exchange; yields the port.

    Exceptions in the script (failed assertions) are re-raised when the block ends.
    """
    failures: list[BaseException] = []
    done = asyncio.Event()
    announced = settings or ServerSettings(protocol_version=1, max_frame_size=4 * 1024 * 1024,
                                           max_concurrent_calls=100, idle_timeout_millis=60_000,
                                           server_name="fake", authentication_required=False)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            assert await reader.readexactly(8) == PREFACE
            writer.write(preface)
            if preface == PREFACE:
                writer.write(encode_frame(FrameType.SETTINGS, 0, announced.SerializeToString()))
            await script(FakeConnection(reader, writer))
        except BaseException as error:  # noqa: BLE001 - reported to the test
            failures.append(error)
        finally:
            done.set()
            writer.close()

    listener = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        yield port
        try:
            await asyncio.wait_for(done.wait(), 10)
        except TimeoutError:
            failures.append(AssertionError("the fake server's script did not finish"))
    finally:
        listener.close()
        await listener.wait_closed()
    if failures:
        raise failures[0]
