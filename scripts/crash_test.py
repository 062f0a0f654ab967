#!/usr/bin/env python3
"""Crash safety under simulated power cuts: kill -9 a loaded noproofd running under the power-cut
shim (Tests/PowerCut/powercut.so), throw away every write it had not fsynced
(scripts/powercut_restore.py), restart it, and check through its own RPCs that nothing it
acknowledged was lost.

Each round starts noproofd on the same data folder under the shim. noproofd itself recovers the
folder (its SQLite files are never opened from Python, so SQLite's hot-WAL recovery inside
noproofd is what is tested), and the checker reads back, over the socket, everything acknowledged
in earlier rounds. Then concurrent workers drive it until a SIGKILL at a random moment:

* lookups by the water company, answered with sealed proofs or refused by its item list: every
  acknowledged one is in the holder's "who looked" trail (Supervision/WhoLooked, read by the
  citizen portal), counted per holder and result; every acknowledged proof still verifies
  against the seal keys the restarted server publishes (GetSealKeys);
* licence writes by the task force office: suspend/reinstate, IssueLicence, AmendLicence and
  ImportLicences (the batch is all-or-nothing), read back with GetLicence (by the bank, whose
  account opening names the ID card's fields compared: READ_FIELDS) and compared field by field;
* department verification: requests filed by the civil affairs bureau, taken and answered by the
  university (Verification/Get);
* the water company's item list through its life cycle: CreateDraft, SaveDraft (each save
  marked), SubmitList, ApproveList (the task force supervisor), PublishList (Units/GetItemList);
* credentials issued and revoked by the task force supervisor (Units/ListCredentials; issued ones
  must still authenticate);
* complaints registered by the task force office (Oversight/ListComplaints, compared).

An operation whose answer was lost (in flight at the kill) is "unknown": it may or may not have
happened, so the checker accepts either, but all of it or none of it, and never a state the
client did not ask for; once observed, its outcome is what later rounds expect. A worker's
exception other than the connection loss caused by the kill fails the test. noproofd runs with an
audit witness file (``--audit-witness``) beside the data folder on the same simulated disk, so the
power cut hits both and noproofd's start check compares them. After each power cut the audit
trail's hash chain and tree are verified against the witness with ``noproofd audit-verify`` on a
copy (the original is left for noproofd to recover), and once more at the end after a clean stop.

With ``--database postgres://…`` noproofd keeps its records in that PostgreSQL database
(``noproofd --database``) and the rounds are plain kill -9 rounds, without the shim and without a
power cut: PostgreSQL's durability (synchronous_commit=on, its own WAL and fsync) is not simulated
here (docs/RELIABILITY.md). What is checked is noproofd's: every write it acknowledged was committed
in PostgreSQL, nothing half-done is visible, and it starts again on the database and the data folder
(the audit trail) it was killed on.

Usage: crash_test.py NOPROOFD [NOPROOF_CLI] --shim powercut.so --restore powercut_restore.py
       [--rounds 10] [--seed N] [--nosync]
       crash_test.py NOPROOFD [NOPROOF_CLI] --database postgres://... [--rounds 10] [--seed N]
--nosync runs the shim with POWERCUT_NOSYNC=1 (fsync does nothing): the self-test, which must
report lost writes. Exits 1 on any loss, corruption or worker error.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import noproof
from noproof._pb.units_pb2 import (
    ApproveListRequest, CreateDraftRequest, DeclaredChange, GetItemListRequest, GetItemListResponse, IssueCredentialRequest,
    IssueCredentialResponse, ItemListResponse, ListCredentialsRequest, ListCredentialsResponse, ListItem, ListVersionRequest,
    RevokeCredentialRequest, CredentialResponse, SaveDraftRequest,
)
from noproof.messages import Licence, LicenceField, ProofBody

WATER = ("demo-water", "demo-secret")
# Licences are read back by the bank for its account opening, whose list entry names these fields of
# the resident ID card (data minimisation: the water company's new account names none of them).
BANK = ("demo-bank", "demo-secret")
BANK_ITEM = "YH-KH-001"
READ_FIELDS = frozenset({"gender", "birth_date", "address", "issuing_authority"})
TASKFORCE = ("demo-taskforce", "demo-secret")
TASKFORCE_SUPERVISOR = ("demo-taskforce/supervisor-0001", "demo-secret")  # signed in: approves lists, issues credentials
CIVIL_AFFAIRS = ("demo-civil-affairs", "demo-secret")
UNIVERSITY = ("demo-university/agent-0001", "demo-secret")
PORTAL = ("demo-citizen-portal", "demo-secret")
UNIVERSITY_CODE = "12370000495570452X"
WATER_CODE = "91370400MA3C7WX81E"
MARRIAGE_ITEM = "MZ-HY-001"
AGENT = "agent-0001"
ITEM = "SW-KH-001"
EXTRA_ITEM = "SW-CR-001"  # added to and removed from the water company's list, version after version
STAFF = {"staff": AGENT}
RANK = {"draft": 0, "submitted": 1, "approved": 2, "published": 3}
# What a call sees when the server dies under it (or is dead when it connects).
CONNECTION_LOST = (noproof.Unavailable, noproof.Cancelled, ConnectionError, OSError, asyncio.IncompleteReadError, EOFError,
                   asyncio.TimeoutError, noproof.DeadlineExceeded)


class StartFailed(Exception):
    """noproofd did not start on the folder the power cut left."""


class Stop(Exception):
    """The server was killed during this worker's call."""


def resident_id(first_17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first_17 + "10X98765432"[sum(int(d) * w for d, w in zip(first_17, weights, strict=True)) % 11]


def licence_check(text: str) -> str:
    """ISO/IEC 7064 MOD 37,36, as LicenceIdentifier computes it."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    p = 36
    for c in text:
        s = (p + alphabet.index(c)) % 36 or 36
        p = (s * 2) % 37
    return alphabet[(1 - p) % 36]


def licence_state(licence: Licence) -> tuple:
    """What the checker compares of a licence."""
    return (licence.holder_id, licence.holder_name, licence.status, licence.version, licence.valid_to,
            tuple(sorted((f.key, f.value) for f in licence.fields if f.key in READ_FIELDS)))


@dataclass
class Tracked:
    """One object's history as the clients saw it: the states asked for, oldest first, and how many
    of them were acknowledged (states[acked - 1] is the last acknowledged; those after it are unknown)."""

    states: list = field(default_factory=list)
    acked: int = 0
    checked: bool = False  # read back since its last change

    def attempt(self, state) -> None:
        self.states.append(state)
        self.checked = False

    def ack(self) -> None:
        self.acked = len(self.states)

    def acceptable(self, absent=None) -> list:
        """The states the store may hold: the last acknowledged one or any asked for after it
        (``absent`` too when nothing was acknowledged)."""
        if self.acked == 0:
            return [absent, *self.states]
        return self.states[self.acked - 1:]

    def observe(self, state) -> None:
        self.states, self.acked, self.checked = [state], 1, True


def to_check(tracked: dict, rng: random.Random, sample: int = 30) -> list:
    """The keys changed since the last check, and a sample of the others (checked again)."""
    changed = [k for k, t in tracked.items() if not t.checked]
    unchanged = [k for k, t in tracked.items() if t.checked]
    return changed + rng.sample(unchanged, min(sample, len(unchanged)))


@dataclass
class Ledger:
    killed: bool = False
    calls: int = 0
    errors: list[str] = field(default_factory=list)
    # holder -> result ("found"/"denied") -> [acknowledged, unknown]
    looks: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    new_proofs: list = field(default_factory=list)
    old_proofs: list = field(default_factory=list)
    proofs_checked: int = 0
    # licence id -> holder id, and its states (licence_state tuples; None = not stored)
    holders: dict[str, str] = field(default_factory=dict)
    licences: dict[str, Tracked] = field(default_factory=dict)
    status_licences: list[str] = field(default_factory=list)
    # ImportLicences batches: (licence ids, acknowledged)
    imports: list[tuple[list[str], bool]] = field(default_factory=list)
    imported_rows: int = 0
    next_holder: int = 0
    template: Licence | None = None
    # verification request id -> Tracked of its status
    requests: dict[str, Tracked] = field(default_factory=dict)
    # list version -> Tracked of (status rank, save marker); creations whose answer was lost
    lists: dict[int, Tracked] = field(default_factory=dict)
    list_steps: int = 0
    unknown_creation: bool = False
    # credential label -> (id or "" if the answer was lost, secret, Tracked of revoked?)
    credentials: dict[str, tuple[str, str, Tracked]] = field(default_factory=dict)
    # complaint channel reference -> (Tracked of registered?, expected (unit, breach type, summary))
    complaints: dict[str, tuple[Tracked, tuple]] = field(default_factory=dict)
    demo_rows: list[str] = field(default_factory=list)
    valid_holders: list[tuple[str, str]] = field(default_factory=list)

    async def call(self, awaitable):
        """An acknowledged call, or Stop when the kill took its answer."""
        try:
            result = await awaitable
        except CONNECTION_LOST:
            if self.killed:
                raise Stop() from None
            raise
        self.calls += 1
        return result

    def count(self, holder: str, result: str, slot: int, delta: int) -> None:
        self.looks.setdefault(holder, {"found": [0, 0], "denied": [0, 0]})[result][slot] += delta


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def connect(port: int, credential, staff: str | None = AGENT):
    return noproof.Client.connect("127.0.0.1", port, credential=credential, staff=staff, timeout=20)


# ---------------------------------------------------------------------------- workers


async def lookups(port: int, holders: list[tuple[str, str]], ledger: Ledger, rng: random.Random, name: str) -> None:
    async with await connect(port, WATER) as client:
        n = 0
        while not ledger.killed:
            n += 1
            holder, type_code = rng.choice(holders)
            case = f"CRASH-{name}-{n}"
            refused = rng.random() < 0.2
            result = "denied" if refused else "found"
            ledger.count(holder, result, 1, 1)  # unknown until answered
            try:
                proof = await ledger.call(client.lookup(holder, type_code, "NOT-A-LISTED-ITEM" if refused else ITEM, case))
                if refused:
                    raise AssertionError(f"lookup for an unlisted item was answered: {proof}")
                ledger.new_proofs.append(proof)
            except noproof.PermissionDenied:
                if not refused:
                    raise
                ledger.calls += 1
            ledger.count(holder, result, 1, -1)
            ledger.count(holder, result, 0, 1)


async def status_changes(port: int, ledger: Ledger) -> None:
    async with await connect(port, TASKFORCE) as client:
        i = 0
        while not ledger.killed:
            licence_id = ledger.status_licences[i % len(ledger.status_licences)]
            i += 1
            track = ledger.licences[licence_id]
            current = track.states[-1]
            suspend = current[2] == "valid"
            change = client.suspend_licence if suspend else client.reinstate_licence
            target = current[:2] + ("suspended" if suspend else "valid",) + current[3:]
            track.attempt(target)
            result = await ledger.call(change(licence_id, "crash test"))
            if licence_state(result) != target:
                raise AssertionError(f"licence {licence_id}: asked for {target}, answered {licence_state(result)}")
            track.ack()


def new_licence(ledger: Ledger, tag: str) -> Licence:
    """A licence for a holder no demo licence has (born 1901+), modelled on a demo licence."""
    n = ledger.next_holder
    ledger.next_holder += 1
    birth = (datetime.date(1901, 1, 1) + datetime.timedelta(days=n // 900)).strftime("%Y%m%d")
    holder = resident_id(f"370402{birth}{100 + n % 900:03d}")
    template = ledger.template
    assert template is not None
    parts = template.licence_id.split(".")
    serial = f"CR{tag}{n}"
    body = parts[5] + parts[6] + serial + "001"
    licence = Licence()
    licence.CopyFrom(template)
    licence.licence_id = ".".join(parts[:7] + [serial, "001", licence_check(body)])
    licence.holder_id = holder
    licence.holder_name = f"测试{n}"
    licence.status = "valid"
    licence.version = 1
    return licence


async def licence_writes(port: int, ledger: Ledger, rng: random.Random, tag: str) -> None:
    """IssueLicence, AmendLicence of what it issued, and ImportLicences batches."""
    async with await connect(port, TASKFORCE) as client:
        n = 0
        while not ledger.killed:
            n += 1
            step = rng.random()
            amendable = [lid for lid, t in ledger.licences.items() if lid not in ledger.status_licences and t.acked == len(t.states)]
            if step < 0.4 or not amendable:
                licence = new_licence(ledger, tag)
                track = ledger.licences[licence.licence_id] = Tracked()
                ledger.holders[licence.licence_id] = licence.holder_id
                track.attempt(licence_state(licence))
                issued = await ledger.call(client.issue_licence(licence))
                if licence_state(issued) != track.states[-1]:
                    raise AssertionError(f"IssueLicence answered {licence_state(issued)}, asked for {track.states[-1]}")
                track.ack()
            elif step < 0.75:
                licence_id = rng.choice(amendable)
                track = ledger.licences[licence_id]
                current = track.states[-1]
                fields = dict(current[5])
                key = rng.choice(sorted(fields))
                value = f"修改{tag}-{n}"
                fields[key] = value
                target = current[:3] + (current[3] + 1, current[4], tuple(sorted(fields.items())))
                track.attempt(target)
                amended = await ledger.call(client.amend_licence(licence_id, f"crash test {tag}-{n}", fields={key: value}))
                if licence_state(amended) != target:
                    raise AssertionError(f"AmendLicence answered {licence_state(amended)}, asked for {target}")
                track.ack()
            else:
                batch = [new_licence(ledger, tag) for _ in range(4)]
                ids = [lic.licence_id for lic in batch]
                for lic in batch:
                    ledger.holders[lic.licence_id] = lic.holder_id
                    ledger.licences[lic.licence_id] = Tracked([licence_state(lic)], 0)
                ledger.imports.append((ids, False))
                answer = await ledger.call(client.import_licences(batch))
                if answer.inserted != len(batch) or answer.rejected:
                    raise AssertionError(f"ImportLicences: {answer}")
                ledger.imports[-1] = (ids, True)
                ledger.imported_rows += len(batch)
                for licence_id in ids:
                    ledger.licences[licence_id].ack()


async def verifications(port: int, holder: tuple[str, str], ledger: Ledger, tag: str) -> None:
    holder_id, holder_name = holder
    async with await connect(port, CIVIL_AFFAIRS) as civil, await connect(port, UNIVERSITY, staff=None) as university:
        n = 0
        while not ledger.killed:
            n += 1
            filed = await ledger.call(civil.file_verification(UNIVERSITY_CODE, "XWZS", holder_id, MARRIAGE_ITEM, f"CRASH-VR-{tag}-{n}",
                                                              holder_name=holder_name, declared={"degree": "学士"}, staff=AGENT))
            track = ledger.requests[filed.request_id] = Tracked([filed.status], 1)
            if n % 3 == 0:
                continue  # some stay filed
            track.attempt("taken")
            taken = await ledger.call(university.take_verification(filed.request_id, staff=AGENT))
            track.states[-1] = taken.status
            track.ack()
            track.attempt("answered")
            answer = Licence(holder_name=holder_name, fields=[LicenceField(key="degree", value="学士")])
            answered = await ledger.call(university.answer_verification(filed.request_id, licence=answer, staff=AGENT))
            track.states[-1] = answered.status
            track.ack()


def list_items(in_force, with_extra: bool) -> list:
    items = []
    for item in in_force.items:
        if item.code == EXTRA_ITEM:
            continue
        copy = ListItem()
        copy.CopyFrom(item)
        items.append(copy)
    if with_extra:
        extra = ListItem()
        extra.CopyFrom(next(i for i in items if i.code == ITEM))
        extra.code, extra.name = EXTRA_ITEM, "崩溃测试事项"
        proofs = [p for p in extra.proofs if p.proof == "JMSFZ"]
        del extra.proofs[:]
        extra.proofs.extend(proofs)
        items.append(extra)
    return items


async def list_cycle(port: int, ledger: Ledger, rng: random.Random, tag: str) -> None:
    """The water company's list: create, save (marked), submit, approve, publish, again and again."""
    async with await connect(port, WATER) as water, await connect(port, TASKFORCE_SUPERVISOR, staff=None) as supervisor:
        n = 0
        while not ledger.killed:
            n += 1
            lists = await ledger.call(water.call("/noproof.v1.Units/GetItemList", GetItemListRequest(unit_code=WATER_CODE),
                                                 GetItemListResponse, metadata=STAFF))
            latest = lists.versions[-1]
            request = ListVersionRequest(unit_code=WATER_CODE, version=latest.version)
            if latest.status == "published":
                ledger.unknown_creation = True
                created = await ledger.call(water.call("/noproof.v1.Units/CreateDraft", CreateDraftRequest(unit_code=WATER_CODE),
                                                       ItemListResponse, metadata=STAFF))
                ledger.unknown_creation = False
                ledger.lists[created.list.version] = Tracked([(0, "")], 1)
                continue
            track = ledger.lists.setdefault(latest.version, Tracked([(RANK[latest.status], "")], 1))
            rank, marker = track.states[-1]
            if latest.status == "draft" and (not marker or rng.random() < 0.5):
                marker = f"crash-test save {tag}-{n}"
                with_extra = not any(i.code == EXTRA_ITEM for i in lists.in_force.items)
                change = DeclaredChange(kind="add" if with_extra else "reduce", item=EXTRA_ITEM, cause=marker,
                                        cause_date=time.strftime("%Y-%m-%d"))
                track.attempt((0, marker))
                await ledger.call(water.call("/noproof.v1.Units/SaveDraft",
                                             SaveDraftRequest(unit_code=WATER_CODE, version=latest.version,
                                                              items=list_items(lists.in_force, with_extra), changes=[change]),
                                             ItemListResponse, metadata=STAFF))
            elif latest.status == "draft":
                track.attempt((1, marker))
                await ledger.call(water.call("/noproof.v1.Units/SubmitList", request, ItemListResponse, metadata=STAFF))
            elif latest.status == "submitted":
                track.attempt((2, marker))
                await ledger.call(supervisor.call("/noproof.v1.Units/ApproveList",
                                                  ApproveListRequest(unit_code=WATER_CODE, version=latest.version), ItemListResponse))
            elif latest.status == "approved":
                track.attempt((3, marker))
                await ledger.call(water.call("/noproof.v1.Units/PublishList", request, ItemListResponse, metadata=STAFF))
            else:
                raise AssertionError(f"list version {latest.version} is {latest.status}")
            track.ack()
            ledger.list_steps += 1


async def credentials(port: int, ledger: Ledger, rng: random.Random, tag: str) -> None:
    async with await connect(port, TASKFORCE_SUPERVISOR, staff=None) as supervisor:
        n = 0
        while not ledger.killed:
            n += 1
            revocable = [label for label, (cid, _, t) in ledger.credentials.items() if cid and t.states == [False] and t.acked]
            if revocable and rng.random() < 0.4:
                label = rng.choice(revocable)
                cid, _, track = ledger.credentials[label]
                track.attempt(True)
                answer = await ledger.call(supervisor.call("/noproof.v1.Units/RevokeCredential",
                                                           RevokeCredentialRequest(credential_id=cid, reason="crash test"), CredentialResponse))
                if answer.credential.revoked_at_millis == 0:
                    raise AssertionError(f"RevokeCredential answered {answer}")
                track.ack()
                continue
            label = f"crash-test {tag}-{n}"
            track = Tracked([False], 0)
            ledger.credentials[label] = ("", "", track)
            issued = await ledger.call(supervisor.call("/noproof.v1.Units/IssueCredential",
                                                       IssueCredentialRequest(unit_code=WATER_CODE, label=label), IssueCredentialResponse))
            ledger.credentials[label] = (issued.credential.credential_id, issued.secret, track)
            track.ack()


async def complaints(port: int, ledger: Ledger, rng: random.Random, tag: str) -> None:
    async with await connect(port, TASKFORCE) as client:
        n = 0
        while not ledger.killed:
            n += 1
            reference = f"CRASH-{tag}-{n}"
            expected = (WATER_CODE, rng.choice(["refused_to_verify", "demanded_no_proof_item", "other"]), f"崩溃测试投诉 {tag}-{n}")
            track = Tracked([True], 0)
            ledger.complaints[reference] = (track, expected)
            await ledger.call(client.file_complaint("hotline_12345", reference, expected[0], expected[1], expected[2]))
            track.ack()


# ---------------------------------------------------------------------------- the checker


async def check(port: int, ledger: Ledger, rng: random.Random) -> list[str]:
    """Reads back through noproofd everything acknowledged so far; returns the problems found."""
    problems: list[str] = []
    async with await connect(port, WATER) as water, await connect(port, PORTAL, staff=None) as portal, \
            await connect(port, CIVIL_AFFAIRS) as civil, await connect(port, TASKFORCE) as taskforce, \
            await connect(port, BANK) as bank:
        # Lookups: each acknowledged one is in the holder's trail, none the clients never asked for.
        for holder, results in ledger.looks.items():
            stored = {"found": 0, "denied": 0}
            token = ""
            while True:
                page = await portal.who_looked(holder, limit=500, page_token=token)
                for entry in page.entries:
                    if entry.action == "Lookup" and entry.unit_code == WATER_CODE and entry.result in stored:
                        stored[entry.result] += 1
                token = page.next_page_token
                if not token:
                    break
            for result, (acked, unknown) in results.items():
                if not acked <= stored[result] <= acked + unknown:
                    problems.append(f"holder {holder}: {acked} acknowledged (+{unknown} unknown) '{result}' lookups, "
                                    f"{stored[result]} in the audit trail")
                results[result] = [stored[result], 0]  # observed: what later rounds build on
        # Proofs: still verifiable with the keys the server publishes now.
        keys = await water.get_seal_keys()
        sample = ledger.new_proofs + rng.sample(ledger.old_proofs, min(200, len(ledger.old_proofs)))
        bad = []
        for proof in sample:
            try:
                noproof.verify_proof(proof, keys)
            except noproof.ProofInvalid as error:
                bad.append(str(error))
        if bad:
            problems.append(f"{len(bad)} of {len(sample)} acknowledged proofs no longer verify against GetSealKeys, e.g. {bad[0]}")
        ledger.proofs_checked += len(sample)
        ledger.old_proofs += ledger.new_proofs
        ledger.new_proofs = []
        # Licences: issued, amended, suspended, imported — compared with what was asked for.
        stored_licences: dict[str, tuple | None] = {}
        for licence_id in to_check(ledger.licences, rng):
            track = ledger.licences[licence_id]
            try:
                licence = await bank.get_licence(licence_id, BANK_ITEM, "CRASH-CHECK", holder_id=ledger.holders[licence_id])
                state = licence_state(licence)
            except noproof.NotFound:
                state = None
            stored_licences[licence_id] = state
            if state not in track.acceptable():
                problems.append(f"licence {licence_id}: stored {state}, acknowledged {track.states[track.acked - 1] if track.acked else None}"
                                f"{f' (or one of {len(track.states) - track.acked} unknown changes)' if len(track.states) > track.acked else ''}")
            track.observe(state)
        for ids, acked in ledger.imports:
            present = [stored_licences[i] is not None for i in ids]
            if (acked and not all(present)) or (not acked and any(present) and not all(present)):
                problems.append(f"ImportLicences batch ({'acknowledged' if acked else 'answer lost, so all or none'}): "
                                f"{sum(present)} of its {len(ids)} rows stored")
        ledger.imports = []
        for licence_id in [i for i, t in ledger.licences.items() if t.states == [None]]:
            del ledger.licences[licence_id]  # never stored: forget it
        # Department verification.
        for request_id in to_check(ledger.requests, rng):
            track = ledger.requests[request_id]
            try:
                status = (await civil.get_verification(request_id, staff=AGENT)).status
            except noproof.NotFound:
                status = None
            if status not in track.acceptable():
                problems.append(f"verification request {request_id}: stored {status}, acknowledged {track.states[track.acked - 1]}")
            track.observe(status)
        # The item list's versions.
        lists = await water.call("/noproof.v1.Units/GetItemList", GetItemListRequest(unit_code=WATER_CODE), GetItemListResponse,
                                 metadata=STAFF)
        stored_versions = {v.version: v for v in lists.versions}
        for version, track in ledger.lists.items():
            stored = stored_versions.get(version)
            state = None
            if stored is not None:
                causes = {c.cause for c in stored.changes}
                marker = next((m for _, m in reversed(track.states) if m in causes), "")
                state = (RANK.get(stored.status, -1), marker)
            acceptable = track.acceptable()
            if state is not None and state[0] == RANK["published"] and (RANK["approved"], state[1]) in acceptable:
                acceptable.append(state)  # approved to take effect now: the server publishes it itself
            if state not in acceptable:
                problems.append(f"item list version {version}: stored {state} (rank, last save), acknowledged "
                                f"{track.states[track.acked - 1] if track.acked else None}, asked for {track.states[track.acked:]}")
            track.observe(state)
        known = set(ledger.lists)
        if not ledger.unknown_creation and any(v not in known and v > 1 for v in stored_versions):
            problems.append(f"item list versions {sorted(set(stored_versions) - known)} were never created by an acknowledged call")
        ledger.unknown_creation = False
        for version in list(stored_versions):
            ledger.lists.setdefault(version, Tracked([(RANK.get(stored_versions[version].status, -1), "")], 1))
        # Credentials.
        async with await connect(port, TASKFORCE_SUPERVISOR, staff=None) as supervisor:
            listed = await supervisor.call("/noproof.v1.Units/ListCredentials", ListCredentialsRequest(unit_code=WATER_CODE),
                                           ListCredentialsResponse)
        by_label: dict[str, list] = {}
        for info in listed.credentials:
            by_label.setdefault(info.label, []).append(info)
        for label, (cid, secret, track) in list(ledger.credentials.items()):
            infos = by_label.get(label, [])
            if len(infos) > 1:
                problems.append(f"credential '{label}' was issued {len(infos)} times")
            state = None if not infos else infos[0].revoked_at_millis != 0
            if state not in track.acceptable():
                problems.append(f"credential '{label}': stored {'absent' if state is None else 'revoked' if state else 'active'}, "
                                f"acknowledged {'revoked' if track.states[track.acked - 1] else 'issued'}")
            if state is None:
                del ledger.credentials[label]
                continue
            if infos and cid and infos[0].credential_id != cid:
                problems.append(f"credential '{label}': stored as {infos[0].credential_id}, issued as {cid}")
            track.observe(state)
            ledger.credentials[label] = (infos[0].credential_id, secret, track)
            if secret and state is False and track.acked:
                try:
                    async with await connect(port, (cid, secret)) as fresh:
                        await fresh.list_licence_types()
                except noproof.Unauthenticated as error:
                    problems.append(f"credential '{label}' ({cid}) was issued and not revoked but no longer authenticates: {error}")
                ledger.credentials[label] = (infos[0].credential_id, "", track)  # its secret checked once
        # Complaints.
        registered = {c.channel_reference: c for c in await taskforce.list_complaints(limit=100000)}
        for reference, (track, expected) in list(ledger.complaints.items()):
            stored = registered.get(reference)
            state = None if stored is None else True
            if state not in track.acceptable():
                problems.append(f"acknowledged complaint {reference} is not stored")
            elif stored is not None and (stored.unit_code, stored.breach_type, stored.summary) != expected:
                problems.append(f"complaint {reference}: stored {(stored.unit_code, stored.breach_type, stored.summary)}, filed {expected}")
            if state is None:
                del ledger.complaints[reference]
            else:
                track.observe(True)
    return problems


# ---------------------------------------------------------------------------- rounds


class Server:
    def __init__(self, arguments: argparse.Namespace, disk: Path, data: Path, witness: Path, shadow: Path, log: Path) -> None:
        self.arguments, self.disk, self.data, self.witness, self.shadow, self.log = arguments, disk, data, witness, shadow, log
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    async def start(self, shim: bool = True) -> int:
        self.port = free_port()
        env = dict(os.environ)
        database = ["--database", self.arguments.database] if self.arguments.database else []
        if shim and not self.arguments.database:
            env.update(LD_PRELOAD=self.arguments.shim, POWERCUT_DIR=str(self.disk), POWERCUT_SHADOW=str(self.shadow),
                       POWERCUT_DIRS="0" if self.arguments.durable_directories else "1", POWERCUT_NOSYNC="1" if self.arguments.nosync else "0")
        self.process = subprocess.Popen(
            [self.arguments.noproofd, "--demo", "--demo-licences", "2000", "--no-rate-limits", "--no-overload-shedding",
             "--port", str(self.port), "--data-dir", str(self.data), "--audit-witness", str(self.witness), *database],
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                last = [line for line in self.log.read_text(errors="replace").splitlines() if line.strip()][-1:]
                raise StartFailed(f"noproofd exited with {self.process.returncode} while starting: {last[0] if last else ''}")
            try:
                async with await noproof.Client.connect("127.0.0.1", self.port, timeout=2) as client:
                    await client.health()
                    return self.port
            except (OSError, noproof.RpcError, asyncio.TimeoutError):
                await asyncio.sleep(0.1)
        raise StartFailed("noproofd did not become healthy within 90 s")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def redacted(url: str) -> str:
    """The database URL without its password, for the report."""
    scheme, _, rest = url.partition("://")
    credentials, at, place = rest.rpartition("@")
    return f"{scheme}://{credentials.split(':')[0]}{at}{place}" if at else url


def power_cut(arguments: argparse.Namespace, disk: Path, shadow: Path) -> str:
    out = subprocess.run([sys.executable, arguments.restore, str(disk), str(shadow)], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"crash-test: the power-cut restorer failed (exit {out.returncode}): {out.stderr.strip()[-2000:]}")
    return out.stdout.strip()


def verify_chain(noproofd: str, disk: Path, database: str | None = None) -> str | None:
    """`noproofd audit-verify` against the witness (offline: on a copy of the disk the power cut left,
    or after a clean stop); with `database`, the denial log's chain in PostgreSQL too."""
    verify = subprocess.run([noproofd, "audit-verify", "--data-dir", str(disk / "data"), "--witness", str(disk / "witness" / "audit-heads"),
                             *(["--database", database] if database else [])],
                            capture_output=True, text=True, timeout=300)
    if verify.returncode != 0:
        return f"the audit chain does not verify (exit {verify.returncode}): {(verify.stdout + verify.stderr).strip()[-600:]}"
    return None


async def workload(port: int, data: Path, ledger: Ledger, rng: random.Random, round_number: int,
                   duration: float) -> list[asyncio.Task[None]]:
    if not ledger.demo_rows:
        ledger.demo_rows = [r for r in (data / "demo-holders.txt").read_text(encoding="utf-8").split("\n") if r.strip()]
    rows = ledger.demo_rows
    first = rows[0].split(" ")
    verified = (first[0], " ".join(first[2:]))
    jmsfz = [(r.split(" ")[0], r.split(" ")[1]) for r in rows if r.split(" ")[1] == "JMSFZ"]
    if not ledger.status_licences:
        async with await connect(port, WATER) as client, await connect(port, BANK) as bank:
            valid = []
            for holder, type_code in jmsfz[:60]:  # expired demo licences answer FAILED_PRECONDITION: leave them out
                checked = await client.check_licence(holder, type_code, {}, ITEM, f"CRASH-SETUP-{holder}")
                if checked.status == "valid":
                    valid.append((holder, type_code))
            ledger.valid_holders = valid
            changing = valid[:3]
            for holder, type_code in changing:
                body = ProofBody.FromString((await client.lookup(holder, type_code, ITEM, f"CRASH-SETUP-{holder}")).body)
                licence = await bank.get_licence(body.licence.licence_id, BANK_ITEM, f"CRASH-SETUP-{holder}", holder_id=holder)
                ledger.status_licences.append(licence.licence_id)
                ledger.holders[licence.licence_id] = holder
                ledger.licences[licence.licence_id] = Tracked([licence_state(licence)], 1)
                ledger.template = licence
    looked_up = ledger.valid_holders[3:40]
    tag = f"{round_number}"
    workers = {f"lookups-{w}": lookups(port, looked_up, ledger, random.Random(rng.random()), f"{tag}-{w}") for w in range(3)}
    workers["status"] = status_changes(port, ledger)
    workers["licences"] = licence_writes(port, ledger, random.Random(rng.random()), tag)
    workers["verification"] = verifications(port, verified, ledger, tag)
    workers["lists"] = list_cycle(port, ledger, random.Random(rng.random()), tag)
    workers["credentials"] = credentials(port, ledger, random.Random(rng.random()), tag)
    workers["complaints"] = complaints(port, ledger, random.Random(rng.random()), tag)

    async def run(name: str, work) -> None:
        try:
            await work
        except (Stop, asyncio.CancelledError):
            pass
        except CONNECTION_LOST as error:
            if not ledger.killed:
                ledger.errors.append(f"worker {name}: connection lost before the kill: {type(error).__name__}: {error}")
        except Exception as error:  # noqa: BLE001 - every other failure is a finding
            ledger.errors.append(f"worker {name}: {type(error).__name__}: {error}")

    tasks = [asyncio.create_task(run(name, work)) for name, work in workers.items()]
    await asyncio.sleep(duration)
    return tasks


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("noproofd")
    parser.add_argument("noproof", nargs="?", default=None, help="the noproof CLI: also verify the audit hash chain")
    parser.add_argument("--shim", help="powercut.so (required without --database)")
    parser.add_argument("--restore", help="powercut_restore.py (required without --database)")
    parser.add_argument("--database", help="postgres://...: noproofd keeps its records there; kill -9 rounds, no power cut")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--durable-directories", action="store_true",
                        help="treat directory entries as durable at once (no directory fsync needed)")
    parser.add_argument("--nosync", action="store_true", help="self-test: fsync does nothing, so writes must be lost")
    arguments = parser.parse_args()
    if arguments.database and arguments.nosync:
        parser.error("--nosync is the power-cut self-test: not with --database")
    if not arguments.database and not (arguments.shim and arguments.restore):
        parser.error("--shim and --restore are required without --database")
    rng = random.Random(arguments.seed)
    started = time.monotonic()
    mode = "self-test, POWERCUT_NOSYNC=1" if arguments.nosync else "kill -9, records in PostgreSQL" if arguments.database else "power cut"
    event = "kill -9" if arguments.database else "power cut"
    with tempfile.TemporaryDirectory(prefix="noproof-crash-") as scratch_name:
        scratch = Path(scratch_name)
        # The simulated disk holds the data folder and an audit witness file (noproofd refuses one
        # inside the data folder); the shadow folder with the undo logs is outside it.
        disk, shadow, log = scratch / "disk", scratch / "shadow", scratch / "noproofd.log"
        data, witness = disk / "data", disk / "witness" / "audit-heads"
        data.mkdir(parents=True)
        witness.parent.mkdir()
        shadow.mkdir()
        ledger = Ledger()
        server = Server(arguments, disk, data, witness, shadow, log)

        def fail(problems: list[str], where: str) -> int:
            # One problem of each kind first (lookups, licences, lists, ...), then the rest.
            kinds: dict[str, str] = {}
            for problem in problems:
                kinds.setdefault(problem.split(" ")[0], problem)
            problems = list(kinds.values()) + [p for p in problems if p not in kinds.values()]
            print(f"crash-test: {len(problems)} problems", file=sys.stderr)
            for problem in problems[:20]:
                print(f"  {problem}", file=sys.stderr)
            if len(problems) > 20:
                print(f"  ... and {len(problems) - 20} more", file=sys.stderr)
            print(f"crash-test: FAILED {where} ({mode}, seed {arguments.seed}); server log tail:\n"
                  + log.read_text(errors="replace")[-3000:], file=sys.stderr)
            return 1

        for round_number in range(1, arguments.rounds + 2):
            last = round_number == arguments.rounds + 1
            try:
                port = await server.start(shim=not last)
            except StartFailed as error:
                return fail([str(error)], f"restarting after round {round_number - 1}")
            try:
                problems = await check(port, ledger, rng) if round_number > 1 else []
            except Exception as error:  # noqa: BLE001 - a read-back that fails is a finding too
                problems = [f"reading back through noproofd failed: {type(error).__name__}: {error}"]
            if round_number > 1 and arguments.noproof:
                broken = verify_chain(arguments.noproofd, scratch / "after-cut", arguments.database)
                problems += [broken] if broken else []
            if round_number > 1:
                print(f"round {round_number - 1:2d}: after the {event} and noproofd's recovery: {ledger.calls} acknowledged calls so far; "
                      f"{sum(r['found'][0] for r in ledger.looks.values())} lookups and "
                      f"{sum(r['denied'][0] for r in ledger.looks.values())} refusals in the trail, {ledger.proofs_checked} proof seals checked, "
                      f"{len(ledger.licences)} licences ({ledger.imported_rows} imported), {len(ledger.requests)} verification requests, "
                      f"{ledger.list_steps} list steps, {len(ledger.credentials)} credentials, {len(ledger.complaints)} complaints: "
                      f"{'OK' if not problems else 'LOST'}", flush=True)
            if problems:
                return fail(problems, f"after round {round_number - 1}")
            if last:
                break
            ledger.killed = False
            if arguments.nosync:
                (shadow / "nosync").touch()  # from now on the shim skips every fsync
            tasks = await workload(port, data, ledger, rng, round_number, rng.uniform(0.8, 2.5))
            ledger.killed = True
            server.kill()
            done, pending = await asyncio.wait(tasks, timeout=15)
            for task in pending:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if ledger.errors:
                return fail(ledger.errors, f"in round {round_number} (a worker failed)")
            cut = "SIGKILL, nothing restored (PostgreSQL keeps what it committed)" if arguments.database else power_cut(arguments, disk, shadow)
            holders_file = data / "demo-holders.txt"
            if not arguments.nosync and (not holders_file.exists() or holders_file.stat().st_size == 0):
                # noproofd writes it at every start with DurableFile (fsync, rename, fsync of the folder)
                return fail(["demo-holders.txt, written durably at the start, was lost at the power cut"], f"after round {round_number}")
            if round_number == 1:
                print(f"crash-test: {mode}; {'database ' + redacted(arguments.database) if arguments.database else 'shim ' + arguments.shim}; "
                      f"each round: {cut}", flush=True)
            if arguments.noproof:  # verified after the restart's check, on this copy of what the power cut left
                shutil.rmtree(scratch / "after-cut", ignore_errors=True)
                shutil.copytree(disk, scratch / "after-cut")
        code = server.stop()
        if code != 0:
            return fail([f"noproofd exited with {code} at a clean stop"], "at the end")
        if arguments.noproof:
            broken = verify_chain(arguments.noproofd, disk, arguments.database)
            if broken:
                return fail([broken], "at the end")
        races = log.read_text(errors="replace").count("powercut: a write raced")
        if races:
            print(f"crash-test: note: {races} writes raced an fsync of the same file; the shim kept their undo logs (harsher than a disk)")
        print(f"crash-test: {arguments.rounds} {'kill -9' if arguments.database else 'power-cut'} rounds in {time.monotonic() - started:.0f} s, {ledger.calls} acknowledged calls, "
              f"nothing acknowledged lost"
              f"{f', the audit chain verifies after every {event}' if arguments.noproof else ''} ({mode}, seed {arguments.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
