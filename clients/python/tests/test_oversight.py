"""Commitments, the voluntary-proof ledger, mismatch cases and complaints from Python against the
demo server, cross-checked with the Swift CLI: the list rules, the state machines' refusals, who
may read what, and the figures."""
from __future__ import annotations

import itertools
import json

import pytest

import noproof
from conftest import DEMO_SECRET, Server, cli_error_line, run

CIVIL_AFFAIRS = ("demo-civil-affairs", DEMO_SECRET)
UNIVERSITY = ("demo-university", DEMO_SECRET)
WATER = ("demo-water", DEMO_SECRET)
TASK_FORCE = ("demo-taskforce", DEMO_SECRET)
CIVIL_CODE = "11370400004315119G"
UNIVERSITY_CODE = "12370000495570452X"
WATER_CODE = "91370400MA3C7WX81E"
AGENT = "agent-0001"
_cases = itertools.count(1)


def _case(prefix: str) -> str:
    return f"{prefix}-PY-{next(_cases)}"


def test_a_commitment_is_recorded_only_for_a_commitment_proof_and_a_false_one_is_flagged(server: Server) -> None:
    holder = server.holders[0].holder_id
    case = _case("DB")

    async def scenario() -> str:
        async with await server.connect(CIVIL_AFFAIRS) as civil, await server.connect(WATER) as water, \
                await server.connect(TASK_FORCE) as taskforce:
            with pytest.raises(noproof.PermissionDenied, match="data sharing"):
                await civil.record_commitment(holder, "MZ-DB-001", case, "HKB", "承诺", "app", staff=AGENT)
            recorded = await civil.record_commitment(holder, "MZ-DB-001", case, "SRZM", "本人承诺家庭收入属实", "online", staff=AGENT)
            assert recorded.risk_level == "high"
            assert recorded.check_due_at_millis - recorded.recorded_at_millis == 7 * 86_400_000
            with pytest.raises(noproof.PermissionDenied):
                await water.get_commitment(recorded.commitment_id)
            with pytest.raises(noproof.InvalidArgument, match="evidence"):
                await civil.check_commitment(recorded.commitment_id, "found_false", staff=AGENT)
            checked = await civil.check_commitment(recorded.commitment_id, "found_false", "收入与社保记录不符", staff=AGENT)
            assert checked.check_outcome == "found_false"
            with pytest.raises(noproof.FailedPrecondition):
                await civil.check_commitment(recorded.commitment_id, "confirmed", staff=AGENT)
            flagged = await taskforce.list_commitments(filter="found_false")
            assert recorded.commitment_id in {c.commitment_id for c in flagged}
            return recorded.commitment_id

    commitment_id = run(scenario())
    shown = server.cli("commitment", "show", commitment_id, "--json", credential=TASK_FORCE)
    assert shown.returncode == 0, shown.stderr
    assert "FOUND FALSE" in json.loads(shown.stdout)["check"]
    refused = server.cli("commitment", "show", commitment_id, credential=WATER)
    assert refused.returncode == 7 and cli_error_line(refused.stderr).startswith("error: PERMISSION_DENIED")


def test_the_ledger_records_what_the_list_says_and_the_csv_export_agrees(server: Server) -> None:
    holder = server.holders[0].holder_id
    case = _case("HY")

    async def scenario() -> noproof.messages.LedgerEntryRecord:
        async with await server.connect(CIVIL_AFFAIRS) as civil, await server.connect(WATER) as water:
            entry = await civil.add_ledger_entry(holder, "MZ-HY-001", case, "HKB", proof_name="户口簿复印件", staff=AGENT)
            assert entry.volunteered and entry.listed_method == "data_sharing" and entry.not_to_be_asked_for
            assert case not in {e.case_reference for e in await water.list_ledger()}
            with pytest.raises(noproof.PermissionDenied):
                await water.list_ledger(unit_code=CIVIL_CODE)
            return entry

    entry = run(scenario())
    exported = server.cli("ledger", "export", "--csv", "--unit", CIVIL_CODE, credential=TASK_FORCE)
    assert exported.returncode == 0, exported.stderr
    row = next(line for line in exported.stdout.splitlines() if line.startswith(entry.entry_id + ","))
    assert ",data_sharing,true," in row


def test_a_mismatch_goes_through_supplement_reverification_and_appeal(server: Server) -> None:
    holder = server.holders[0].holder_id
    case = _case("HY")

    async def scenario() -> str:
        async with await server.connect(CIVIL_AFFAIRS) as civil, await server.connect(UNIVERSITY) as university:
            opened = await civil.open_mismatch(UNIVERSITY_CODE, holder, "MZ-HY-001", case, "XWZS", {"degree": ("硕士", "学士")},
                                               proof_serial="P-PY-1", staff=AGENT)
            assert opened.status == "open"
            await civil.request_supplement(opened.mismatch_id, "学位证书", staff=AGENT)
            with pytest.raises(noproof.FailedPrecondition, match="supplementary"):
                await university.reverify_mismatch(opened.mismatch_id, "record_stands", "无误", staff=AGENT)
            await civil.record_supplement(opened.mismatch_id, "证书复印件", staff=AGENT)
            with pytest.raises(noproof.PermissionDenied, match="issuing unit"):
                await civil.reverify_mismatch(opened.mismatch_id, "record_stands", "无误", staff=AGENT)
            # A correction amends the licence library: only staff signed in with their own credential.
            with pytest.raises(noproof.PermissionDenied, match="own staff credential"):
                await university.reverify_mismatch(opened.mismatch_id, "record_corrected", "已更正",
                                                   corrected={"degree": "硕士"}, staff=AGENT)
            resolved = await university.reverify_mismatch(opened.mismatch_id, "record_stands", "经核查学籍档案，记录无误", staff=AGENT)
            assert resolved.status == "resolved" and resolved.finding == "record_stands"
            await civil.appeal_mismatch(opened.mismatch_id, reference="复议-PY", staff=AGENT)
            decided = await civil.appeal_mismatch(opened.mismatch_id, outcome="withdrawn", staff=AGENT)
            assert decided.status == "appeal_decided"
            return opened.mismatch_id

    mismatch_id = run(scenario())
    shown = server.cli("mismatch", "show", mismatch_id, credential=UNIVERSITY)
    assert shown.returncode == 0 and "appeal_decided" in shown.stdout and "record_stands" in shown.stdout


def test_a_complaint_is_registered_routed_answered_closed_and_counted(server: Server) -> None:
    reference = _case("12345")

    async def scenario() -> None:
        async with await server.connect(TASK_FORCE) as taskforce, await server.connect(WATER) as water, \
                await server.connect(CIVIL_AFFAIRS) as civil:
            before = await taskforce.oversight_counts(unit_code=WATER_CODE)
            with pytest.raises(noproof.PermissionDenied):
                await water.file_complaint("hotline_12345", reference, WATER_CODE, "seal_misuse", "x", staff=AGENT)
            filed = await taskforce.file_complaint("hotline_12345", reference, WATER_CODE, "seal_misuse", "电子证明被用于其他用途",
                                                   staff=AGENT)
            with pytest.raises(noproof.FailedPrecondition):
                await taskforce.close_complaint(filed.complaint_id, substantiated=False, staff=AGENT)
            await taskforce.route_complaint(filed.complaint_id, staff=AGENT)
            with pytest.raises(noproof.PermissionDenied):
                await civil.answer_complaint(filed.complaint_id, "不是我们", staff=AGENT)
            await water.answer_complaint(filed.complaint_id, "已核查并整改", staff=AGENT)
            closed = await taskforce.close_complaint(filed.complaint_id, substantiated=True, staff=AGENT)
            assert closed.status == "closed" and closed.substantiated
            after = await taskforce.oversight_counts(unit_code=WATER_CODE)
            count = {c.breach_type: c.count for c in after.complaints}
            assert count["seal_misuse"] == {c.breach_type: c.count for c in before.complaints}.get("seal_misuse", 0) + 1
            with pytest.raises(noproof.PermissionDenied):
                await civil.oversight_counts(unit_code=WATER_CODE)

    run(scenario())
