"""Retries with backoff against the scripted fake server: which calls are retried, how long the client waits,
reconnecting after GOAWAY. Waits go through an injected sleep, so nothing here depends on real timing."""

from __future__ import annotations

import asyncio

import pytest
from conftest import run
from fake_server import FakeConnection, fake_server

import noproof
from noproof.errors import StatusCode
from noproof.messages import GetSealKeysResponse, HealthCheckRequest, LookupResponse, SealedProof
from noproof.protocol import FrameType
from noproof.retry import RetryPolicy, Safety, retry_after, should_retry


class Recorder:
    """An injected sleep: records the waits, returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def policy(sleep: Recorder, **changes: object) -> RetryPolicy:
    return RetryPolicy(sleep=sleep, random=lambda: 1.0, **changes)  # type: ignore[arg-type]


def test_a_read_that_fails_unavailable_is_retried_and_succeeds() -> None:
    sleep = Recorder()
    methods: list[str] = []

    async def script(conn: FakeConnection) -> None:
        first = await conn.recv_type(FrameType.CALL)
        methods.append(first.header().method)
        conn.status(first.call_id, StatusCode.UNAVAILABLE, "server overloaded: 64 lookups waiting; retry after 100 ms, with backoff")
        second = await conn.recv_type(FrameType.CALL)
        methods.append(second.header().method)
        conn.reply(second.call_id, GetSealKeysResponse().SerializeToString())
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port, retry=policy(sleep)) as client:
            assert isinstance(await client.get_seal_keys(), GetSealKeysResponse)

    run(go())
    assert methods == ["/noproof.v1.Licences/GetSealKeys"] * 2
    assert len(sleep.waits) == 1 and sleep.waits[0] >= 0.1


def test_retry_after_300_ms_waits_at_least_300_ms() -> None:
    sleep = Recorder()

    async def script(conn: FakeConnection) -> None:
        for _ in range(2):
            frame = await conn.recv_type(FrameType.CALL)
            conn.status(frame.call_id, StatusCode.RESOURCE_EXHAUSTED, "too busy; retry after 300 ms")
        frame = await conn.recv_type(FrameType.CALL)
        conn.reply(frame.call_id, noproof.messages.HealthCheckResponse(server_name="ok").SerializeToString())
        await conn.until_closed()

    async def go() -> None:
        # initial_backoff 10 ms and full jitter: without the hint the waits would be far shorter.
        retry = policy(sleep, initial_backoff=0.01, jitter=1.0)
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port, retry=retry) as client:
            assert (await client.health()).server_name == "ok"

    run(go())
    assert len(sleep.waits) == 2 and all(wait >= 0.3 for wait in sleep.waits), sleep.waits


def test_resource_exhausted_without_retry_after_is_not_retried() -> None:
    sleep = Recorder()

    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        conn.status(frame.call_id, StatusCode.RESOURCE_EXHAUSTED, "request too large")
        assert [f for f in await conn.until_closed() if f.type == FrameType.CALL] == []

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port, retry=policy(sleep)) as client:
            with pytest.raises(noproof.ResourceExhausted):
                await client.health()

    run(go())
    assert sleep.waits == []


def test_a_write_is_not_retried() -> None:
    sleep = Recorder()
    calls: list[str] = []

    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        calls.append(frame.header().method)
        conn.status(frame.call_id, StatusCode.UNAVAILABLE, "server overloaded; retry after 100 ms")
        calls.extend(f.header().method for f in await conn.until_closed() if f.type == FrameType.CALL)

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port, retry=policy(sleep)) as client:
            with pytest.raises(noproof.Unavailable):
                await client.revoke_licence("1.2.156.3005.2.1", "fraud")

    run(go())
    assert calls == ["/noproof.v1.Licences/RevokeLicence"] and sleep.waits == []


def test_a_lookup_lost_mid_call_is_not_retried_but_one_refused_with_retry_after_is() -> None:
    sleep = Recorder()
    connections = 0

    async def script(conn: FakeConnection) -> None:
        nonlocal connections
        connections += 1
        frame = await conn.recv_type(FrameType.CALL)
        if connections == 1:
            return  # the connection drops with the lookup in flight: it may have been audited
        conn.status(frame.call_id, StatusCode.UNAVAILABLE, "server overloaded: lookups waiting; retry after 100 ms")
        frame = await conn.recv_type(FrameType.CALL)
        conn.reply(frame.call_id, LookupResponse(proof=SealedProof(body=b"x")).SerializeToString())
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port:
            async with noproof.Client.connect("127.0.0.1", port, retry=policy(sleep)) as client:
                with pytest.raises(noproof.Unavailable, match="closed the connection"):
                    await client.lookup("370404199306107807", "JMSFZ", "ITEM", "CASE")
            assert sleep.waits == []
            async with noproof.Client.connect("127.0.0.1", port, retry=policy(sleep)) as client:
                assert (await client.lookup("370404199306107807", "JMSFZ", "ITEM", "CASE")).body == b"x"
            assert len(sleep.waits) == 1

    run(go())


def test_reconnects_after_goaway_and_retries_the_call_the_server_did_not_process() -> None:
    sleep = Recorder()
    connections = 0

    async def script(conn: FakeConnection) -> None:
        nonlocal connections
        connections += 1
        frame = await conn.recv_type(FrameType.CALL)
        if connections == 1:
            conn.goaway(0, 0, "draining for a restart")
            await asyncio.sleep(0.05)
            return
        conn.reply(frame.call_id, noproof.messages.HealthCheckResponse(server_name="second").SerializeToString())
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port, retry=policy(sleep)) as client:
            first = client.connection
            assert (await client.health()).server_name == "second"
            assert client.connection is not first and client.goaway is None

    run(go())
    assert connections == 2 and len(sleep.waits) == 1


def test_gives_up_after_max_attempts() -> None:
    sleep = Recorder()

    async def script(conn: FakeConnection) -> None:
        for _ in range(3):
            frame = await conn.recv_type(FrameType.CALL)
            conn.status(frame.call_id, StatusCode.UNAVAILABLE, "down for maintenance")
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port,
                                                                      retry=policy(sleep, max_attempts=3)) as client:
            with pytest.raises(noproof.Unavailable, match="maintenance"):
                await client.health()

    run(go())
    assert len(sleep.waits) == 2


def test_without_a_policy_nothing_is_retried() -> None:
    async def script(conn: FakeConnection) -> None:
        frame = await conn.recv_type(FrameType.CALL)
        conn.status(frame.call_id, StatusCode.UNAVAILABLE, "retry after 100 ms")
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            with pytest.raises(noproof.Unavailable):
                await client.health()

    run(go())


def test_a_method_given_the_wrong_request_type_is_refused_locally() -> None:
    from noproof.services.audit import _GET_TREE_HEAD

    async def script(conn: FakeConnection) -> None:
        await conn.until_closed()

    async def go() -> None:
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port) as client:
            with pytest.raises(TypeError, match="GetTreeHeadRequest"):
                await client.call(_GET_TREE_HEAD, HealthCheckRequest(), GetSealKeysResponse)

    run(go())


def test_backoff_is_exponential_jittered_capped_and_honours_the_hint() -> None:
    retry = RetryPolicy(initial_backoff=0.1, multiplier=2, max_backoff=1.0, jitter=0.5, random=lambda: 0.0)
    assert [retry.backoff(n) for n in range(1, 6)] == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.0])
    jittered = RetryPolicy(initial_backoff=0.1, multiplier=2, max_backoff=1.0, jitter=0.5, random=lambda: 1.0)
    assert jittered.backoff(5) == pytest.approx(0.5)
    assert jittered.backoff(1, noproof.Unavailable("retry after 2 s")) == pytest.approx(2.0)


def test_total_timeout_stops_the_retries() -> None:
    sleep = Recorder()
    now = [0.0]

    async def advancing(seconds: float) -> None:
        sleep.waits.append(seconds)
        now[0] += seconds

    async def script(conn: FakeConnection) -> None:
        for _ in range(2):
            frame = await conn.recv_type(FrameType.CALL)
            conn.status(frame.call_id, StatusCode.UNAVAILABLE, "retry after 600 ms")
        await conn.until_closed()

    async def go() -> None:
        retry = RetryPolicy(sleep=advancing, clock=lambda: now[0], total_timeout=1.0, max_attempts=10)
        async with fake_server(script) as port, noproof.Client.connect("127.0.0.1", port, retry=retry) as client:
            with pytest.raises(noproof.Unavailable):
                await client.health()

    run(go())
    assert sleep.waits == [pytest.approx(0.6)]  # a second wait of 0.6 s would end past the 1 s budget


def test_retry_after_parsing_and_safety_rules() -> None:
    assert retry_after("server overloaded ...; retry after 100 ms, with backoff") == pytest.approx(0.1)
    assert retry_after("server busy checking credentials; retry after 1 s, with backoff") == pytest.approx(1.0)
    assert retry_after("no hint") is None
    lost = noproof.Unavailable("closed the connection")
    assert should_retry(Safety.READ, lost) and should_retry(Safety.IDEMPOTENT, lost)
    assert not should_retry(Safety.AUDITED, lost) and not should_retry(Safety.NEVER, lost)
    assert not should_retry(Safety.READ, noproof.NotFound("no such licence"))
