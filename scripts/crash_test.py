#!/usr/bin/env python3
"""Crash safety, proven: kill -9 a loaded noproofd again and again, and check that nothing it
acknowledged was lost.

Each round starts ``noproofd --demo`` on the same data folder, drives it with mixed load from
the Python client (lookups that answer with sealed proofs, lookups refused by the item lists,
licence suspensions and reinstatements by the task force office, department verification
requests filed by the civil affairs bureau and taken and answered by the university, and saves
of the water company's item-list draft), kills it with SIGKILL at a random moment, and then,
with the server down, checks the data folder:

* every proof whose answer reached the client has its audit record (by proof serial);
* every refused lookup that was answered has its audit record (by case reference);
* every acknowledged status change is in the licence library (or the one still in flight when
  the server died, which may or may not have committed);
* every acknowledged verification request is stored, and every acknowledged answer left it
  ``answered``;
* the item-list draft holds the last acknowledged save (or the one in flight);
* ``PRAGMA integrity_check`` is ``ok`` for every SQLite file;
* with the CLI given, the audit trail's hash chain verifies (``noproof audit verify --data-dir``).

Usage: crash_test.py NOPROOFD_BINARY [NOPROOF_CLI] [--rounds 10] [--seed N]. Prints the counts it checked;
exits 1 on any loss or corruption.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import noproof
from noproof._pb.units_pb2 import (
    CreateDraftRequest, DeclaredChange, GetItemListRequest, GetItemListResponse, ItemListResponse, SaveDraftRequest,
)
from noproof.messages import Licence, LicenceField, ProofBody

WATER = ("demo-water", "demo-secret")
TASKFORCE = ("demo-taskforce", "demo-secret")
CIVIL_AFFAIRS = ("demo-civil-affairs", "demo-secret")
UNIVERSITY = ("demo-university/agent-0001", "demo-secret")  # the agent signed in: answering is the person's act
UNIVERSITY_CODE = "12370000495570452X"
WATER_CODE = "91370400MA3C7WX81E"
MARRIAGE_ITEM = "MZ-HY-001"  # civil affairs: the degree certificate (XWZS) by verification from the university
AGENT = "agent-0001"
ITEM = "SW-KH-001"


@dataclass
class Ledger:
    """What the clients saw acknowledged, across all rounds."""

    proof_serials: set[str] = field(default_factory=set)
    refused_cases: set[str] = field(default_factory=set)
    # licence id -> (last acknowledged status, status of a change in flight or None)
    statuses: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # verification requests acknowledged as filed, and those acknowledged as answered
    filed: set[str] = field(default_factory=set)
    answered: set[str] = field(default_factory=set)
    # the item-list draft: (version, last acknowledged save marker, markers of saves sent since,
    # whose answers were lost in a kill: any one of them may be what is stored)
    draft: tuple[int, str | None, list[str]] | None = None
    list_saves: int = 0
    calls: int = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(binary: str, data: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [binary, "--demo", "--demo-licences", "2000", "--no-rate-limits", "--port", str(port), "--data-dir", str(data)],
        stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )


async def wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"crash-test: noproofd exited with {process.returncode} while starting")
        try:
            async with await noproof.Client.connect("127.0.0.1", port, timeout=2) as client:
                await client.health()
                return
        except (OSError, noproof.RpcError):
            await asyncio.sleep(0.1)
    raise SystemExit("crash-test: noproofd did not become healthy within 60 s")


async def lookups(port: int, holders: list[tuple[str, str]], ledger: Ledger, round_number: int, worker: int) -> None:
    """Allowed lookups (proof serials) and refused ones (case references), back to back."""
    rng = random.Random(round_number * 1000 + worker)
    async with await noproof.Client.connect("127.0.0.1", port, credential=WATER, staff=AGENT) as client:
        n = 0
        while True:
            n += 1
            holder, type_code = rng.choice(holders)
            case = f"CRASH-{round_number}-{worker}-{n}"
            if rng.random() < 0.2:
                try:
                    await client.lookup(holder, type_code, "NOT-A-LISTED-ITEM", case)
                except noproof.PermissionDenied:
                    ledger.refused_cases.add(case)
                ledger.calls += 1
                continue
            try:
                proof = await client.lookup(holder, type_code, ITEM, case)
            except noproof.FailedPrecondition:
                ledger.calls += 1  # suspended by the other worker: audited too, not tracked
                continue
            ledger.proof_serials.add(ProofBody.FromString(proof.body).proof_serial)
            ledger.calls += 1


async def status_changes(port: int, licences: list[str], ledger: Ledger) -> None:
    """Suspends and reinstates licences in turn, recording what was acknowledged."""
    async with await noproof.Client.connect("127.0.0.1", port, credential=TASKFORCE, staff=AGENT) as client:
        i = 0
        while True:
            licence_id = licences[i % len(licences)]
            i += 1
            acknowledged, _ = ledger.statuses.get(licence_id, ("valid", None))
            target = "suspended" if acknowledged == "valid" else "valid"
            ledger.statuses[licence_id] = (acknowledged, target)
            if target == "suspended":
                result = await client.suspend_licence(licence_id, "crash test")
            else:
                result = await client.reinstate_licence(licence_id, "crash test")
            ledger.statuses[licence_id] = (result.status, None)
            ledger.calls += 1


async def verifications(port: int, holder: tuple[str, str], ledger: Ledger, round_number: int) -> None:
    """The civil affairs bureau files requests; the university takes and answers them."""
    holder_id, holder_name = holder
    async with await noproof.Client.connect("127.0.0.1", port, credential=CIVIL_AFFAIRS, staff=AGENT) as civil, \
            await noproof.Client.connect("127.0.0.1", port, credential=UNIVERSITY) as university:
        n = 0
        while True:
            n += 1
            filed = await civil.file_verification(UNIVERSITY_CODE, "XWZS", holder_id, MARRIAGE_ITEM, f"CRASH-VR-{round_number}-{n}",
                                                  holder_name=holder_name, declared={"degree": "学士"}, staff=AGENT)
            ledger.filed.add(filed.request_id)
            ledger.calls += 1
            if n % 3 == 0:
                continue  # some stay filed
            await university.take_verification(filed.request_id, staff=AGENT)
            ledger.calls += 1
            answer = Licence(holder_name=holder_name, fields=[LicenceField(key="degree", value="学士")])
            await university.answer_verification(filed.request_id, licence=answer, staff=AGENT)
            ledger.answered.add(filed.request_id)
            ledger.calls += 1


async def list_changes(port: int, ledger: Ledger, round_number: int) -> None:
    """Saves the water company's item-list draft again and again, each save marked."""
    async with await noproof.Client.connect("127.0.0.1", port, credential=WATER, staff=AGENT) as client:
        staff = {"staff": AGENT}
        lists = await client.call("/noproof.v1.Units/GetItemList", GetItemListRequest(unit_code=WATER_CODE), GetItemListResponse,
                                  metadata=staff)
        published = lists.in_force
        if ledger.draft is None:
            # A draft created in a round whose answer was lost to the kill is reused.
            drafts = [v.version for v in lists.versions if v.status == "draft"]
            if drafts:
                ledger.draft = (drafts[-1], None, [])
        if ledger.draft is None:
            created = await client.call("/noproof.v1.Units/CreateDraft", CreateDraftRequest(unit_code=WATER_CODE), ItemListResponse,
                                        metadata=staff)
            ledger.draft = (created.list.version, None, [])
        n = 0
        while True:
            n += 1
            version, acknowledged, unacknowledged = ledger.draft
            marker = f"crash-test save {round_number}-{n}"
            ledger.draft = (version, acknowledged, unacknowledged + [marker])
            change = DeclaredChange(kind="change", item=ITEM, cause=marker, cause_date=time.strftime("%Y-%m-%d"))
            await client.call("/noproof.v1.Units/SaveDraft",
                              SaveDraftRequest(unit_code=WATER_CODE, version=version, items=published.items, changes=[change]),
                              ItemListResponse, metadata=staff)
            ledger.draft = (version, marker, [])
            ledger.list_saves += 1
            ledger.calls += 1


def check(data: Path, ledger: Ledger, cli: str | None = None) -> list[str]:
    """Problems found in the data folder (empty when every acknowledged write survived and, with the
    CLI given, the audit chain verifies)."""
    problems: list[str] = []
    if cli is not None:
        verify = subprocess.run([cli, "audit", "verify", "--data-dir", str(data)], capture_output=True, text=True, timeout=300)
        if verify.returncode != 0:
            problems.append(f"the audit chain does not verify (exit {verify.returncode}): "
                            f"{(verify.stdout + verify.stderr).strip()}")
    for name in ("licences.sqlite", "audit.sqlite", "units.sqlite", "verification.sqlite"):
        path = data / name
        if not path.exists():
            continue
        with sqlite3.connect(path) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                problems.append(f"{name}: integrity_check says {result}")
    with sqlite3.connect(data / "audit.sqlite") as db:
        serials = {row[0] for row in db.execute("SELECT proof_serial FROM audit WHERE proof_serial != ''")}
        cases = {row[0] for row in db.execute("SELECT case_reference FROM audit WHERE result = 'denied'")}
    lost = ledger.proof_serials - serials
    if lost:
        problems.append(f"{len(lost)} acknowledged proofs have no audit record, e.g. {sorted(lost)[:3]}")
    lost_cases = ledger.refused_cases - cases
    if lost_cases:
        problems.append(f"{len(lost_cases)} answered refusals have no audit record, e.g. {sorted(lost_cases)[:3]}")
    with sqlite3.connect(data / "licences.sqlite") as db:
        for licence_id, (acknowledged, pending) in ledger.statuses.items():
            row = db.execute("SELECT status FROM licence WHERE id = ?", (licence_id,)).fetchone()
            stored = row[0] if row else None
            if stored != acknowledged and stored != pending:
                problems.append(f"licence {licence_id}: acknowledged {acknowledged}, stored {stored}")
    with sqlite3.connect(data / "verification.sqlite") as db:
        stored_requests = dict(db.execute("SELECT id, status FROM verification_request").fetchall())
    missing = ledger.filed - stored_requests.keys()
    if missing:
        problems.append(f"{len(missing)} acknowledged verification requests are not stored, e.g. {sorted(missing)[:3]}")
    unanswered = {r for r in ledger.answered if stored_requests.get(r) != "answered"}
    if unanswered:
        problems.append(f"{len(unanswered)} acknowledged verification answers are not stored, e.g. {sorted(unanswered)[:3]}")
    if ledger.draft is not None:
        version, acknowledged, unacknowledged = ledger.draft
        with sqlite3.connect(data / "units.sqlite") as db:
            row = db.execute("SELECT document FROM item_list_version WHERE unit_code = ? AND version = ?",
                             (WATER_CODE, version)).fetchone()
        if row is None:
            problems.append(f"the acknowledged item-list draft version {version} is not stored")
        elif acknowledged is not None and not any(f'"{m}"' in row[0] for m in [acknowledged, *unacknowledged]):
            problems.append(f"item-list draft {version}: the acknowledged save '{acknowledged}' is not stored")
    return problems


async def run_round(binary: str, data: Path, log: Path, ledger: Ledger, round_number: int, rng: random.Random,
                    holders: list[tuple[str, str]] | None) -> list[tuple[str, str]]:
    port = free_port()
    process = start_server(binary, data, port, log)
    try:
        await wait_ready(port, process)
        if holders is None:
            rows = (data / "demo-holders.txt").read_text(encoding="utf-8").split("\n")
            holders = [(r.split(" ")[0], r.split(" ")[1]) for r in rows if r.strip() and r.split(" ")[1] == "JMSFZ"]
            first = rows[0].split(" ")
            holders.insert(0, (first[0], " ".join(first[2:])))  # the verification requests' holder (id, name)
        # The first holders' licences are suspended and reinstated; the others are looked up.
        verified, changing, looked_up = holders[0], holders[1:4], holders[4:]
        if not ledger.statuses:
            async with await noproof.Client.connect("127.0.0.1", port, credential=WATER, staff=AGENT) as client:
                for holder, type_code in changing:
                    proof = await client.lookup(holder, type_code, ITEM, f"CRASH-SETUP-{holder}")
                    body = ProofBody.FromString(proof.body)
                    ledger.proof_serials.add(body.proof_serial)
                    ledger.statuses[body.licence.licence_id] = ("valid", None)
        tasks = [asyncio.create_task(lookups(port, looked_up, ledger, round_number, w)) for w in range(4)]
        tasks.append(asyncio.create_task(status_changes(port, sorted(ledger.statuses), ledger)))
        tasks.append(asyncio.create_task(verifications(port, verified, ledger, round_number)))
        tasks.append(asyncio.create_task(list_changes(port, ledger, round_number)))
        await asyncio.sleep(rng.uniform(0.3, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return holders


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("noproofd")
    parser.add_argument("noproof", nargs="?", default=None, help="the noproof CLI: also verify the audit hash chain")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    with tempfile.TemporaryDirectory(prefix="noproof-crash-") as scratch:
        data = Path(scratch) / "data"
        log = Path(scratch) / "noproofd.log"
        ledger = Ledger()
        holders = None
        for round_number in range(1, arguments.rounds + 1):
            holders = await run_round(arguments.noproofd, data, log, ledger, round_number, rng, holders)
            problems = check(data, ledger, arguments.noproof)
            print(f"round {round_number:2d}: killed after {ledger.calls} acknowledged calls so far; "
                  f"{len(ledger.proof_serials)} proofs, {len(ledger.refused_cases)} refusals, "
                  f"{len(ledger.statuses)} licences, {len(ledger.filed)} verification requests ({len(ledger.answered)} answered), "
                  f"{ledger.list_saves} list saves checked: {'OK' if not problems else 'LOST'}", flush=True)
            if problems:
                for problem in problems:
                    print(f"  {problem}", file=sys.stderr)
                print(f"crash-test: FAILED (seed {arguments.seed}); server log:\n" + log.read_text(errors="replace")[-4000:],
                      file=sys.stderr)
                return 1
        print(f"crash-test: {arguments.rounds} kill -9 rounds, {ledger.calls} acknowledged calls: "
              f"{len(ledger.proof_serials)} proofs and {len(ledger.refused_cases)} refusals all audited, "
              f"{len(ledger.statuses)} licences' statuses as acknowledged, {len(ledger.filed)} verification requests filed and "
              f"{len(ledger.answered)} answered all stored, {ledger.list_saves} item-list saves (the last one stored), integrity_check ok"
              f"{', the audit chain verifies' if arguments.noproof else ''} (seed {arguments.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
