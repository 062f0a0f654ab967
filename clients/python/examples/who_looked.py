#!/usr/bin/env python3
""""Who looked at my data": the citizen portal lists the units that obtained a holder's data, then
proves one entry is in the signed, append-only audit log (checked here, not trusted).

    python who_looked.py [--holder ID] [--host H --port P]
"""

from __future__ import annotations

import argparse
import asyncio

import _common

from noproof import audit


async def run(arguments: argparse.Namespace) -> int:
    servers = _common.Servers(arguments)
    async with servers.connect("citizen-portal") as portal:
        page = await portal.who_looked(arguments.holder, limit=10)
        print(f"who obtained the data of {arguments.holder}: {len(page.entries)} entries (newest first)")
        for entry in page.entries:
            print(f"  {entry.unit_name} ({entry.unit_code})  {entry.action}  item {entry.item_code}  → {entry.result}")
        if not page.entries:
            return 1
        entry = page.entries[0]
        for _ in range(50):  # heads are signed every second while records arrive
            head = await portal.audit_tree_head()
            if head.head.tree_size >= entry.audit_sequence:
                break
            await asyncio.sleep(0.2)
        proof = await portal.prove_audit_record(entry.audit_sequence, holder_id=arguments.holder)
        problems = audit.verify_record_proof(proof, head.audit_public_key)
        if problems:
            print("NOT PROVEN: " + "; ".join(problems))
            return 1
        print(f"audit record {entry.audit_sequence} is in the signed log of {proof.head.tree_size} records: PROVEN")
        return 0


if __name__ == "__main__":
    parser = _common.parser("List who obtained a holder's data and prove an entry against the audit log.")
    parser.add_argument("--holder", default=_common.DEMO_HOLDER)
    _common.main(run, parser.parse_args())
