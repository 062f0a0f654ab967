#!/usr/bin/env python3
"""How soon a licence change made through one noproofd is seen by another on the same PostgreSQL
(issue 18: "p99 of a revoke becoming visible on the other instance <= 100 ms").

For each round: a valid demo ID card is looked up on B (so that B's cache holds it), suspended
through A (the task force office), and looked up on B again and again, from the moment A
acknowledged the suspension, until B refuses it as suspended; then it is reinstated through A. The
visibility time of a round is from A's acknowledgement to B's first refusing answer. A lookup on B
that *started after* A's acknowledgement and still answered with a proof is a stale answer: the
script counts them (there must be none) and exits 1 if there are any.

A suspension is used rather than a revocation so that the rounds can reuse licences (a revocation
is for good); both go through the same write path and the same change feed.

Usage: revoke_visibility.py --port-a A --port-b B --data-dir DIR_OF_A [--rounds 200] [--json FILE]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "clients" / "python" / "src"))
import noproof  # noqa: E402
from noproof.messages import ProofBody  # noqa: E402

WATER = ("demo-water", "demo-secret")
BANK = ("demo-bank", "demo-secret")
TASKFORCE = ("demo-taskforce", "demo-secret")
AGENT = "agent-0001"
ITEM = "SW-KH-001"
BANK_ITEM = "YH-KH-001"


def connect(port: int, credential):
    return noproof.Client.connect("127.0.0.1", port, credential=credential, staff=AGENT, timeout=20)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def valid_cards(port: int, data: Path, wanted: int) -> list[tuple[str, str]]:
    """(holder, licence id) of up to `wanted` valid demo ID cards (the rounds take them in turn)."""
    rows = [r.split(" ") for r in (data / "demo-holders.txt").read_text(encoding="utf-8").splitlines() if r.strip()]
    found: list[tuple[str, str]] = []
    async with await connect(port, WATER) as water, await connect(port, BANK) as bank:
        for n, row in enumerate(rows):
            if row[1] != "JMSFZ":
                continue
            try:
                proof = await water.lookup(row[0], "JMSFZ", ITEM, f"VISIBILITY-SETUP-{n}")
            except noproof.RpcError:
                continue
            body = ProofBody.FromString(proof.body)
            licence = await bank.get_licence(body.licence.licence_id, BANK_ITEM, f"VISIBILITY-SETUP-{n}", holder_id=row[0])
            found.append((row[0], licence.licence_id))
            if len(found) == wanted:
                break
    if not found:
        raise RuntimeError(f"no valid demo ID card among the {len(rows)} demo holders of {data / 'demo-holders.txt'}")
    return found


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port-a", type=int, required=True)
    parser.add_argument("--port-b", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True, help="A's data folder (its demo-holders.txt)")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--json", type=Path)
    arguments = parser.parse_args()

    cards = await valid_cards(arguments.port_a, arguments.data_dir, min(arguments.rounds, 50))
    times_ms: list[float] = []
    stale = 0
    lookups_until_seen: list[int] = []
    async with await connect(arguments.port_a, TASKFORCE) as a, await connect(arguments.port_b, WATER) as b:
        for n in range(arguments.rounds):
            holder, licence_id = cards[n % len(cards)]
            await b.lookup(holder, "JMSFZ", ITEM, f"VISIBILITY-{n}-WARM")  # in B's cache now
            await a.suspend_licence(licence_id, "visibility benchmark")
            acknowledged = time.perf_counter()
            tries = 0
            while True:
                tries += 1
                try:
                    await b.lookup(holder, "JMSFZ", ITEM, f"VISIBILITY-{n}-{tries}")
                    stale += 1  # started after the acknowledgement, answered from the old state
                except noproof.RpcError as error:
                    if "suspended" not in str(error):
                        raise
                    times_ms.append((time.perf_counter() - acknowledged) * 1000)
                    lookups_until_seen.append(tries)
                    break
                if time.perf_counter() - acknowledged > 10:
                    raise RuntimeError(f"round {n}: B still answers {licence_id} 10 s after A suspended it")
            await a.reinstate_licence(licence_id, "visibility benchmark")

    result = {
        "rounds": len(times_ms),
        "staleAnswers": stale,
        "p50Ms": quantile(times_ms, 0.50),
        "p99Ms": quantile(times_ms, 0.99),
        "maxMs": max(times_ms),
        "maxLookupsUntilSeen": max(lookups_until_seen),
    }
    print(f"revoke visibility: {result['rounds']} rounds, A's acknowledgement -> B refuses: p50 {result['p50Ms']:.2f} ms, "
          f"p99 {result['p99Ms']:.2f} ms, max {result['maxMs']:.2f} ms; stale answers from B after A's "
          f"acknowledgement: {stale}; B's lookups until the change was seen: at most {result['maxLookupsUntilSeen']}")
    if arguments.json:
        arguments.json.write_text(json.dumps(result))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
