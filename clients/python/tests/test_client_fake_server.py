"""Client behaviour against a scripted fake server: ordering, streaming, deadlines, cancellation, GOAWAY, PING."""

from __future__ import annotations

import asyncio
import math

import pytest
from conftest import run
from fake_server import FakeConnection, fake_server

import noproof
from noproof.messages import GoAway, HealthCheckRequest, HealthCheckResponse, ServerSettings
from noproof.protocol import FLAG_END_OK, PREFACE, FrameType, encode_frame

HEALTH = "/noproof.v1.Health/Check"


def echo(request_payload: bytes) -> bytes:
    """The fake's answer to a health check: the service name it asked about, as server_name."""
    return HealthCheckResponse(server_name=HealthCheckRequest.FromString(request_payload).service).SerializeToString()


async def ask(client: noproof.Client, service: str, timeout: float | None = None) -> str:
    return (await client.call(HEALTH, HealthCheckRequest(service=service), HealthCheckResponse, timeout=timeout)).server_name


def test_answers_in_reverse_order_reach_their_calls() -> None:
    order: list[int] = []

    async def script(conn: FakeConnection) -> None:
        calls = await conn.recv_calls(20)
        for frame in reversed(calls):
            order.append(frame.call_id)
            conn.reply(frame.call_id, echo(frame.header().payload))
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            services = [f"service-{i}" for i in range(20)]
            assert await asyncio.gather(*(ask(client, s) for s in services)) == services

    run(go())
    assert order == sorted(order, reverse=True) and len(set(order)) == 20


def test_call_header_carries_method_metadata_deadline_and_payload() -> None:
    headers = []

    async def script(conn: FakeConnection) -> None:
        for _ in range(2):
            frame = await conn.recv_type(FrameType.CALL)
            headers.append((frame.call_id, frame.header()))
            conn.reply(frame.call_id, echo(frame.header().payload))
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port, default_timeout=None) as client:
            await client.call(HEALTH, HealthCheckRequest(service="a"), HealthCheckResponse,
                              metadata={"staff": "agent-0042", "trace": "t-1"}, timeout=2.5)
            await client.call(1, HealthCheckRequest(service="b"), HealthCheckResponse)
        async with fake_server(script_inf) as port, noproof.Client.connect("127.0.0.1", port, default_timeout=5) as client:
            await client.call(1, HealthCheckRequest(service="c"), HealthCheckResponse, timeout=math.inf)

    async def script_inf(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        headers.append((frame.call_id, frame.header()))
        conn.reply(frame.call_id, echo(frame.header().payload))
        await conn.until_closed()

    run(go())
    (id1, first), (id2, second), (_, third) = headers
    assert third.timeout_micros == 0  # math.inf: no deadline
    assert (id1, id2) == (1, 2)
    assert first.method == HEALTH and first.method_id == 0
    assert [(m.key, m.value) for m in first.metadata] == [("staff", "agent-0042"), ("trace", "t-1")]
    assert 0 < first.timeout_micros <= 2_500_000
    assert HealthCheckRequest.FromString(first.payload).service == "a"
    assert second.method == "" and second.method_id == 1 and second.timeout_micros == 0


def test_metadata_keys_must_be_lower_case_ascii() -> None:
    async def script(conn: FakeConnection) -> None:
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            with pytest.raises(noproof.InvalidArgument, match="lower-case"):
                await client.call(HEALTH, HealthCheckRequest(), HealthCheckResponse, metadata={"Staff": "x"})

    run(go())


@pytest.mark.parametrize("ending", ["status-ok", "end-ok-flag"])
def test_server_streaming(ending: str) -> None:
    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        assert frame.header().method == "/noproof.v1.Test/Watch"
        for i in range(3):
            last = ending == "end-ok-flag" and i == 2
            conn.send(FrameType.MESSAGE, frame.call_id, HealthCheckResponse(server_name=f"m{i}").SerializeToString(),
                      FLAG_END_OK if last else 0)
            await asyncio.sleep(0)
        if ending == "status-ok":
            conn.status(frame.call_id, 0)
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            async with client.stream("/noproof.v1.Test/Watch", HealthCheckRequest(), HealthCheckResponse) as messages:
                assert [m.server_name async for m in messages] == ["m0", "m1", "m2"]
            assert client.open_calls == 0

    run(go())


def test_server_streaming_error_after_messages() -> None:
    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        conn.send(FrameType.MESSAGE, frame.call_id, HealthCheckResponse(server_name="first").SerializeToString())
        conn.status(frame.call_id, 5, "the queue is gone")
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            received = []
            with pytest.raises(noproof.NotFound, match="the queue is gone"):
                async for message in client.stream(7, HealthCheckRequest(), HealthCheckResponse):
                    received.append(message.server_name)
            assert received == ["first"]

    run(go())


def test_leaving_a_stream_early_sends_cancel_and_drops_late_frames() -> None:
    seen: list[tuple[int, int]] = []

    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        conn.send(FrameType.MESSAGE, frame.call_id, HealthCheckResponse(server_name="one").SerializeToString())
        cancel = await conn.recv_type(FrameType.CANCEL)
        seen.append((cancel.call_id, len(cancel.payload)))
        # Frames already on the wire for the cancelled call must be ignored by the client.
        conn.send(FrameType.MESSAGE, frame.call_id, HealthCheckResponse(server_name="late").SerializeToString())
        conn.status(frame.call_id, 0)
        after = await conn.recv_type(FrameType.CALL)
        assert after.call_id != frame.call_id
        conn.reply(after.call_id, echo(after.header().payload))
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            async with client.stream("/noproof.v1.Test/Watch", HealthCheckRequest(), HealthCheckResponse) as messages:
                async for message in messages:
                    assert message.server_name == "one"
                    break
            assert await ask(client, "still-works") == "still-works"

    run(go())
    assert seen == [(1, 0)]


def test_local_deadline_sends_cancel() -> None:
    cancels: list[int] = []

    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        assert 0 < frame.header().timeout_micros <= 50_000
        cancels.append((await conn.recv_type(FrameType.CANCEL)).call_id)
        conn.reply(frame.call_id, echo(frame.header().payload))  # too late: dropped
        nxt = await conn.recv_type(FrameType.CALL)
        conn.reply(nxt.call_id, echo(nxt.header().payload))
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            with pytest.raises(noproof.DeadlineExceeded) as caught:
                await ask(client, "slow", timeout=0.05)
            assert caught.value.code == noproof.StatusCode.DEADLINE_EXCEEDED
            assert await ask(client, "next") == "next"

    run(go())
    assert cancels == [1]


def test_server_deadline_status_is_deadline_exceeded() -> None:
    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        conn.status(frame.call_id, 4, "the call did not finish within its deadline")
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            with pytest.raises(noproof.DeadlineExceeded, match="within its deadline"):
                await ask(client, "x", timeout=30)

    run(go())


def test_cancelling_the_task_sends_cancel() -> None:
    cancels: list[int] = []

    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        cancels.append((await conn.recv_type(FrameType.CANCEL)).call_id)
        assert cancels == [frame.call_id]
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            task = asyncio.create_task(ask(client, "forever"))
            while client.open_calls == 0:
                await asyncio.sleep(0)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert client.open_calls == 0

    run(go())
    assert cancels == [1]


def test_server_ping_is_answered_with_pong() -> None:
    pongs: list[bytes] = []

    async def script(conn: FakeConnection) -> None:
        conn.send(FrameType.PING, 0, b"\xde\xad\xbe\xef\x00\x01\x02\x03")
        pong = await conn.recv_type(FrameType.PONG)
        pongs.append(pong.payload)
        assert pong.call_id == 0
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port):
            while not pongs:
                await asyncio.sleep(0.01)

    run(go())
    assert pongs == [b"\xde\xad\xbe\xef\x00\x01\x02\x03"]


def test_client_ping() -> None:
    async def script(conn: FakeConnection) -> None:
        ping = await conn.recv_type(FrameType.PING)
        assert len(ping.payload) == 8
        conn.send(FrameType.PONG, 0, ping.payload)
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            assert await client.ping() >= 0

    run(go())


def test_graceful_goaway_fails_calls_above_last_call_id_only() -> None:
    async def script(conn: FakeConnection) -> None:
        calls = await conn.recv_calls(4)
        conn.goaway(2, 0, "server is shutting down")
        await asyncio.sleep(0.05)
        for frame in calls[:2]:
            conn.reply(frame.call_id, echo(frame.header().payload))
        await asyncio.sleep(0.05)

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            results = await asyncio.gather(*(ask(client, f"s{i}") for i in range(1, 5)), return_exceptions=True)
            assert results[:2] == ["s1", "s2"]
            for failed in results[2:]:
                assert isinstance(failed, noproof.Unavailable), failed
                assert "not processed" in failed.message
            assert client.goaway is not None and client.goaway.last_call_id == 2
            with pytest.raises(noproof.Unavailable, match="going away|closed"):
                await ask(client, "new")

    run(go())


def test_goaway_with_error_code_fails_every_open_call() -> None:
    async def script(conn: FakeConnection) -> None:
        await conn.recv_calls(2)
        conn.goaway(2, 8, "frame too large")

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            results = await asyncio.gather(ask(client, "a"), ask(client, "b"), return_exceptions=True)
            for failed in results:
                assert isinstance(failed, noproof.ResourceExhausted) and "frame too large" in failed.message
            assert client.is_closed

    run(go())


def test_connection_lost_mid_call_is_unavailable() -> None:
    async def script(conn: FakeConnection) -> None:
        await conn.recv_type(FrameType.CALL)

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            with pytest.raises(noproof.Unavailable, match="closed the connection"):
                await ask(client, "x")

    run(go())


def test_unknown_status_code_is_treated_as_unknown() -> None:
    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        conn.status(frame.call_id, 42, "from the future")
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            with pytest.raises(noproof.Unknown) as caught:
                await ask(client, "x")
            assert (caught.value.code, caught.value.raw_code, caught.value.code_name) == (2, 42, "UNKNOWN")

    run(go())


def test_unary_answer_as_message_then_status_ok() -> None:
    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        conn.send(FrameType.MESSAGE, frame.call_id, echo(frame.header().payload))
        conn.status(frame.call_id, 0)
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            assert await ask(client, "two-frames") == "two-frames"

    run(go())


def test_server_sending_a_call_frame_is_a_protocol_error() -> None:
    goaways: list[GoAway] = []

    async def script(conn: FakeConnection) -> None:
        await conn.recv_type(FrameType.CALL)
        conn.send(FrameType.CALL, 1, b"")
        frame = await conn.recv_type(FrameType.GOAWAY)
        goaways.append(GoAway.FromString(frame.payload))

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            with pytest.raises(noproof.RpcError, match="protocol error"):
                await ask(client, "x")

    run(go())
    assert goaways[0].code == 3 and "CALL" in goaways[0].message


def test_request_larger_than_max_frame_size_is_refused_locally() -> None:
    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        conn.reply(frame.call_id, echo(frame.header().payload))
        await conn.until_closed()

    settings = ServerSettings(protocol_version=1, max_frame_size=64, max_concurrent_calls=10)

    async def go() -> None:
        async with fake_server(script, settings=settings) as port, noproof.Client.connect("127.0.0.1", port) as client:
            with pytest.raises(noproof.ResourceExhausted, match="at most 64 bytes"):
                await ask(client, "x" * 100)
            assert await ask(client, "small") == "small"

    run(go())


def test_connect_to_a_peer_that_is_not_noproof() -> None:
    async def script(conn: FakeConnection) -> None:
        return None

    async def go() -> None:
        async with fake_server(script, preface=b"HTTP/1.1 400 Bad Request\r\n") as port:
            with pytest.raises(noproof.Unavailable, match="not a NoProof server"):
                await noproof.Client.connect("127.0.0.1", port)

    run(go())


def test_connect_refused_at_the_preface() -> None:
    refusal = encode_frame(FrameType.GOAWAY, 0, GoAway(code=9, message="protocol version 1 is not supported").SerializeToString())

    async def script(conn: FakeConnection) -> None:
        return None

    async def go() -> None:
        async with fake_server(script, preface=PREFACE + refusal) as port:
            with pytest.raises(noproof.FailedPrecondition, match="refused the connection: protocol version 1"):
                await noproof.Client.connect("127.0.0.1", port)

    run(go())


def test_calls_wait_for_a_free_slot_under_max_concurrent_calls() -> None:
    most_open = []

    async def script(conn: FakeConnection) -> None:
        waiting: list[int] = []
        received = 0
        while received < 7:
            frame = await conn.recv_type(FrameType.CALL)
            received += 1
            waiting.append(frame.call_id)
            assert len(waiting) <= 2, f"{len(waiting)} calls open, the limit is 2"
            most_open.append(len(waiting))
            if len(waiting) == 2 or received == 7:
                call_id = waiting.pop(0)
                conn.reply(call_id, HealthCheckResponse(server_name=str(call_id)).SerializeToString())
        for call_id in waiting:
            conn.reply(call_id, HealthCheckResponse(server_name=str(call_id)).SerializeToString())
        await conn.until_closed()

    settings = ServerSettings(protocol_version=1, max_frame_size=1 << 20, max_concurrent_calls=2)

    async def go() -> None:
        async with fake_server(script, settings=settings) as port, noproof.Client.connect("127.0.0.1", port) as client:
            answers = await asyncio.gather(*(ask(client, f"s{i}") for i in range(7)))
            assert sorted(answers, key=int) == [str(i) for i in range(1, 8)]

    run(go())
    assert max(most_open) == 2
