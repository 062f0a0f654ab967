"""Purpose-bound access control, from Python and from the Swift CLI.

A lookup, a field check or a licence read must cite a service item of the *calling unit's* published
item list in force, and that item must list the licence type as obtained by data sharing; otherwise
the server answers PERMISSION_DENIED (7) saying which rule failed. Lookups are also limited against
harvesting: at most 20 per case reference and 60 per staff member per minute, both counted per unit,
else RESOURCE_EXHAUSTED (8). The shared demo server runs with ``--no-rate-limits``; the limits are
tested against a small demo server of this module's own that keeps them on.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BANK, ITEM, ITEM_TRANSFER, TASKFORCE, WATER, Server, _bin_dir, _read_holders, cli_error_line, run, small_demo_server

import noproof
from noproof.messages import ProofBody, SealedProof

NOT_IN_LIST = "is not in the calling unit's published list in force"
PER_CASE_LIMIT = 20
PER_STAFF_LIMIT = 60


def licence_ids(data_dir: Path, type_code: str, holder_kind: str | None = None, current: bool = True) -> list[tuple[str, str]]:
    """(licence id, holder id) of demo licences of a type, read from the server's library file (read-only):
    the way to name a licence of a type no lookup may fetch. ``current``: only licences valid today."""
    in_force = (" AND status = 'valid' AND valid_from <= date('now')"
                " AND (valid_to IS NULL OR valid_to = '' OR valid_to > date('now', '+1 day'))") if current else ""
    connection = sqlite3.connect(f"file:{data_dir / 'licences.sqlite'}?mode=ro", uri=True)
    try:
        rows = connection.execute(f"SELECT id, holder_key FROM licence WHERE type_code = ?{in_force} ORDER BY id LIMIT 50",
                                  (type_code,)).fetchall()
    finally:
        connection.close()
    if holder_kind == "person":
        rows = [row for row in rows if row[1][:17].isdigit()]
    elif holder_kind == "organization":
        rows = [row for row in rows if not row[1][:17].isdigit()]
    assert rows, f"the demo library has no {'current ' if current else ''}{type_code} licence"
    return [(str(licence_id), str(holder_id)) for licence_id, holder_id in rows]


def denied_lookup(server: Server, credential: tuple[str, str], holder_id: str, type_code: str, item: str,
                  case: str = "CASE-ACL") -> noproof.RpcError:
    async def go() -> noproof.RpcError:
        async with server.connect(credential=credential) as client:
            with pytest.raises(noproof.RpcError) as caught:
                await client.lookup(holder_id, type_code, item, case)
            return caught.value

    return run(go())


def assert_cli_fails_alike(server: Server, error: noproof.RpcError, *args: str, credential: tuple[str, str]) -> None:
    cli = server.cli(*args, credential=credential)
    assert cli.returncode == error.code, (cli.returncode, cli.stderr)
    assert cli_error_line(cli.stderr) == f"error: {error}"


# ---------------------------------------------------------------- the item must be in the caller's own list


@pytest.mark.parametrize(
    ("credential", "item"),
    [(WATER, "NOPE"), (WATER, "YH-KH-001"), (TASKFORCE, ITEM)],
    ids=["unknown-item", "another-units-item", "taskforce-cites-water-item"],
)
def test_lookup_with_an_unlisted_item_is_denied_like_the_cli(server: Server, credential: tuple[str, str], item: str) -> None:
    holder = server.holders[0]
    error = denied_lookup(server, credential, holder.holder_id, holder.type_code, item)
    assert isinstance(error, noproof.PermissionDenied)
    assert (error.code, error.code_name) == (7, "PERMISSION_DENIED")
    assert error.message.startswith(f"item {item} {NOT_IN_LIST}"), error.message
    assert_cli_fails_alike(server, error, "lookup", "--holder", holder.holder_id, "--type", holder.type_code,
                           "--item", item, "--case", "CASE-ACL", credential=credential)


def test_check_and_get_with_an_unlisted_item_are_denied_like_the_cli(server: Server) -> None:
    holder = server.holders[0]

    async def go() -> tuple[noproof.RpcError, noproof.RpcError, str]:
        async with server.connect() as client:
            proof = await client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-ACL-READ")
            licence_id = ProofBody.FromString(proof.body).licence.licence_id
            with pytest.raises(noproof.PermissionDenied) as check:
                await client.check_licence(holder.holder_id, holder.type_code, {"holder_name": holder.name},
                                           item_code="NOPE", case_reference="CASE-ACL-READ")
            with pytest.raises(noproof.PermissionDenied) as get:
                await client.get_licence(licence_id, "NOPE", "CASE-ACL-READ", holder_id=holder.holder_id)
            return check.value, get.value, licence_id

    check, get, licence_id = run(go())
    for error in (check, get):
        assert error.message.startswith(f"item NOPE {NOT_IN_LIST}"), error.message
    assert_cli_fails_alike(server, check, "check", "--holder", holder.holder_id, "--type", holder.type_code,
                           "--field", f"holder_name={holder.name}", "--item", "NOPE", "--case", "CASE-ACL-READ", credential=WATER)
    assert_cli_fails_alike(server, get, "get", licence_id, "--holder", holder.holder_id, "--item", "NOPE", "--case", "CASE-ACL-READ",
                           credential=WATER)


# ---------------------------------------------------------------- the item must list the type, by data sharing


@pytest.mark.parametrize(
    ("credential", "item", "type_code"),
    [(WATER, ITEM, "JHZ"), (WATER, ITEM, "HKB"), (BANK, "YH-KH-001", "BDCQZS"), (TASKFORCE, "ZB-TS-001", "BDCQZS")],
    ids=["water-JHZ", "water-HKB", "bank-account-BDCQZS", "taskforce-BDCQZS"],
)
def test_item_that_does_not_list_the_type_is_denied_like_the_cli(server: Server, credential: tuple[str, str], item: str,
                                                                  type_code: str) -> None:
    holder = server.holders[0]
    error = denied_lookup(server, credential, holder.holder_id, type_code, item)
    assert isinstance(error, noproof.PermissionDenied) and error.code == 7
    assert error.message.startswith(f"item {item} does not list {type_code} as a proof"), error.message
    assert_cli_fails_alike(server, error, "lookup", "--holder", holder.holder_id, "--type", type_code,
                           "--item", item, "--case", "CASE-ACL", credential=credential)


def test_check_and_get_of_a_type_the_item_does_not_list_are_denied_like_the_cli(server: Server) -> None:
    licence_id, holder_id = licence_ids(server.data_dir, "JHZ", current=False)[0]

    async def go() -> tuple[noproof.RpcError, noproof.RpcError]:
        async with server.connect() as water:
            with pytest.raises(noproof.PermissionDenied) as get:
                await water.get_licence(licence_id, ITEM, "CASE-ACL-JHZ", holder_id=holder_id)  # GetLicence checks the licence's own type
            with pytest.raises(noproof.PermissionDenied) as check:
                await water.check_licence(holder_id, "JHZ", {"holder_name": "x"}, item_code=ITEM, case_reference="CASE-ACL-JHZ")
            return get.value, check.value

    get, check = run(go())
    for error in (get, check):
        assert error.message.startswith(f"item {ITEM} does not list JHZ as a proof"), error.message
    assert_cli_fails_alike(server, get, "get", licence_id, "--holder", holder_id, "--item", ITEM, "--case", "CASE-ACL-JHZ",
                           credential=WATER)
    assert_cli_fails_alike(server, check, "check", "--holder", holder_id, "--type", "JHZ", "--field", "holder_name=x",
                           "--item", ITEM, "--case", "CASE-ACL-JHZ", credential=WATER)

    async def bank_may() -> None:  # the bank's loan item lists JHZ by data sharing
        async with server.connect(credential=BANK) as bank:
            licence = await bank.get_licence(licence_id, "YH-DK-002", "CASE-ACL-JHZ", holder_id=holder_id)
            assert (licence.licence_id, licence.type_code) == (licence_id, "JHZ")

    run(bank_may())


def test_type_obtained_by_department_verification_is_denied_like_the_cli(server: Server) -> None:
    """YH-DK-002 (bank, housing loan) lists WFZJL, but to be obtained by department verification, not by data
    sharing. A read of a WFZJL licence for that item is PERMISSION_DENIED. (A *lookup* or check of WFZJL is
    refused earlier, whatever the item: WFZJL is not connected to the system, FAILED_PRECONDITION.)"""
    licence_id, holder_id = licence_ids(server.data_dir, "WFZJL", holder_kind="person", current=False)[0]

    async def go() -> tuple[noproof.RpcError, noproof.RpcError]:
        async with server.connect(credential=BANK) as bank:
            with pytest.raises(noproof.PermissionDenied) as get:
                await bank.get_licence(licence_id, "YH-DK-002", "CASE-ACL-WFZJL", holder_id=holder_id)
            with pytest.raises(noproof.FailedPrecondition) as lookup:
                await bank.lookup(holder_id, "WFZJL", "YH-DK-002", "CASE-ACL-WFZJL")
            return get.value, lookup.value

    get, lookup = run(go())
    assert get.code == 7
    assert get.message.startswith("item YH-DK-002 obtains WFZJL by department verification"), get.message
    assert "not by data sharing" in get.message
    assert lookup.code == 9 and "not connected" in lookup.message, lookup.message
    assert_cli_fails_alike(server, get, "get", licence_id, "--holder", holder_id, "--item", "YH-DK-002", "--case", "CASE-ACL-WFZJL",
                           credential=BANK)
    assert_cli_fails_alike(server, lookup, "lookup", "--holder", holder_id, "--type", "WFZJL", "--item", "YH-DK-002",
                           "--case", "CASE-ACL-WFZJL", credential=BANK)


@pytest.mark.parametrize(
    ("credential", "item", "type_code"),
    [(WATER, ITEM, "BDCQZS"), (WATER, ITEM_TRANSFER, "YYZZ"), (BANK, "YH-KH-001", "HKB"), (BANK, "YH-DK-002", "JHZ"),
     (TASKFORCE, "ZB-TS-001", "JMSFZ")],
    ids=["water-BDCQZS", "water-transfer-YYZZ", "bank-HKB", "bank-loan-JHZ", "taskforce-JMSFZ"],
)
def test_listed_items_serve_their_types_in_python_and_the_cli(server: Server, tmp_path: Path, credential: tuple[str, str],
                                                              item: str, type_code: str) -> None:
    holder_id = licence_ids(server.data_dir, type_code)[0][1]

    async def go() -> tuple[ProofBody, str]:
        async with server.connect(credential=credential) as client:
            assert client.session is not None
            proof = await client.lookup(holder_id, type_code, item, "CASE-ACL-OK")
            return noproof.verify_proof(proof, await client.get_seal_keys()), client.session.unit_code

    body, unit_code = run(go())
    assert (body.licence.holder_id, body.licence.type_code) == (holder_id, type_code)
    assert (body.purpose.item_code, body.extracting_unit_code) == (item, unit_code)
    cli = server.cli("lookup", "--holder", holder_id, "--type", type_code, "--item", item, "--case", "CASE-ACL-OK",
                     "--out", str(tmp_path / "proof.bin"), credential=credential)
    assert cli.returncode == 0, cli.stderr
    assert noproof.read_proof(tmp_path / "proof.bin").key_id


def test_denials_are_audited(server: Server) -> None:
    holder = server.holders[0]

    async def go() -> None:
        async with server.connect() as client:
            if not any(m.path == "/noproof.v1.Admin/GetStats" for m in await client.list_methods()):
                pytest.skip("this noproofd has no /noproof.v1.Admin/GetStats")
            before = (await client.get_stats()).audit_records
            for i in range(3):
                with pytest.raises(noproof.PermissionDenied):
                    await client.lookup(holder.holder_id, holder.type_code, "NOPE", f"CASE-ACL-AUDIT-{i}")
            for _ in range(50):
                if (await client.get_stats()).audit_records >= before + 3:
                    return
                await asyncio.sleep(0.1)
            raise AssertionError(f"audit records went from {before} to {(await client.get_stats()).audit_records} after 3 denials")

    run(go())


def test_shared_server_runs_without_rate_limits(server: Server) -> None:
    """The suite's server is started with --no-rate-limits (scripts/interop-test.sh, conftest.py)."""
    holder = server.holders[0]

    async def go() -> list[SealedProof]:
        async with server.connect() as client:
            return await asyncio.gather(*(client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-ACL-UNLIMITED")
                                          for _ in range(PER_CASE_LIMIT + 5)))

    assert len(run(go())) == PER_CASE_LIMIT + 5, "noproofd must run with --no-rate-limits for this suite"


# ---------------------------------------------------------------- anti-harvesting limits (a server with the limits on)


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A small demo noproofd of this module's own, with the standard anti-harvesting limits."""
    directory = tmp_path_factory.mktemp("limited")
    with small_demo_server(directory) as (_, port):
        data = directory / "data"
        yield Server("127.0.0.1", port, data, _bin_dir(), _read_holders(data))


def _lookups(server: Server, calls: list[tuple[str, str | None]], credential: tuple[str, str] = WATER) -> list[SealedProof | BaseException]:
    """Lookups of holder 0 for item ITEM, one per (case, staff), all on one connection."""
    holder = server.holders[0]

    async def go() -> list[SealedProof | BaseException]:
        async with server.connect(credential=credential) as client:
            return await asyncio.gather(*(client.lookup(holder.holder_id, holder.type_code, ITEM, case, staff=staff)
                                          for case, staff in calls), return_exceptions=True)

    return run(go())


def test_per_case_limit_is_resource_exhausted_like_the_cli(limited_server: Server) -> None:
    holder = limited_server.holders[0]
    admitted = _lookups(limited_server, [("CASE-LIMIT", "agent-0001")] * PER_CASE_LIMIT)
    assert all(isinstance(answer, SealedProof) for answer in admitted), admitted

    [refused] = _lookups(limited_server, [("CASE-LIMIT", "agent-0001")])
    assert isinstance(refused, noproof.ResourceExhausted), refused
    assert (refused.code, refused.code_name) == (8, "RESOURCE_EXHAUSTED")
    assert refused.message.startswith(f"case CASE-LIMIT has already had {PER_CASE_LIMIT} lookups, "
                                      f"the limit per case is {PER_CASE_LIMIT}"), refused.message
    assert_cli_fails_alike(limited_server, refused, "lookup", "--holder", holder.holder_id, "--type", holder.type_code,
                           "--item", ITEM, "--case", "CASE-LIMIT", "--staff", "agent-0001", credential=WATER)

    # The count is per case reference and per unit: another case, or the same reference at another unit, goes on.
    assert isinstance(_lookups(limited_server, [("CASE-LIMIT-2", "agent-0001")])[0], SealedProof)
    bank = _lookups_of(limited_server, BANK, "YH-KH-001", "CASE-LIMIT")
    assert isinstance(bank, SealedProof), bank


def _lookups_of(server: Server, credential: tuple[str, str], item: str, case: str) -> SealedProof | BaseException:
    holder = server.holders[0]

    async def go() -> SealedProof | BaseException:
        async with server.connect(credential=credential) as client:
            try:
                return await client.lookup(holder.holder_id, holder.type_code, item, case)
            except noproof.RpcError as error:
                return error

    return run(go())


def test_per_staff_limit_is_resource_exhausted_like_the_cli(limited_server: Server) -> None:
    holder = limited_server.holders[0]
    admitted = _lookups(limited_server, [(f"CASE-BUSY-{i}", "agent-0002") for i in range(PER_STAFF_LIMIT)])
    assert all(isinstance(answer, SealedProof) for answer in admitted), [a for a in admitted if not isinstance(a, SealedProof)][:3]

    [refused] = _lookups(limited_server, [("CASE-BUSY-NEXT", "agent-0002")])
    assert isinstance(refused, noproof.ResourceExhausted), refused
    assert refused.message.startswith(f"staff member agent-0002 made {PER_STAFF_LIMIT} lookups in the last minute, "
                                      f"the limit is {PER_STAFF_LIMIT} per minute"), refused.message
    assert_cli_fails_alike(limited_server, refused, "lookup", "--holder", holder.holder_id, "--type", holder.type_code,
                           "--item", ITEM, "--case", "CASE-BUSY-NEXT", "--staff", "agent-0002", credential=WATER)
    # Other staff members of the unit go on.
    assert isinstance(_lookups(limited_server, [("CASE-BUSY-NEXT", "supervisor-0001")])[0], SealedProof)


def test_denied_lookups_do_not_count_against_the_limits(limited_server: Server) -> None:
    holder = limited_server.holders[0]

    async def go() -> list[BaseException | SealedProof]:
        async with limited_server.connect() as client:
            return await asyncio.gather(*(client.lookup(holder.holder_id, holder.type_code, "NOPE", "CASE-DENIED", staff="supervisor-0001")
                                          for _ in range(PER_CASE_LIMIT + 5)), return_exceptions=True)

    assert all(isinstance(answer, noproof.PermissionDenied) for answer in run(go()))
    assert isinstance(_lookups(limited_server, [("CASE-DENIED", "supervisor-0001")])[0], SealedProof)
