#!/usr/bin/env python3
"""Department verification (部门核验) from both units: civil affairs files a request for a degree
certificate, follows it with a watch stream while Zaozhuang University's agent takes and answers
it, then checks the proof sealed with the verification seal.

    python verification_request.py [--holder ID] [--host H --port P]
"""

from __future__ import annotations

import argparse
import asyncio
import uuid

import _common

import noproof
from noproof.messages import Licence, LicenceField

UNIVERSITY = "12370000495570452X"
MARRIAGE = "MZ-HY-001"  # civil affairs' marriage registration: lists XWZS by department verification from the university


async def run(arguments: argparse.Namespace) -> int:
    servers = _common.Servers(arguments)
    async with servers.connect("civil-affairs", staff="agent-0001") as civil, \
            servers.connect("university-agent") as university:
        filed = await civil.file_verification(UNIVERSITY, "XWZS", arguments.holder, MARRIAGE, f"HY-{uuid.uuid4().hex[:8]}",
                                              holder_name="张三", declared={"degree": "学士"})
        print(f"filed     {filed.request_id}: {filed.status}, answer due by {filed.answer_by_millis}")

        async def follow() -> list[str]:
            seen = []
            async with civil.watch_verification(filed.request_id, timeout=arguments.timeout) as events:
                async for event in events:
                    seen.append(event.request.status)
                    print(f"  watch:  {event.request.status}")
                    if event.request.status in ("answered", "returned"):
                        break
            return seen

        watching = asyncio.create_task(follow())
        queue = await university.verification_queue()
        assert filed.request_id in {r.request_id for r in queue}, "the request is not in the university's queue"
        await university.take_verification(filed.request_id)
        await university.answer_verification(filed.request_id, licence=Licence(
            holder_name="张三", fields=[LicenceField(key="degree", value="学士"), LicenceField(key="major", value="汉语言文学")]))
        statuses = await watching

        record = await civil.get_verification(filed.request_id)
        body = noproof.verify_proof(record.proof, await civil.get_seal_keys())
        print(f"answered  proof {body.proof_serial} VERIFIED ({body.seal_kind} seal of {body.producing_unit_name})")
        return 0 if statuses[-1] == "answered" and body.seal_kind == "verification" else 1


if __name__ == "__main__":
    parser = _common.parser("File, answer and follow a department verification request.")
    parser.add_argument("--holder", default=_common.DEMO_HOLDER)
    _common.main(run, parser.parse_args())
