#!/usr/bin/env python3
"""The task force office's supervision report for a period: figures and flags per unit. Blocking
code with noproof.sync.Client (no asyncio needed in a script).

    python supervision_report.py [--from 2026-12-01 --to 2026-12-31] [--host H --port P]
"""

from __future__ import annotations

import datetime
import sys

import _common

import noproof
import noproof.sync


def main() -> int:
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
    parser = _common.parser("Print the supervision report (task force office).")
    parser.add_argument("--from", dest="from_date", default=today.replace(day=1).isoformat())
    parser.add_argument("--to", dest="to_date", default=today.isoformat())
    arguments = parser.parse_args()
    credential = _common.Servers(arguments).credentials["taskforce"]
    credential_id, secret = credential.split(":", 1)
    try:
        with noproof.sync.Client(arguments.host, arguments.port, credential=(credential_id, secret),
                                 timeout=arguments.timeout, retry=noproof.RetryPolicy()) as client:
            report = client.supervision_report(arguments.from_date, arguments.to_date)
    except noproof.RpcError as error:
        print(f"error: {error}", file=sys.stderr)
        return int(error.code)
    print(f"supervision report {arguments.from_date} .. {arguments.to_date}  ({len(report.units)} units)")
    for unit in report.units:
        figures = ", ".join(f"{f.key} {f.value}" for f in unit.figures if f.value)
        print(f"  {unit.unit_code}  {unit.unit_name}: {figures or 'nothing recorded'}")
        for flag in unit.flags:
            print(f"    FLAG {flag.code} ({flag.detail})" + (" [exempted, Art. 17]" if flag.exempted else ""))
    return 0 if report.units else 1


if __name__ == "__main__":
    sys.exit(main())
