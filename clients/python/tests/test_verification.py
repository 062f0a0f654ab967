"""Department verification (部门核验) from Python against the demo server, cross-checked with the
Swift CLI: filing, the issuing unit's queue and its watch stream, take/answer with the
verification seal, return and re-file, idempotent retries and the permission rules."""
from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest

import noproof
from noproof.messages import Licence, LicenceField, VerificationEvent
from conftest import DEMO_SECRET, Server, cli_error_line, run

CIVIL_AFFAIRS = ("demo-civil-affairs", DEMO_SECRET)
UNIVERSITY = ("demo-university/agent-0001", DEMO_SECRET)
"""The university's agent signed in: answering and returning are the person's acts."""
WATER = ("demo-water", DEMO_SECRET)
UNIVERSITY_CODE = "12370000495570452X"
PUBLIC_SECURITY_CODE = "11370400004315203J"
MARRIAGE_ITEM = "MZ-HY-001"  # civil affairs: lists XWZS by department verification from the university
AGENT = "agent-0001"
_cases = itertools.count(1)


def _case() -> str:
    return f"HY-PY-{next(_cases)}"


async def _file(client: noproof.Client, server: Server, case: str, key: str = "") -> noproof.messages.VerificationRecord:
    holder = server.holders[0]
    return await client.file_verification(UNIVERSITY_CODE, "XWZS", holder.holder_id, MARRIAGE_ITEM, case,
                                          holder_name=holder.name, declared={"degree": "学士"}, request_key=key, staff=AGENT)


def test_a_request_is_answered_with_a_verification_sealed_proof(server: Server, tmp_path: Path) -> None:
    async def scenario() -> tuple[str, bytes]:
        async with await server.connect(CIVIL_AFFAIRS) as civil, await server.connect(UNIVERSITY) as university:
            filed = await _file(civil, server, _case())
            assert filed.status == "filed"
            assert filed.answer_by_millis > filed.filed_at_millis
            queue = await university.verification_queue(staff=AGENT)
            assert filed.request_id in {r.request_id for r in queue}
            taken = await university.take_verification(filed.request_id, staff=AGENT)
            assert taken.status == "taken"
            answered = await university.answer_verification(
                filed.request_id, staff=AGENT,
                licence=Licence(holder_name=server.holders[0].name, fields=[LicenceField(key="degree", value="学士")]))
            assert answered.status == "answered"
            seen = await civil.get_verification(filed.request_id, staff=AGENT)
            assert seen.HasField("proof")
            body = noproof.verify_proof(seen.proof, await civil.get_seal_keys())
            assert body.seal_kind == "verification"
            assert body.extracting_unit_code and body.producing_unit_code == UNIVERSITY_CODE
            return filed.request_id, seen.proof.SerializeToString()

    request_id, proof = run(scenario())
    path = tmp_path / "verified.bin"
    path.write_bytes(proof)
    verified = server.cli("verify", str(path), credential=None)
    assert verified.returncode == 0, verified.stderr
    assert "VERIFIED" in verified.stdout
    shown = server.cli("verify-request", "show", request_id, credential=CIVIL_AFFAIRS)
    assert shown.returncode == 0 and "answered" in shown.stdout


def test_the_issuing_units_watch_stream_pushes_new_requests(server: Server) -> None:
    async def scenario() -> VerificationEvent:
        async with await server.connect(CIVIL_AFFAIRS) as civil, await server.connect(UNIVERSITY) as university:
            async with university.watch_verification_queue(staff=AGENT) as events:
                await asyncio.sleep(0.2)  # the watch is registered before the filing
                filed = await _file(civil, server, _case())
                async with asyncio.timeout(10):
                    async for event in events:
                        if event.request.request_id == filed.request_id:
                            return event
        raise AssertionError("the stream ended without the new request")

    event = run(scenario())
    assert event.request.status == "filed"


def test_a_retry_with_the_same_key_files_nothing_twice(server: Server) -> None:
    async def scenario() -> tuple[str, str]:
        async with await server.connect(CIVIL_AFFAIRS) as civil:
            case = _case()
            first = await _file(civil, server, case, key=f"key-{case}")
            again = await _file(civil, server, case, key=f"key-{case}")
            return first.request_id, again.request_id

    first, again = run(scenario())
    assert first == again


def test_a_returned_request_is_refiled_only_to_the_unit_the_list_names(server: Server) -> None:
    """Issue 14: a return's suggestion does not widen the published list. Civil affairs' MZ-HY-001 names the
    university as XWZS's verifier, so re-filing to the suggested public security bureau is PERMISSION_DENIED
    (naming the listed unit), and re-filing to the university itself is allowed."""
    async def scenario() -> tuple[str, str, str]:
        async with await server.connect(CIVIL_AFFAIRS) as civil, await server.connect(UNIVERSITY) as university:
            filed = await _file(civil, server, _case())
            await university.take_verification(filed.request_id, staff=AGENT)
            returned = await university.return_verification(filed.request_id, "not our graduate", PUBLIC_SECURITY_CODE,
                                                             staff=AGENT)
            assert returned.status == "returned"
            with pytest.raises(noproof.PermissionDenied) as denied:
                await civil.refile_verification(filed.request_id, staff=AGENT)
            refiled = await civil.refile_verification(filed.request_id, UNIVERSITY_CODE, staff=AGENT)
            return str(denied.value.message), refiled.issuing_unit_code, refiled.refiled_from

    message, issuing, source = run(scenario())
    assert UNIVERSITY_CODE in message and "list" in message, message
    assert issuing == UNIVERSITY_CODE
    assert source


def test_permission_rules_match_the_swift_cli(server: Server) -> None:
    async def scenario() -> tuple[str, str]:
        async with await server.connect(CIVIL_AFFAIRS) as civil, await server.connect(WATER) as water:
            filed = await _file(civil, server, _case())
            with pytest.raises(noproof.PermissionDenied) as outsider:
                await water.get_verification(filed.request_id, staff=AGENT)
            with pytest.raises(noproof.PermissionDenied) as requester:
                await civil.take_verification(filed.request_id, staff=AGENT)
            return filed.request_id, str(outsider.value)

    request_id, message = run(scenario())
    assert "PERMISSION_DENIED" in message or message
    cli = server.cli("verify-request", "show", request_id, credential=WATER)
    assert cli.returncode == 7
    assert cli_error_line(cli.stderr).startswith("error: PERMISSION_DENIED")
    # An item that does not list this proof by department verification from that unit.
    wrong = server.cli("verify-request", "file", "--to", UNIVERSITY_CODE, "--proof", "XWZS", "--holder",
                       server.holders[0].holder_id, "--item", "SW-KH-001", "--case", _case(), "--staff", AGENT,
                       credential=WATER)
    assert wrong.returncode == 7, wrong.stderr
