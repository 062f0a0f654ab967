#!/usr/bin/env python3
"""Fail-over of two noproofd instances on one PostgreSQL database (issue 18): both serve a load of
writes and lookups; one is killed with -9 mid-load; every write either instance acknowledged is
then read back through the survivor, which keeps serving (lookups and writes after the kill) and
takes over the verification deadline scheduler's lease.

The writes and their bookkeeping are scripts/crash_test.py's (what it counts as acknowledged):
IssueLicence, AmendLicence and ImportLicences (all-or-nothing batches) by the task force office,
suspend/reinstate of a few demo licences; each instance gets its own licences and holders. An
operation whose answer the kill took is "unknown": it may or may not be stored, but all of it or
none of it. Each licence is read back with GetLicence by the bank through the survivor, which
sees the killed instance's writes through PostgreSQL (its cache never serves a stale version).

Usage: failover_test.py NOPROOFD --database URL [--seconds 3] [--seed N]
Each instance gets a data folder of its own (its audit trail and, copied from the first, the seal
keys). Exits 1 on any loss or worker error.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import noproof  # noqa: E402
from crash_test import (  # noqa: E402
    BANK, BANK_ITEM, CONNECTION_LOST, ITEM, TASKFORCE, WATER, Ledger, Stop, Tracked, connect, free_port, licence_state,
    licence_writes, lookups, new_licence, status_changes,
)
from noproof.messages import ProofBody  # noqa: E402

LEASE_TAKEN = "lease taken: this instance runs it"


class Instance:
    def __init__(self, name: str, noproofd: str, database: str, root: Path) -> None:
        self.name, self.noproofd, self.database = name, noproofd, database
        self.data = root / name
        self.log = root / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.port = free_port()

    async def start(self, *extra: str) -> None:
        self.process = subprocess.Popen(
            [self.noproofd, "--demo", "--demo-licences", "2000", "--no-rate-limits", "--no-overload-shedding",
             "--database", self.database, "--port", str(self.port), "--data-dir", str(self.data), *extra],
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"noproofd {self.name} exited with {self.process.returncode} at start:\n{self.tail()}")
            try:
                async with await noproof.Client.connect("127.0.0.1", self.port, timeout=2) as client:
                    await client.health()
                    return
            except (OSError, noproof.RpcError, asyncio.TimeoutError):
                await asyncio.sleep(0.1)
        raise RuntimeError(f"noproofd {self.name} did not become healthy within 120 s:\n{self.tail()}")

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""

    def says(self, text: str) -> int:
        return self.log.read_text(errors="replace").count(text) if self.log.exists() else 0

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


async def start_second(instance: Instance) -> None:
    """Starts an instance with a fresh data folder on a database that holds records: it joins the
    audit trail in PostgreSQL as it is (no new epoch; PostgreSQL refuses --new-audit-epoch)."""
    await instance.start()


async def setup(port: int, data: Path, ledgers: list[Ledger]) -> list[tuple[str, str]]:
    """Valid demo holders to look up; a template licence and a few demo licences to suspend and
    reinstate, different ones for each ledger."""
    rows = [r for r in (data / "demo-holders.txt").read_text(encoding="utf-8").split("\n") if r.strip()]
    ids = [(r.split(" ")[0], r.split(" ")[1]) for r in rows if r.split(" ")[1] == "JMSFZ"]
    async with await connect(port, WATER) as client, await connect(port, BANK) as bank:
        valid = []
        for holder, type_code in ids[:60]:
            checked = await client.check_licence(holder, type_code, {}, ITEM, f"FAILOVER-SETUP-{holder}")
            if checked.status == "valid":
                valid.append((holder, type_code))
        if len(valid) < 2 * len(ledgers) + 2:
            raise RuntimeError(f"only {len(valid)} valid demo ID cards")
        for n, ledger in enumerate(ledgers):
            for holder, type_code in valid[2 * n:2 * n + 2]:
                body = ProofBody.FromString((await client.lookup(holder, type_code, ITEM, f"FAILOVER-SETUP-{holder}")).body)
                licence = await bank.get_licence(body.licence.licence_id, BANK_ITEM, f"FAILOVER-SETUP-{holder}", holder_id=holder)
                ledger.status_licences.append(licence.licence_id)
                ledger.holders[licence.licence_id] = holder
                ledger.licences[licence.licence_id] = Tracked([licence_state(licence)], 1)
                ledger.template = licence
    return valid[2 * len(ledgers):]


def workers(port: int, ledger: Ledger, holders: list[tuple[str, str]], rng: random.Random, tag: str) -> list[asyncio.Task[None]]:
    work = {f"{tag}-lookups-{w}": lookups(port, holders, ledger, random.Random(rng.random()), f"F{tag}-{w}") for w in range(2)}
    work[f"{tag}-licences"] = licence_writes(port, ledger, random.Random(rng.random()), tag)
    work[f"{tag}-status"] = status_changes(port, ledger)

    async def run(name: str, body) -> None:
        try:
            await body
        except (Stop, asyncio.CancelledError):
            pass
        except CONNECTION_LOST as error:
            ledger.errors.append(f"worker {name}: connection lost{' (not the killed instance)' if not ledger.killed else ''}: "
                                 f"{type(error).__name__}: {error}")
        except Exception as error:  # noqa: BLE001 - every other failure is a finding
            ledger.errors.append(f"worker {name}: {type(error).__name__}: {error}")

    return [asyncio.create_task(run(name, body)) for name, body in work.items()]


async def check(port: int, ledgers: list[Ledger]) -> tuple[list[str], int]:
    """Every tracked licence read back through `port`; returns the problems and how many acknowledged
    licence states were found."""
    problems: list[str] = []
    found = 0
    async with await connect(port, BANK) as bank:
        for ledger in ledgers:
            stored: dict[str, tuple | None] = {}
            for licence_id, track in ledger.licences.items():
                try:
                    state = licence_state(await bank.get_licence(licence_id, BANK_ITEM, "FAILOVER-CHECK", holder_id=ledger.holders[licence_id]))
                except noproof.NotFound:
                    state = None
                stored[licence_id] = state
                if state not in track.acceptable():
                    acknowledged = track.states[track.acked - 1] if track.acked else None
                    problems.append(f"licence {licence_id}: stored {state}, acknowledged {acknowledged}"
                                    f"{f' (or one of {len(track.states) - track.acked} unknown changes)' if len(track.states) > track.acked else ''}")
                elif track.acked:
                    found += 1
            for ids, acked in ledger.imports:
                present = [stored[i] is not None for i in ids]
                if (acked and not all(present)) or (not acked and any(present) and not all(present)):
                    problems.append(f"ImportLicences batch ({'acknowledged' if acked else 'answer lost, so all or none'}): "
                                    f"{sum(present)} of its {len(ids)} rows stored")
    return problems, found


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("noproofd")
    parser.add_argument("--database", required=True, help="postgres://… with a schema of its own (?schema=NAME)")
    parser.add_argument("--seconds", type=float, default=3.0, help="load before the kill, and again on the survivor after it")
    parser.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    parser.add_argument("--keep", action="store_true", help="keep the data folders and logs")
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    root = Path(tempfile.mkdtemp(prefix="noproof-failover."))
    a = Instance("a", arguments.noproofd, arguments.database, root)
    b = Instance("b", arguments.noproofd, arguments.database, root)
    started = time.monotonic()

    def fail(problems: list[str], where: str) -> int:
        print(f"failover-test: FAILED {where} (seed {arguments.seed}):", file=sys.stderr)
        for problem in problems[:20]:
            print(f"  {problem}", file=sys.stderr)
        for instance in (a, b):
            print(f"--- {instance.log}:\n{instance.tail()}", file=sys.stderr)
        return 1

    try:
        await a.start()
        deadline = time.monotonic() + 30
        while a.says(LEASE_TAKEN) == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        # The second instance signs with the same keys: a copy of the first's seal folder.
        b.data.mkdir(parents=True)
        shutil.copytree(a.data / "seals", b.data / "seals")
        await start_second(b)
        # Only one instance runs the deadline scheduler: the first took the lease, the second is refused.
        if a.says(LEASE_TAKEN) != 1 or b.says(LEASE_TAKEN) != 0:
            return fail([f"scheduler lease taken {a.says(LEASE_TAKEN)} times by a, {b.says(LEASE_TAKEN)} by b (want 1 and 0)"], "at start")
        ledgers = [Ledger(), Ledger()]
        ledgers[1].next_holder = 400_000  # holders and licence serials of its own
        holders = await setup(a.port, a.data, ledgers)
        tasks = workers(a.port, ledgers[0], holders, rng, "1") + workers(b.port, ledgers[1], holders, rng, "2")
        await asyncio.sleep(rng.uniform(0.5, 1.0) * arguments.seconds)
        calls_before = [ledger.calls for ledger in ledgers]
        if ledgers[0].errors or ledgers[1].errors:
            return fail(ledgers[0].errors + ledgers[1].errors, "before the kill")
        ledgers[0].killed = True
        a.kill()
        killed_at = ledgers[1].calls
        # The survivor keeps serving the load.
        await asyncio.sleep(arguments.seconds)
        ledgers[1].killed = True  # its workers stop after their call in flight (answered: no connection loss)
        done, pending = await asyncio.wait(tasks, timeout=30)
        for task in pending:
            task.cancel()
        if pending:
            return fail([f"{len(pending)} workers still running 30 s after the load ended"], "after the kill")
        errors = ledgers[0].errors + ledgers[1].errors
        if errors:
            return fail(errors, "under load")
        survivor_calls = ledgers[1].calls - killed_at
        if calls_before[0] == 0 or survivor_calls == 0:
            return fail([f"acknowledged calls: {calls_before[0]} on a before the kill, {survivor_calls} on b after it"], "under load")
        problems, found = await check(b.port, ledgers)
        if problems:
            return fail(problems, "reading back through the survivor")
        # The survivor still serves a lookup and a write.
        async with await connect(b.port, WATER) as water, await connect(b.port, TASKFORCE) as taskforce:
            holder, type_code = holders[0]
            await water.lookup(holder, type_code, ITEM, "FAILOVER-AFTER")
            licence = new_licence(ledgers[1], "2")
            issued = await taskforce.issue_licence(licence)
            if licence_state(issued) != licence_state(licence):
                return fail([f"IssueLicence after the kill answered {licence_state(issued)}"], "after the kill")
        # The survivor takes over the deadline scheduler's lease (it tries every 5 s).
        deadline = time.monotonic() + 60
        while b.says(LEASE_TAKEN) == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        if b.says(LEASE_TAKEN) != 1:
            return fail(["the survivor did not take over the verification scheduler's lease within 60 s"], "after the kill")
        code = b.stop()
        if code != 0:
            return fail([f"the survivor exited with {code} at SIGTERM"], "at the end")
        acknowledged = sum(ledger.calls for ledger in ledgers)
        print(f"failover-test: ok in {time.monotonic() - started:.0f} s: {acknowledged} acknowledged calls on two instances "
              f"({calls_before[0]} on the killed one, {survivor_calls} on the survivor after the kill), {found} acknowledged "
              f"licence states all read back through the survivor, which served a lookup and a write after the kill and "
              f"took over the scheduler lease (seed {arguments.seed})")
        return 0
    finally:
        for instance in (a, b):
            if instance.process and instance.process.poll() is None:
                instance.process.kill()
                instance.process.wait()
        if not arguments.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"failover-test: kept {root}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
