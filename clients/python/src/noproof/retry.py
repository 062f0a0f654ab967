"""Retries with backoff: which calls are safe to retry, and how long to wait.

A call is retried only when doing it twice cannot do anything twice. Each method has a
:class:`Safety`:

* ``READ``: reads without side effects (lists, gets, reports, seal keys, audit heads...):
  retried on ``UNAVAILABLE`` of any kind, and on ``RESOURCE_EXHAUSTED`` that says "retry after".
* ``AUDITED``: reads the server records in the audit trail and counts against the caller's rate
  limits (``Lookup``, ``GetLicence``, ``CheckLicence``, ``GetProofStatus``, ``WhoLooked``):
  retried only when the server certainly did not process the call — it refused it with "retry
  after N ms" (overload), the connection could not be made or was going away, or a GOAWAY's
  ``last_call_id`` excluded it. A connection lost mid-call is not retried: the look may have been
  recorded, and a second one would show in the holder's who-looked list.
* ``IDEMPOTENT``: writes the server documents as idempotent — ``ImportLicences`` (a re-sent batch
  changes nothing) and ``Verification/File`` (idempotent on ``request_key``, which the client
  fills in before the first attempt): retried like ``READ``.
* ``NEVER``: every other write (issuing, amending, status changes, answering, oversight records,
  exemptions, staff and list changes...), ``Authenticate`` and server-streaming calls.

The waits are exponential (``initial_backoff`` × ``multiplier`` ^ attempt, at most ``max_backoff``)
with jitter, never shorter than the server's "retry after N ms", and the retries stop when the
next wait would pass ``total_timeout`` seconds after the first attempt.
"""

from __future__ import annotations

import asyncio
import enum
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from ._methods import METHODS, Method
from .errors import ResourceExhausted, RpcError, Unavailable

__all__ = ["RetryPolicy", "Safety", "SAFETY", "retry_after", "should_retry"]


class Safety(enum.Enum):
    """How safe a method is to retry (see the module's documentation)."""

    NEVER = "never"
    AUDITED = "audited"
    READ = "read"
    IDEMPOTENT = "idempotent"


_READS = {
    "Health": ["Check"],
    "Reflection": ["ListMethods"],
    "Admin": ["GetStats"],
    "Licences": ["GetSealKeys", "ListLicenceTypes"],
    "Units": ["ListUnits", "GetUnit", "ListStaff", "ListCredentials", "GetItemList", "ListDenials", "GetCalendar", "ShowItem"],
    "Verification": ["Get", "ListQueue", "ListFiled"],
    "Oversight": ["GetCommitment", "ListCommitments", "ListLedger", "GetMismatch", "ListMismatches", "GetComplaint",
                  "ListComplaints", "GetCounts", "ListCorrectionNotices"],
    "Supervision": ["Report", "ListExemptions"],
    "Audit": ["GetTreeHead", "ProveRecord", "ProveConsistency"],
}
_AUDITED = {"Licences": ["Lookup", "GetLicence", "CheckLicence", "GetProofStatus"], "Supervision": ["WhoLooked"]}
_IDEMPOTENT = {"Licences": ["ImportLicences"], "Verification": ["File"]}


def _table() -> dict[str, Safety]:
    table = {path: Safety.NEVER for path in METHODS}
    for safety, services in ((Safety.READ, _READS), (Safety.AUDITED, _AUDITED), (Safety.IDEMPOTENT, _IDEMPOTENT)):
        for service, names in services.items():
            for name in names:
                path = f"/noproof.v1.{service}/{name}"
                if path in METHODS and not METHODS[path].server_streaming:
                    table[path] = safety
    return table


#: Every method path of the method table with its :class:`Safety`; methods not in it are ``NEVER``.
SAFETY: Mapping[str, Safety] = _table()

_RETRY_AFTER = re.compile(r"retry after (\d+(?:\.\d+)?)\s*(ms|s)\b", re.IGNORECASE)


def retry_after(message: str) -> float | None:
    """The wait, in seconds, that a server message asks for ("retry after 300 ms", "retry after 1 s"), or None."""
    match = _RETRY_AFTER.search(message)
    if match is None:
        return None
    value = float(match.group(1))
    return value / 1000 if match.group(2).lower() == "ms" else value


def should_retry(safety: Safety, error: RpcError) -> bool:
    """Whether a call of ``safety`` that failed with ``error`` may be tried again."""
    if safety is Safety.NEVER:
        return False
    hinted = retry_after(error.message) is not None
    if isinstance(error, ResourceExhausted):
        return hinted  # a limit that says when to come back; other limits (sizes, quotas) do not pass by waiting
    if not isinstance(error, Unavailable):
        return False
    if safety is Safety.AUDITED:
        return error.not_processed or hinted
    return True


@dataclass(frozen=True)
class RetryPolicy:
    """How :class:`noproof.Client` retries calls that are safe to retry (pass ``retry=RetryPolicy()`` to ``connect``).

    Attributes:
        max_attempts: attempts in all, the first included.
        initial_backoff: the wait before the first retry, in seconds.
        multiplier: each further wait is this many times the one before...
        max_backoff: ...up to this many seconds (a server's "retry after" may ask for more).
        jitter: the fraction of each wait that is random (0 = none, 1 = anywhere in [0, wait]).
        total_timeout: no retry starts later than this many seconds after the first attempt.
        reconnect: open a new connection (authenticated again) when the current one is closed or going away.
        sleep, clock, random: injectable for tests (``asyncio.sleep``, ``time.monotonic``, ``random.random``).
    """

    max_attempts: int = 5
    initial_backoff: float = 0.1
    multiplier: float = 2.0
    max_backoff: float = 5.0
    jitter: float = 0.2
    total_timeout: float = 30.0
    reconnect: bool = True
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be in [0, 1]")

    def backoff(self, retry: int, error: RpcError | None = None) -> float:
        """The wait before retry number ``retry`` (1 = the first retry), at least what ``error`` asks for."""
        base = min(self.max_backoff, self.initial_backoff * self.multiplier ** (retry - 1))
        wait = base * (1 - self.jitter * self.random())
        hint = retry_after(error.message) if error is not None else None
        return max(wait, hint) if hint is not None else wait

    @staticmethod
    def safety(method: Method | str | int) -> Safety:
        """The :class:`Safety` of a method (by ``Method``, path or id); unknown methods are ``NEVER``."""
        if isinstance(method, Method):
            return SAFETY.get(method.path, Safety.NEVER)
        if isinstance(method, int):
            for candidate in METHODS.values():
                if candidate.id == method:
                    return SAFETY.get(candidate.path, Safety.NEVER)
            return Safety.NEVER
        return SAFETY.get(method, Safety.NEVER)
