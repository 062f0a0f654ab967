"""Against a real, short-lived noproofd of its own: idle timeout and graceful shutdown (GOAWAY code 0), and
the access rules of units other than the default one (an issuer's rights, a unit without an item list)."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BANK, CREDENTIAL, ITEM, TASKFORCE, run, small_demo_server

import noproof


# A credential from the config file, for a unit the demo registry has no published item list for.
UNLISTED = ("test-unlisted", "unlisted-secret")
UNLISTED_UNIT = "11370400004315203J"
"""The demo public security bureau: registered, but with no published item list."""


@pytest.fixture
def small_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A demo noproofd (demo units and their published lists) with a tiny library, a 1-second idle timeout,
    at most 2 calls open per connection and the extra credential UNLISTED."""
    config = tmp_path / "noproofd.json"
    config.write_text(json.dumps({"maxConcurrentCallsPerConnection": 2, "credentials": [
        {"id": UNLISTED[0], "secret": UNLISTED[1], "unitCode": UNLISTED_UNIT}]}))
    config.chmod(0o600)  # it holds a secret: noproofd refuses a config file others can read
    with small_demo_server(tmp_path, "--config", str(config), "--idle-timeout", "1", "--shutdown-grace", "2") as started:
        yield started


def test_idle_connection_gets_goaway_ok(small_server: tuple[subprocess.Popen[bytes], int]) -> None:
    _, port = small_server

    async def go() -> None:
        client = await noproof.Client.connect("127.0.0.1", port, credential=CREDENTIAL, staff="agent-0001")
        assert client.settings.idle_timeout_millis == 1000
        while not client.is_closed:
            await asyncio.sleep(0.1)
        assert client.goaway is not None
        assert (client.goaway.code, client.goaway.message) == (0, "closing idle connection after 1s without calls")
        with pytest.raises(noproof.Unavailable):
            await client.health()
        await client.close()
        # Clients reconnect on demand.
        async with noproof.Client.connect("127.0.0.1", port, credential=CREDENTIAL, staff="agent-0001") as again:
            assert (await again.health()).server_name

    run(go())


def test_graceful_shutdown_sends_goaway_ok(small_server: tuple[subprocess.Popen[bytes], int]) -> None:
    process, port = small_server

    async def go() -> None:
        async with noproof.Client.connect("127.0.0.1", port, credential=CREDENTIAL, staff="agent-0001") as client:
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
        async with noproof.Client.connect("127.0.0.1", port, credential=BANK, staff="agent-0001") as bank, \
                noproof.Client.connect("127.0.0.1", port, credential=TASKFORCE, staff="agent-0001") as taskforce:
            assert bank.session is not None
            proof = await bank.lookup(holder_id, type_code, "YH-KH-001", "CASE-BANK")  # the bank's item for new accounts
            body = noproof.verify_proof(proof, await bank.get_seal_keys())
            assert body.extracting_unit_code == bank.session.unit_code
            assert body.licence.issuer_code != bank.session.unit_code
            for change in (bank.revoke_licence, bank.suspend_licence):
                with pytest.raises(noproof.PermissionDenied) as caught:
                    await change(body.licence.licence_id, "a bank may not change another issuer's licence")
                assert caught.value.code == 7
            with pytest.raises(noproof.PermissionDenied):
                await bank.amend_licence(body.licence.licence_id, "a bank may not amend", fields={"address": "x"})
            # The task force office may change any licence.
            assert (await taskforce.suspend_licence(body.licence.licence_id, "task force: suspend")).status == "suspended"
            assert (await taskforce.reinstate_licence(body.licence.licence_id, "task force: reinstate")).status == "valid"

    run(go())


def test_a_unit_without_a_published_item_list_may_not_look_up(small_server: tuple[subprocess.Popen[bytes], int],
                                                                tmp_path: Path) -> None:
    _, port = small_server
    holder_id, type_code = (tmp_path / "data" / "demo-holders.txt").read_text(encoding="utf-8").split()[:2]

    async def go() -> None:
        async with noproof.Client.connect("127.0.0.1", port, credential=UNLISTED, staff="agent-0001") as unlisted:
            assert unlisted.session is not None and unlisted.session.unit_code == UNLISTED_UNIT
            for item in (ITEM, "YH-KH-001", "ANY-ITEM"):  # no other unit's items either
                with pytest.raises(noproof.PermissionDenied) as caught:
                    await unlisted.lookup(holder_id, type_code, item, "CASE-UNLISTED")
                assert UNLISTED_UNIT in caught.value.message
            with pytest.raises(noproof.PermissionDenied):
                await unlisted.check_licence(holder_id, type_code, {"holder_name": "x"}, item_code=ITEM, case_reference="CASE-UNLISTED")

    run(go())


def test_many_calls_within_max_concurrent_calls(small_server: tuple[subprocess.Popen[bytes], int], tmp_path: Path) -> None:
    """The client queues calls beyond the server's max_concurrent_calls (2 here) instead of being refused."""
    _, port = small_server
    holder_id, type_code = (tmp_path / "data" / "demo-holders.txt").read_text(encoding="utf-8").split()[:2]

    async def go() -> None:
        async with noproof.Client.connect("127.0.0.1", port, credential=CREDENTIAL, staff="agent-0001") as client:
            assert client.settings.max_concurrent_calls == 2
            proofs = await asyncio.gather(*(client.lookup(holder_id, type_code, ITEM, f"CASE-{i}") for i in range(12)))
            keys = await client.get_seal_keys()
            assert [noproof.verify_proof(p, keys).purpose.case_reference for p in proofs] == [f"CASE-{i}" for i in range(12)]

    run(go())
