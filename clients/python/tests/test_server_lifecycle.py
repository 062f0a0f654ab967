"""Against a real, short-lived noproofd of its own: idle timeout and graceful shutdown (GOAWAY code 0), and a
second unit's credential (access rules)."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CREDENTIAL, _bin_dir, _free_port, _wait_healthy, run

import noproof


BANK = ("test-bank", "bank-secret")


@pytest.fixture
def small_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A demo noproofd with a tiny library, a 1-second idle timeout, at most 2 calls open per connection
    and the extra credential BANK."""
    daemon = _bin_dir() / "noproofd"
    if not daemon.exists():
        pytest.skip(f"no noproofd at {daemon}")
    port = _free_port()
    config = tmp_path / "noproofd.json"
    config.write_text(json.dumps({"maxConcurrentCallsPerConnection": 2, "credentials": [{"id": BANK[0], "secret": BANK[1], "unitCode": "91370400MA00000000",
                                                   "unitName": "Test bank"}]}))
    with open(tmp_path / "noproofd.log", "wb") as log:
        process = subprocess.Popen(
            [str(daemon), "--config", str(config), "--demo", "--demo-licences", "50", "--data-dir", str(tmp_path / "data"),
             "--port", str(port), "--idle-timeout", "1", "--shutdown-grace", "2"],
            stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy("127.0.0.1", port, process)
            yield process, port
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()


def test_idle_connection_gets_goaway_ok(small_server: tuple[subprocess.Popen[bytes], int]) -> None:
    _, port = small_server

    async def go() -> None:
        client = await noproof.Client.connect("127.0.0.1", port, credential=CREDENTIAL)
        assert client.settings.idle_timeout_millis == 1000
        while not client.is_closed:
            await asyncio.sleep(0.1)
        assert client.goaway is not None
        assert (client.goaway.code, client.goaway.message) == (0, "closing idle connection after 1s without calls")
        with pytest.raises(noproof.Unavailable):
            await client.health()
        await client.close()
        # Clients reconnect on demand.
        async with noproof.Client.connect("127.0.0.1", port, credential=CREDENTIAL) as again:
            assert (await again.health()).server_name

    run(go())


def test_graceful_shutdown_sends_goaway_ok(small_server: tuple[subprocess.Popen[bytes], int]) -> None:
    process, port = small_server

    async def go() -> None:
        async with noproof.Client.connect("127.0.0.1", port, credential=CREDENTIAL) as client:
            await client.health()
            await client.list_methods()
            process.send_signal(signal.SIGTERM)
            while not client.is_closed:
                await asyncio.sleep(0.05)
            assert client.goaway is not None
            assert client.goaway.code == 0
            assert client.goaway.last_call_id == 3  # Authenticate, Check, ListMethods
            assert "shutting down" in client.goaway.message
            with pytest.raises(noproof.Unavailable):
                await client.health()

    run(go())
    assert process.wait(timeout=20) == 0


def test_a_unit_that_is_not_the_issuer_may_not_revoke(small_server: tuple[subprocess.Popen[bytes], int], tmp_path: Path) -> None:
    _, port = small_server
    holder_id, type_code = (tmp_path / "data" / "demo-holders.txt").read_text(encoding="utf-8").split()[:2]

    async def go() -> None:
        async with noproof.Client.connect("127.0.0.1", port, credential=BANK) as bank:
            assert bank.session is not None and bank.session.unit_code == "91370400MA00000000"
            proof = await bank.lookup(holder_id, type_code, "ITEM-BANK", "CASE-BANK")
            body = noproof.verify_proof(proof, await bank.get_seal_keys())
            assert body.extracting_unit_code == "91370400MA00000000"
            with pytest.raises(noproof.PermissionDenied) as caught:
                await bank.revoke_licence(body.licence.licence_id, "a bank may not revoke")
            assert caught.value.code == 7

    run(go())


def test_many_calls_within_max_concurrent_calls(small_server: tuple[subprocess.Popen[bytes], int], tmp_path: Path) -> None:
    """The client queues calls beyond the server's max_concurrent_calls (2 here) instead of being refused."""
    _, port = small_server
    holder_id, type_code = (tmp_path / "data" / "demo-holders.txt").read_text(encoding="utf-8").split()[:2]

    async def go() -> None:
        async with noproof.Client.connect("127.0.0.1", port, credential=CREDENTIAL) as client:
            assert client.settings.max_concurrent_calls == 2
            proofs = await asyncio.gather(*(client.lookup(holder_id, type_code, "ITEM", f"CASE-{i}") for i in range(12)))
            keys = await client.get_seal_keys()
            assert [noproof.verify_proof(p, keys).purpose.case_reference for p in proofs] == [f"CASE-{i}" for i in range(12)]

    run(go())
