"""Interoperability of the Python client with a real noproofd and the Swift CLI `noproof`."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from conftest import BANK, BANK_ITEM, CREDENTIAL, ITEM, ITEM_TRANSFER, TASKFORCE, Server, cli_error_line, run

import noproof
from noproof.messages import (
    FieldCheck,
    HealthCheckRequest,
    HealthCheckResponse,
    Licence,
    LicenceField,
    ListMethodsRequest,
    ListMethodsResponse,
    MethodInfo,
    ProofBody,
    SealedProof,
)

# The methods this client has typed calls for, with their stable ids (docs/PROTOCOL.md sections 6 and 7).
EXPECTED_METHODS = {
    1: "/noproof.v1.Health/Check",
    2: "/noproof.v1.Reflection/ListMethods",
    3: "/noproof.v1.Session/Authenticate",
    10: "/noproof.v1.Licences/Lookup",
    11: "/noproof.v1.Licences/GetLicence",
    12: "/noproof.v1.Licences/CheckLicence",
    13: "/noproof.v1.Licences/GetSealKeys",
    14: "/noproof.v1.Licences/ListLicenceTypes",
    15: "/noproof.v1.Licences/IssueLicence",
    16: "/noproof.v1.Licences/AmendLicence",
    17: "/noproof.v1.Licences/SuspendLicence",
    18: "/noproof.v1.Licences/ReinstateLicence",
    19: "/noproof.v1.Licences/RevokeLicence",
    20: "/noproof.v1.Licences/ImportLicences",
}


# ---------------------------------------------------------------- connection, built-in services


def test_connect_exchanges_settings_and_authenticates(server: Server) -> None:
    async def go() -> None:
        async with server.connect() as client:
            assert client.settings.protocol_version == 1
            assert client.settings.max_frame_size > 0
            assert client.settings.max_concurrent_calls > 0
            assert client.settings.authentication_required
            assert client.session is not None and client.session.unit_code
            assert await client.ping() >= 0

    run(go())


def test_health_needs_no_credential(server: Server) -> None:
    async def go() -> None:
        async with server.connect(credential=None) as client:
            health = await client.health()
            assert health.status == HealthCheckResponse.SERVING
            assert health.server_name and health.server_version
            assert (await client.health("noproof.v1.Licences")).status == HealthCheckResponse.SERVING
            with pytest.raises(noproof.NotFound) as caught:
                await client.health("noproof.v1.NoSuchService")
            assert caught.value.code == 5 and caught.value.code_name == "NOT_FOUND"
            assert "NoSuchService" in caught.value.message

    run(go())


def test_list_methods_matches_cli(server: Server) -> None:
    async def go() -> list[MethodInfo]:
        async with server.connect() as client:
            return await client.list_methods()

    methods = run(go())
    listed_ids = {m.id: m.path for m in methods}
    assert listed_ids.items() >= EXPECTED_METHODS.items()  # method ids are stable; servers may add methods
    cli = server.cli("methods", "--json")
    assert cli.returncode == 0, cli.stderr
    listed = json.loads(cli.stdout)
    assert [(m["id"], m["path"], m["requiresAuthentication"]) for m in listed] == [
        (m.id, m.path, m.requires_authentication) for m in methods
    ]


def test_get_stats_when_the_server_offers_it(server: Server) -> None:
    async def go() -> None:
        async with server.connect() as client:
            if not any(m.path == "/noproof.v1.Admin/GetStats" for m in await client.list_methods()):
                pytest.skip("this noproofd has no /noproof.v1.Admin/GetStats")
            await client.health()
            stats = await client.get_stats()
            assert stats.connections_open >= 1 and stats.calls_total >= 2
            assert stats.cache.licences > 0

    run(go())


def test_generic_call_by_path_and_by_method_id(server: Server) -> None:
    async def go() -> None:
        async with server.connect() as client:
            by_id = await client.call(2, ListMethodsRequest(), ListMethodsResponse)
            by_path = await client.call("/noproof.v1.Reflection/ListMethods", ListMethodsRequest(), ListMethodsResponse,
                                        metadata={"staff": "agent-0002"}, timeout=5)
            assert by_id == by_path
            health = await client.call(1, HealthCheckRequest(), HealthCheckResponse)
            assert health.status == HealthCheckResponse.SERVING

    run(go())


def test_list_licence_types_matches_cli(server: Server) -> None:
    async def go() -> list[str]:
        async with server.connect(credential=None) as client:
            return [t.code for t in await client.list_licence_types()]

    codes = run(go())
    assert "JMSFZ" in codes
    cli = server.cli("types", "--json")
    assert cli.returncode == 0, cli.stderr
    assert sorted(t["code"] for t in json.loads(cli.stdout)) == sorted(codes)


def test_seal_keys_equal_the_cli_key_file(server: Server, tmp_path: Path) -> None:
    async def go() -> noproof.messages.GetSealKeysResponse:
        async with server.connect(credential=None) as client:
            return await client.get_seal_keys()

    keys = run(go())
    assert {k.seal_kind for k in keys.keys} >= {"data-sharing", "verification"}
    assert all(k.algorithm == "Ed25519" and len(k.public_key) == 32 for k in keys.keys)
    cli = server.cli("keys", "--out", str(tmp_path / "keys.bin"))
    assert cli.returncode == 0, cli.stderr
    assert noproof.read_keys(tmp_path / "keys.bin") == keys


# ---------------------------------------------------------------- proofs across languages


def _lookup(server: Server, holder_index: int, case: str, staff: str | None = None) -> tuple[SealedProof, noproof.messages.GetSealKeysResponse]:
    holder = server.holders[holder_index]

    async def go() -> tuple[SealedProof, noproof.messages.GetSealKeysResponse]:
        async with server.connect() as client:
            proof = await client.lookup(holder.holder_id, holder.type_code, item_code=ITEM, case_reference=case, staff=staff)
            return proof, await client.get_seal_keys()

    return run(go())


def test_proof_from_python_verifies_in_python_and_swift(server: Server, tmp_path: Path) -> None:
    holder = server.holders[0]
    proof, keys = _lookup(server, 0, "CASE-PY-1", staff="agent-0002")
    body = noproof.verify_proof(proof, keys)
    assert body.licence.holder_id == holder.holder_id
    assert body.licence.type_code == holder.type_code
    assert body.licence.holder_name == holder.name
    assert body.licence.status == "valid"
    assert (body.purpose.item_code, body.purpose.case_reference, body.staff) == (ITEM, "CASE-PY-1", "agent-0002")
    assert body.seal_kind == "data-sharing"

    noproof.write_proof(proof, tmp_path / "proof.bin")
    noproof.write_keys(keys, tmp_path / "keys.bin")
    offline = server.cli("verify", str(tmp_path / "proof.bin"), "--keys", str(tmp_path / "keys.bin"), "--json")
    assert offline.returncode == 0, offline.stderr
    verdict = json.loads(offline.stdout)
    assert verdict["verified"] is True
    assert verdict["proofSerial"] == body.proof_serial
    assert verdict["licence"]["holderID"] == holder.holder_id
    online = server.cli("verify", str(tmp_path / "proof.bin"))
    assert online.returncode == 0, online.stderr
    assert "VERIFIED" in online.stdout


def test_proof_status_online_in_python_and_swift(server: Server, tmp_path: Path) -> None:
    proof, keys = _lookup(server, 0, "CASE-STATUS-1", staff="agent-0002")
    body = noproof.verify_proof(proof, keys)

    async def go() -> noproof.messages.ProofStatusResponse:
        async with server.connect() as client:
            return await client.proof_status(proof, staff="agent-0002")

    answer = noproof.verify_proof_status(run(go()), proof, keys)
    assert (answer.status, answer.proof_serial, answer.licence_id) == ("valid", body.proof_serial, body.licence.licence_id)
    assert answer.proof_version == body.licence.version == answer.current_version

    noproof.write_proof(proof, tmp_path / "proof.bin")
    noproof.write_keys(keys, tmp_path / "keys.bin")
    online = server.cli("verify", str(tmp_path / "proof.bin"), "--keys", str(tmp_path / "keys.bin"), "--online", "--json")
    assert online.returncode == 0, online.stderr
    verdict = json.loads(online.stdout)
    assert verdict["verified"] is True and verdict["online"]["status"] == "valid"


def test_proof_saved_by_swift_cli_verifies_in_python(server: Server, tmp_path: Path) -> None:
    holder = server.holders[1]
    saved = server.cli("lookup", "--holder", holder.holder_id, "--type", holder.type_code, "--item", ITEM_TRANSFER,
                       "--case", "CASE-CLI-1", "--staff", "agent-0002", "--out", str(tmp_path / "cli-proof.bin"))
    assert saved.returncode == 0, saved.stderr
    keys = server.cli("keys", "--out", str(tmp_path / "keys.bin"))
    assert keys.returncode == 0, keys.stderr

    proof = noproof.read_proof(tmp_path / "cli-proof.bin")
    body, key = noproof.verify_proof_key(proof, noproof.read_keys(tmp_path / "keys.bin"))
    assert key.key_id == proof.key_id and key.seal_kind == body.seal_kind
    assert body.licence.holder_id == holder.holder_id
    assert (body.purpose.item_code, body.purpose.case_reference, body.staff) == (ITEM_TRANSFER, "CASE-CLI-1", "agent-0002")


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


@pytest.mark.parametrize("where", ["body", "signature"])
def test_tampered_proof_is_rejected_by_python_and_swift(server: Server, tmp_path: Path, where: str) -> None:
    proof, keys = _lookup(server, 0, f"CASE-TAMPER-{where}")
    encoded = proof.SerializeToString()
    if where == "body":
        # The middle byte of the body: the holder name/licence id area, not protobuf structure.
        index = encoded.index(proof.body) + len(proof.body) // 2
    else:
        index = encoded.index(proof.signature) + 5
    tampered = _flip(encoded, index)
    (tmp_path / "tampered.bin").write_bytes(tampered)
    noproof.write_keys(keys, tmp_path / "keys.bin")

    with pytest.raises(noproof.ProofInvalid) as caught:
        noproof.verify_proof(noproof.read_proof(tmp_path / "tampered.bin"), keys)
    assert "altered" in caught.value.reason

    swift = server.cli("verify", str(tmp_path / "tampered.bin"), "--keys", str(tmp_path / "keys.bin"))
    assert swift.returncode == 1
    assert "NOT VERIFIED" in swift.stderr


# ---------------------------------------------------------------- the other licence calls


def test_get_licence_and_check_licence(server: Server) -> None:
    holder = server.holders[1]

    async def go() -> None:
        async with server.connect() as client:
            proof = await client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-GET")
            attested = ProofBody.FromString(proof.body).licence
            licence = await client.get_licence(attested.licence_id, ITEM, "CASE-GET", staff="agent-0002", holder_id=holder.holder_id)
            assert licence == attested
            # Issue 16: the water company's new-account item names none of the card's personal fields.
            assert not attested.fields and "ethnicity" in ProofBody.FromString(proof.body).withheld_fields
            with pytest.raises(noproof.PermissionDenied):
                await client.check_licence(holder.holder_id, holder.type_code, {"gender": "not-a-gender"},
                                           item_code=ITEM, case_reference="CASE-CHECK")
        async with server.connect(credential=BANK) as bank:
            # The bank's account opening names the card's sex (among others).
            check = await bank.check_licence(
                holder.holder_id, holder.type_code,
                {"holder_name": holder.name, "gender": "not-a-gender"},
                item_code=BANK_ITEM, case_reference="CASE-CHECK",
            )
            assert check.status == "valid"
            assert {f.key: f.result for f in check.fields} == {
                "holder_name": FieldCheck.MATCH,
                "gender": FieldCheck.MISMATCH,
            }

    run(go())
    cli = server.cli("check", "--holder", holder.holder_id, "--type", holder.type_code, "--field", "gender=not-a-gender",
                     "--item", BANK_ITEM, "--case", "CASE-CHECK", "--json", credential=BANK)
    assert cli.returncode == 1, cli.stderr  # the CLI's status when a declared field does not match
    assert json.loads(cli.stdout)["fields"] == {"gender": "MISMATCH"}


def test_get_licence_needs_the_holder_and_another_holders_licence_is_a_miss(server: Server) -> None:
    """Issue 14: GetLicence takes the holder's id too; a licence of someone else answers NOT_FOUND exactly like a
    licence that does not exist, and the CLI needs --holder."""
    owner, other = server.holders[2], server.holders[3]

    async def go() -> tuple[noproof.RpcError, noproof.RpcError, noproof.RpcError]:
        async with server.connect() as client:
            proof = await client.lookup(owner.holder_id, owner.type_code, ITEM, "CASE-GET-OTHER")
            licence_id = ProofBody.FromString(proof.body).licence.licence_id
            with pytest.raises(noproof.InvalidArgument) as missing:
                await client.get_licence(licence_id, ITEM, "CASE-GET-OTHER", holder_id="")
            with pytest.raises(noproof.NotFound) as foreign:
                await client.get_licence(licence_id, ITEM, "CASE-GET-OTHER", holder_id=other.holder_id)
            guess = licence_id.rsplit(".", 3)[0] + ".99999999.1"
            with pytest.raises((noproof.NotFound, noproof.InvalidArgument)) as miss:
                await client.get_licence(guess, ITEM, "CASE-GET-OTHER", holder_id=other.holder_id)
            assert (await client.get_licence(licence_id, ITEM, "CASE-GET-OTHER", holder_id=owner.holder_id)).licence_id == licence_id
            return missing.value, foreign.value, miss.value

    missing, foreign, miss = run(go())
    assert missing.message.startswith("holder_id"), missing.message
    assert owner.name not in foreign.message and owner.holder_id not in foreign.message
    assert "holds no licence" in foreign.message
    cli = server.cli("get", "1.2.156.3005.2.JMSFZ")
    assert cli.returncode != 0 and "--holder" in cli.stderr


def test_check_licence_takes_one_value_per_field_of_the_type(server: Server) -> None:
    """Issue 14: no guessing several values in one call, no oracle on which fields a record holds."""
    holder = server.holders[1]

    async def go() -> tuple[noproof.RpcError, noproof.RpcError, noproof.RpcError]:
        async with server.connect() as client:
            with pytest.raises(noproof.InvalidArgument) as repeated:
                await client.check_licence(holder.holder_id, holder.type_code,
                                           [LicenceField(key="holder_name", value=f"张{i}") for i in range(1000)],
                                           item_code=ITEM, case_reference="CASE-CHECK-1")
            with pytest.raises(noproof.InvalidArgument) as twice:
                await client.check_licence(holder.holder_id, holder.type_code,
                                           [LicenceField(key="holder_name", value="x"), LicenceField(key="holder_name", value=holder.name)],
                                           item_code=ITEM, case_reference="CASE-CHECK-1")
            with pytest.raises(noproof.InvalidArgument) as unknown:
                await client.check_licence(holder.holder_id, holder.type_code, {"no_such_field": "x"},
                                           item_code=ITEM, case_reference="CASE-CHECK-1")
            check = await client.check_licence(holder.holder_id, holder.type_code, {"holder_name": holder.name},
                                               item_code=ITEM, case_reference="CASE-CHECK-1")
            assert [f.result for f in check.fields] == [FieldCheck.MATCH]
            return repeated.value, twice.value, unknown.value

    repeated, twice, unknown = run(go())
    assert repeated.message.startswith("declared"), repeated.message
    assert twice.message.startswith("declared[1].key"), twice.message
    assert unknown.message.startswith("declared[0].key"), unknown.message
    cli = server.cli("check", "--holder", holder.holder_id, "--type", holder.type_code, "--field", "holder_name=a",
                     "--field", "holder_name=b", "--item", ITEM, "--case", "CASE-CHECK-1")
    assert cli.returncode != 0 and "twice" in cli.stderr


def test_issue_amend_and_import(server: Server) -> None:
    """Licence writes by the task force office; the water company reads the licence for its item."""
    holder = server.holders[-3]

    async def go() -> None:
        async with server.connect() as water, server.connect(credential=TASKFORCE) as taskforce:
            proof = await water.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-AMEND")
            licence = ProofBody.FromString(proof.body).licence
            with pytest.raises(noproof.AlreadyExists):
                await taskforce.issue_licence(licence)
            amended = await taskforce.amend_licence(licence.licence_id, "address corrected by test",
                                                    fields={"address": "测试地址 1号"}, staff="agent-0002")
            assert amended.version == licence.version + 1
            assert {f.key: f.value for f in amended.fields}["address"] == "测试地址 1号"
            current = await water.get_licence(licence.licence_id, ITEM, "CASE-AMEND", holder_id=holder.holder_id)
            # Issue 16: the water company reads the fields its item names (none of an ID card's).
            expected = Licence()
            expected.CopyFrom(amended)
            del expected.fields[:]
            assert current == expected
            imported = await taskforce.import_licences([amended])
            assert (imported.inserted, imported.updated, imported.unchanged, list(imported.rejected)) == (0, 0, 1, [])

    run(go())


def test_suspend_reinstate(server: Server) -> None:
    holder = server.holders[-2]

    async def go() -> None:
        async with server.connect() as client, server.connect(credential=TASKFORCE) as taskforce:
            proof = await client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-SUSPEND")
            licence_id = ProofBody.FromString(proof.body).licence.licence_id
            assert (await taskforce.suspend_licence(licence_id, "interop test: suspend")).status == "suspended"
            with pytest.raises(noproof.FailedPrecondition):
                await client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-SUSPENDED")
            assert (await taskforce.reinstate_licence(licence_id, "interop test: reinstate")).status == "valid"
            again = await client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-REINSTATED")
            assert noproof.verify_proof(again, await client.get_seal_keys()).licence.status == "valid"

    run(go())


def test_revoked_licence_lookup_fails_like_the_cli(server: Server) -> None:
    holder = server.holders[-1]

    async def go() -> noproof.RpcError:
        async with server.connect() as client, server.connect(credential=TASKFORCE) as taskforce:
            proof = await client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-REVOKE")
            licence_id = ProofBody.FromString(proof.body).licence.licence_id
            revoked = await taskforce.revoke_licence(licence_id, "interop test: obtained by fraud", staff="agent-0002")
            assert revoked.status == "revoked"
            with pytest.raises(noproof.FailedPrecondition) as caught:
                await client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-REVOKED")
            return caught.value

    error = run(go())
    assert (error.code, error.code_name) == (9, "FAILED_PRECONDITION")
    cli = server.cli("lookup", "--holder", holder.holder_id, "--type", holder.type_code, "--item", ITEM, "--case", "CASE-REVOKED")
    assert cli.returncode == 9
    assert cli_error_line(cli.stderr) == f"error: {error}"


# ---------------------------------------------------------------- error codes, as the Swift CLI sees them


def test_unauthenticated_call_matches_cli(server: Server) -> None:
    async def go() -> noproof.RpcError:
        async with server.connect(credential=None) as client:
            with pytest.raises(noproof.Unauthenticated) as caught:
                await client.list_methods()
            return caught.value

    error = run(go())
    assert (error.code, error.code_name) == (16, "UNAUTHENTICATED")
    cli = server.cli("methods", credential=None)
    assert cli.returncode == 16
    assert cli_error_line(cli.stderr) == f"error: {error}"


def test_wrong_secret_matches_cli(server: Server) -> None:
    async def go() -> noproof.RpcError:
        with pytest.raises(noproof.Unauthenticated) as caught:
            await server.connect(credential=("demo-taskforce", "wrong-secret"))
        return caught.value

    error = run(go())
    cli = server.cli("methods", credential=("demo-taskforce", "wrong-secret"))
    assert cli.returncode == 16
    assert cli_error_line(cli.stderr) == f"error: {error}"


@pytest.mark.parametrize(
    ("holder_id", "type_code", "code", "names"),
    [
        ("bad-check-digit", "JMSFZ", 3, "holder_id"),
        (None, "NOPE", 3, "type_code"),
        (None, "YYZZ", 3, "holder_id"),
    ],
)
def test_invalid_lookups_match_cli(server: Server, holder_id: str | None, type_code: str, code: int, names: str) -> None:
    holder = server.holders[0].holder_id
    if holder_id == "bad-check-digit":
        last = holder[-1]
        holder_id = holder[:-1] + ("0" if last != "0" else "1")
    elif holder_id is None:
        holder_id = holder

    async def go() -> noproof.RpcError:
        async with server.connect() as client:
            with pytest.raises(noproof.RpcError) as caught:
                await client.lookup(holder_id, type_code, ITEM_TRANSFER, "CASE-BAD")
            return caught.value

    error = run(go())
    assert error.code == code and isinstance(error, noproof.InvalidArgument)
    assert error.message.startswith(names), error.message
    cli = server.cli("lookup", "--holder", holder_id, "--type", type_code, "--item", ITEM_TRANSFER, "--case", "CASE-BAD")
    assert cli.returncode == code
    assert cli_error_line(cli.stderr) == f"error: {error}"


def resident_id(first_17: str) -> str:
    """A resident ID with its GB 11643 check digit."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first_17 + "10X98765432"[sum(int(d) * w for d, w in zip(first_17, weights, strict=True)) % 11]


def test_holder_without_licence_is_not_found_like_the_cli(server: Server) -> None:
    holder_id = resident_id("37040219000101123")  # well-formed, born 1900: not in the demo library

    async def go() -> noproof.RpcError:
        async with server.connect() as client:
            with pytest.raises(noproof.NotFound) as caught:
                await client.lookup(holder_id, "JMSFZ", ITEM, "CASE-NONE")
            return caught.value

    error = run(go())
    assert error.code == 5
    cli = server.cli("lookup", "--holder", holder_id, "--type", "JMSFZ", "--item", ITEM, "--case", "CASE-NONE")
    assert cli.returncode == 5
    assert cli_error_line(cli.stderr) == f"error: {error}"


@pytest.mark.parametrize(("item", "case", "field"), [("", "CASE-1", "purpose.item_code"), (ITEM, "", "purpose.case_reference")])
def test_lookup_needs_a_purpose(server: Server, item: str, case: str, field: str) -> None:
    holder = server.holders[0]

    async def go() -> None:
        async with server.connect() as client:
            with pytest.raises(noproof.InvalidArgument) as caught:
                await client.lookup(holder.holder_id, holder.type_code, item, case)
            assert caught.value.message.startswith(field + ":")

    run(go())


def test_bad_licence_id_matches_cli(server: Server) -> None:
    async def go() -> noproof.RpcError:
        async with server.connect() as client:
            with pytest.raises(noproof.InvalidArgument) as caught:
                await client.get_licence("1.2.156.nonsense", ITEM, "CASE-BAD-ID", holder_id=server.holders[0].holder_id)
            return caught.value

    error = run(go())
    assert error.message.startswith("licence_id"), error.message
    cli = server.cli("get", "1.2.156.nonsense", "--holder", server.holders[0].holder_id, "--item", ITEM, "--case", "CASE-BAD-ID")
    assert cli.returncode == 3
    assert cli_error_line(cli.stderr) == f"error: {error}"


def test_unknown_method_is_unimplemented(server: Server) -> None:
    async def go() -> None:
        async with server.connect() as client:
            with pytest.raises(noproof.Unimplemented) as by_path:
                await client.call("/noproof.v1.Licences/NoSuchMethod", HealthCheckRequest(), HealthCheckResponse)
            assert by_path.value.code == 12 and "NoSuchMethod" in by_path.value.message
            with pytest.raises(noproof.Unimplemented) as by_id:
                await client.call(999, HealthCheckRequest(), HealthCheckResponse)
            assert "999" in by_id.value.message
            assert (await client.health()).status == HealthCheckResponse.SERVING

    run(go())


# ---------------------------------------------------------------- multiplexing, deadlines, cancellation


def test_fifty_mixed_calls_on_one_connection(server: Server) -> None:
    holders = server.holders[:4]
    rng = random.Random(9)

    async def go() -> None:
        async with server.connect() as client:
            keys = await client.get_seal_keys()
            expectations = []
            calls: list[Coroutine[Any, Any, Any]] = []
            for i in range(50):
                kind = rng.choice(["lookup", "lookup", "health", "check", "bad-type", "types", "unknown"])
                holder = rng.choice(holders)
                if kind == "lookup":
                    calls.append(client.lookup(holder.holder_id, holder.type_code, ITEM, f"CASE-MIX-{i}"))
                elif kind == "health":
                    calls.append(client.health(rng.choice(["", "noproof.v1.Licences", "noproof.v1.Session"])))
                elif kind == "check":
                    calls.append(client.check_licence(holder.holder_id, holder.type_code, {"holder_name": holder.name},
                                                      item_code=ITEM, case_reference=f"CASE-MIX-{i}"))
                elif kind == "bad-type":
                    calls.append(client.lookup(holder.holder_id, f"NOPE{i}", ITEM, f"CASE-MIX-{i}"))
                elif kind == "types":
                    calls.append(client.list_licence_types())
                else:
                    calls.append(client.call(f"/noproof.v1.Nothing/Call{i}", HealthCheckRequest(), HealthCheckResponse))
                expectations.append((kind, holder, i))
            answers = await asyncio.gather(*calls, return_exceptions=True)
            assert client.open_calls == 0
            for (kind, holder, i), answer in zip(expectations, answers, strict=True):
                if kind == "lookup":
                    assert isinstance(answer, SealedProof), answer
                    body = noproof.verify_proof(answer, keys)
                    assert (body.licence.holder_id, body.purpose.case_reference) == (holder.holder_id, f"CASE-MIX-{i}")
                elif kind == "health":
                    assert isinstance(answer, HealthCheckResponse) and answer.status == HealthCheckResponse.SERVING
                elif kind == "check":
                    assert not isinstance(answer, BaseException), answer
                    assert [(f.key, f.result) for f in answer.fields] == [("holder_name", FieldCheck.MATCH)]
                elif kind == "bad-type":
                    assert isinstance(answer, noproof.InvalidArgument) and f"NOPE{i}" in answer.message
                elif kind == "types":
                    assert isinstance(answer, list) and any(t.code == "JMSFZ" for t in answer)
                else:
                    assert isinstance(answer, noproof.Unimplemented) and f"Call{i}" in answer.message

    run(go())


def test_deadline_exceeded_then_connection_still_works(server: Server) -> None:
    holder = server.holders[0]

    async def go() -> None:
        async with server.connect() as client:
            with pytest.raises(noproof.DeadlineExceeded) as caught:
                await client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-DEADLINE", timeout=1e-6)
            assert caught.value.code == 4
            assert client.open_calls == 0
            assert (await client.health()).status == HealthCheckResponse.SERVING
            proof = await client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-AFTER-DEADLINE", timeout=10)
            assert noproof.verify_proof(proof, await client.get_seal_keys()).purpose.case_reference == "CASE-AFTER-DEADLINE"

    run(go())


def test_cancelled_task_sends_cancel_and_connection_still_works(server: Server) -> None:
    holder = server.holders[0]

    async def go() -> None:
        async with server.connect() as client:
            task = asyncio.create_task(client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-CANCEL"))
            await asyncio.sleep(0)  # the CALL is sent
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert client.open_calls == 0
            assert (await client.health()).status == HealthCheckResponse.SERVING

    run(go())


def test_closed_client_refuses_new_calls(server: Server) -> None:
    async def go() -> None:
        client = await server.connect()
        await client.close()
        assert client.is_closed
        with pytest.raises(noproof.Cancelled):
            await client.health()

    run(go())


def test_connect_to_nothing_is_unavailable() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def go() -> None:
        with pytest.raises(noproof.Unavailable) as caught:
            await noproof.Client.connect("127.0.0.1", port, credential=CREDENTIAL, timeout=5)
        assert "cannot connect" in caught.value.message

    run(go())
