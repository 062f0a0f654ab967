#!/usr/bin/env python3
"""Oversight records (Art. 2, 7, 11): a notification-commitment (告知承诺), a voluntary-proof
ledger entry (台账), and a mismatch case through supplement, the issuing unit's re-verification
and an appeal.

    python oversight.py [--holder ID] [--host H --port P]
"""

from __future__ import annotations

import argparse
import uuid

import _common

UNIVERSITY = "12370000495570452X"


async def run(arguments: argparse.Namespace) -> int:
    servers = _common.Servers(arguments)
    case = uuid.uuid4().hex[:8]
    async with servers.connect("civil-affairs", staff="agent-0001") as civil, \
            servers.connect("university", staff="agent-0001") as university:
        # Subsistence allowance (MZ-DB-001) obtains the residence proof JZZM by commitment: the applicant signs instead.
        commitment = await civil.record_commitment(arguments.holder, "MZ-DB-001", f"DB-{case}", "JZZM",
                                                   "本人承诺所提供的居住信息真实、准确。", "counter_face_check", holder_name="张三")
        print(f"commitment {commitment.commitment_id}: risk {commitment.risk_level}, check due {commitment.check_due_at_millis}")

        # The applicant brought a household register copy anyway: the list obtains it by data sharing.
        entry = await civil.add_ledger_entry(arguments.holder, "MZ-HY-001", f"HY-{case}", "HKB", proof_name="户口簿复印件",
                                             note="申请人主动提交")
        print(f"ledger     {entry.entry_id}: list says {entry.listed_method}"
              + (" — NOT to be asked for" if entry.not_to_be_asked_for else ""))

        # The degree fetched differs from the one declared: a mismatch case, decided by the university.
        mismatch = await civil.open_mismatch(UNIVERSITY, arguments.holder, "MZ-HY-001", f"HY-{case}-M", "XWZS",
                                             {"degree": ("硕士", "学士")}, proof_serial=f"P-EXAMPLE-{case}")
        await civil.request_supplement(mismatch.mismatch_id, "请提供学位证书原件")
        await civil.record_supplement(mismatch.mismatch_id, "学位证书复印件")
        resolved = await university.reverify_mismatch(mismatch.mismatch_id, "record_stands", "经核查学籍档案，记录无误")
        await civil.appeal_mismatch(mismatch.mismatch_id, reference=f"复议-{case}")
        decided = await civil.appeal_mismatch(mismatch.mismatch_id, outcome="upheld", note="复议维持")
        print(f"mismatch   {mismatch.mismatch_id}: {resolved.finding}, then {decided.status}")
        return 0 if decided.status == "appeal_decided" and entry.not_to_be_asked_for else 1


if __name__ == "__main__":
    parser = _common.parser("Record a commitment and a ledger entry; take a mismatch through to an appeal decision.")
    parser.add_argument("--holder", default=_common.DEMO_HOLDER)
    _common.main(run, parser.parse_args())
