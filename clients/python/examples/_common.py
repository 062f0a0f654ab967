"""What the examples share: where the server is and which credentials to use, from argv or the environment.

Every example takes ``--host``/``--port`` (env ``NOPROOF_HOST``/``NOPROOF_PORT``, default
127.0.0.1:7420) and uses the demo server's published credentials unless told otherwise: a role's
credential comes from ``--credential ROLE=ID:SECRET`` or the environment variable named in
``ROLES`` (e.g. ``NOPROOF_CIVIL_AFFAIRS=demo-civil-affairs:demo-secret``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from typing import Any

import noproof

#: role -> (environment variable, the demo server's credential)
ROLES = {
    "water": ("NOPROOF_WATER", "demo-water:demo-secret"),
    "civil-affairs": ("NOPROOF_CIVIL_AFFAIRS", "demo-civil-affairs:demo-secret"),
    "university": ("NOPROOF_UNIVERSITY", "demo-university:demo-secret"),
    "university-agent": ("NOPROOF_UNIVERSITY_AGENT", "demo-university/agent-0001:demo-secret"),
    "taskforce": ("NOPROOF_TASKFORCE", "demo-taskforce:demo-secret"),
    "citizen-portal": ("NOPROOF_CITIZEN_PORTAL", "demo-citizen-portal:demo-secret"),
}
#: The first demo holder (the demo data are the same on every machine).
DEMO_HOLDER = "370404199306107807"


def parser(description: str) -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(description=description)
    result.add_argument("--host", default=os.environ.get("NOPROOF_HOST", "127.0.0.1"), help="env NOPROOF_HOST")
    result.add_argument("--port", type=int, default=int(os.environ.get("NOPROOF_PORT", noproof.DEFAULT_PORT)),
                        help="env NOPROOF_PORT")
    result.add_argument("--credential", action="append", default=[], metavar="ROLE=ID:SECRET",
                        help=f"a role's credential instead of the demo one; roles: {', '.join(ROLES)}")
    result.add_argument("--timeout", type=float, default=10.0, help="seconds per call (default 10)")
    return result


class Servers:
    """Opens connections for the example's roles."""

    def __init__(self, arguments: argparse.Namespace) -> None:
        self.arguments = arguments
        given = dict(item.split("=", 1) for item in arguments.credential)
        self.credentials = {role: given.get(role) or os.environ.get(env) or demo for role, (env, demo) in ROLES.items()}

    def connect(self, role: str, staff: str | None = None) -> noproof.client.Connecting:
        credential_id, secret = self.credentials[role].split(":", 1)
        return noproof.Client.connect(self.arguments.host, self.arguments.port, credential=(credential_id, secret),
                                      timeout=self.arguments.timeout, default_timeout=self.arguments.timeout,
                                      staff=staff, retry=noproof.RetryPolicy(total_timeout=self.arguments.timeout))


def main(run: Callable[[argparse.Namespace], Coroutine[Any, Any, int]], arguments: argparse.Namespace) -> None:
    """Runs the example; exits with 0, or the status code of the call that failed (1 for other failures)."""
    try:
        sys.exit(asyncio.run(run(arguments)))
    except noproof.RpcError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(int(error.code) or 1)
    except noproof.ProofInvalid as error:
        print(f"NOT VERIFIED: {error.reason}", file=sys.stderr)
        sys.exit(1)
