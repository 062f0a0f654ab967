"""Supervision from Python against the demo server, cross-checked with the Swift CLI: "who looked at
my data" for the citizen portal only, and the task force office's per-unit report."""
from __future__ import annotations

import datetime
import json

import pytest
from conftest import DEMO_SECRET, ITEM, TASKFORCE, WATER, Server, cli_error_line, run

import noproof

PORTAL = ("demo-citizen-portal", DEMO_SECRET)
WATER_CODE = "91370400MA3C7WX81E"


def _today() -> str:
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date().isoformat()


def test_who_looked_lists_the_lookup_for_the_portal_only(server: Server) -> None:
    holder = server.holders[5]

    async def scenario() -> tuple[noproof.messages.WhoLookedResponse, noproof.RpcError]:
        async with server.connect(credential=WATER) as water:
            await water.lookup(holder.holder_id, holder.type_code, item_code=ITEM, case_reference="CASE-WHO-1")
            with pytest.raises(noproof.RpcError) as refused:
                await water.who_looked(holder.holder_id)
        async with server.connect(credential=PORTAL) as portal:
            return await portal.who_looked(holder.holder_id), refused.value

    page, refused = run(scenario())
    assert refused.code == 7
    mine = [e for e in page.entries if e.action == "Lookup" and e.unit_code == WATER_CODE and e.result == "found"]
    assert mine and mine[0].item_code == ITEM and mine[0].type_code == holder.type_code and mine[0].unit_name
    cli = server.cli("who-looked", "--holder", holder.holder_id, "--json", credential=PORTAL)
    assert cli.returncode == 0, cli.stderr
    entries = json.loads(cli.stdout)["entries"]
    assert [e["auditSequence"] for e in entries][: len(page.entries)] == [e.audit_sequence for e in page.entries]
    denied = server.cli("who-looked", "--holder", holder.holder_id, credential=WATER)
    assert denied.returncode == 7 and "citizen-portal" in cli_error_line(denied.stderr)


def test_the_report_counts_lookups_and_a_unit_sees_only_its_own(server: Server) -> None:
    holder = server.holders[5]
    today = _today()

    async def scenario() -> tuple[int, int, noproof.RpcError]:
        async with server.connect(credential=TASKFORCE) as taskforce, server.connect(credential=WATER) as water:
            before = await taskforce.supervision_report(today, today, unit_code=WATER_CODE)
            await water.lookup(holder.holder_id, holder.type_code, item_code=ITEM, case_reference="CASE-REPORT-1")
            after = await water.supervision_report(today, today, unit_code=WATER_CODE)
            with pytest.raises(noproof.RpcError) as refused:
                await water.supervision_report(today, today)

            def lookups(report: noproof.messages.SupervisionReportResponse) -> int:
                return next(f.value for f in report.units[0].figures if f.key == "lookups")

            return lookups(before), lookups(after), refused.value

    before, after, refused = run(scenario())
    assert after == before + 1
    assert refused.code == 7
    cli = server.cli("report", "--from", today, "--to", today, "--csv", "-", credential=TASKFORCE)
    assert cli.returncode == 0, cli.stderr
    rows = cli.stdout.strip().splitlines()
    assert rows[0].startswith("unit_code,unit_name,from,to,lookups,") and len(rows) == 9


def test_show_item_and_an_art17_exemption(server: Server) -> None:
    today = _today()
    supervisor = ("demo-taskforce/supervisor-0001", DEMO_SECRET)

    async def scenario() -> tuple[noproof.messages.ShowItemResponse, noproof.RpcError, noproof.messages.ExemptFlagResponse,
                                  noproof.messages.ListExemptionsResponse]:
        async with server.connect(credential=WATER) as water:
            item = await water.show_item(ITEM)
        async with server.connect(credential=TASKFORCE) as system:
            with pytest.raises(noproof.RpcError) as refused:
                await system.exempt_flag(WATER_CODE, "denied_calls", today, today, "lawful_decision", "system credential")
        async with server.connect(credential=supervisor) as staff:
            recorded = await staff.exempt_flag(WATER_CODE, "denied_calls", today, today, "lawful_decision",
                                               "interop test: decided by the task force office")
            listed = await staff.list_exemptions(today, today, unit_code=WATER_CODE)
        return item, refused.value, recorded, listed

    item, refused, recorded, listed = run(scenario())
    assert item.unit_code == WATER_CODE and item.item_code == ITEM and item.list_version >= 1
    wyzm = next(p for p in item.proofs if p.proof == "WYZM")
    assert wyzm.method == "cancelled" and not wyzm.applicant_brings and "do not ask" in wyzm.what_to_do
    assert refused.code == 7 and "staff credential" in refused.message
    assert recorded.exemption.granted_by == "supervisor-0001" and recorded.exemption.exemption_id.startswith("EX-")
    assert recorded.exemption.exemption_id in [e.exemption_id for e in listed.exemptions]
    cli = server.cli("item", "show", ITEM, "--json", credential=WATER)
    assert cli.returncode == 0, cli.stderr
    assert [p["proof"] for p in json.loads(cli.stdout)["proofs"]] == [p.proof for p in item.proofs]
