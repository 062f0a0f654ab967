"""Shared fixtures of the interoperability tests.

The tests talk to a real ``noproofd --demo``. ``scripts/interop-test.sh`` (repository root)
starts one and passes it in the environment:

* ``NOPROOF_TEST_HOST`` / ``NOPROOF_TEST_PORT``: where it listens;
* ``NOPROOF_TEST_DATA_DIR``: its data folder (for ``demo-holders.txt``);
* ``NOPROOF_BIN``: the folder with the built ``noproofd`` and ``noproof`` (default: the
  repository's ``.build/debug``).

Without ``NOPROOF_TEST_PORT`` the fixture starts its own demo server for the session. Either way the
server must run with ``--no-rate-limits``: the suite makes more lookups per unit and minute than the
anti-harvesting limits allow (``test_access_control.py`` starts a small server with the limits on).
Tests that need no server (fake-server and offline proof tests) run without any of this.

Access is purpose-bound: a lookup, check or licence read must cite a service item of the calling
unit's published list that obtains the licence type by data sharing. The demo units used here:

* ``demo-water`` (``CREDENTIAL``, the default): item ``SW-KH-001`` lists JMSFZ and BDCQZS,
  ``SW-GH-002`` lists JMSFZ, BDCQZS and YYZZ;
* ``demo-bank`` (``BANK``): ``YH-KH-001`` (``BANK_ITEM``) lists JMSFZ and HKB, ``YH-DK-002`` JMSFZ, JHZ, BDCQZS and
  SBJFJL by data sharing and WFZJL by department verification;
* ``demo-taskforce`` (``TASKFORCE``): may issue, amend, import, suspend, reinstate and revoke any
  licence, but its only item (``ZB-TS-001``, JMSFZ) is no use for the other lookups.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

import noproof
from noproof.client import Connecting

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parents[3]
DEMO_SECRET = "demo-secret"
WATER = ("demo-water", DEMO_SECRET)
BANK = ("demo-bank", DEMO_SECRET)
TASKFORCE = ("demo-taskforce", DEMO_SECRET)
WATER_AGENT = ("demo-water/agent-0001", DEMO_SECRET)
"""The water company's agent-0001 signed in with their own staff credential."""
TASKFORCE_SUPERVISOR = ("demo-taskforce/supervisor-0001", DEMO_SECRET)
"""The task force office's supervisor signed in: approves lists, issues credentials."""
CREDENTIAL = WATER
"""The default credential of the tests: the water company's system (acting for agent-0001), for lookups, checks and licence reads."""
ITEM = "SW-KH-001"
"""demo-water's item for new water accounts: lists JMSFZ and BDCQZS, obtained by data sharing."""
BANK_ITEM = "YH-KH-001"
"""demo-bank's item for opening an account: JMSFZ by data sharing with the card's sex, birth date, address and
issuing authority (not ethnicity), and HKB with the address."""
ITEM_TRANSFER = "SW-GH-002"
"""demo-water's item for account transfers: lists JMSFZ, BDCQZS and YYZZ, obtained by data sharing."""


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine to completion on a fresh event loop (the tests need no pytest plugin)."""
    return asyncio.run(coro)


@dataclass(frozen=True)
class Holder:
    holder_id: str
    type_code: str
    name: str


@dataclass
class Server:
    host: str
    port: int
    data_dir: Path
    bin_dir: Path
    holders: list[Holder] = field(default_factory=list)

    def connect(self, credential: tuple[str, str] | None = CREDENTIAL, **options: Any) -> Connecting:
        """``noproof.Client.connect`` to this server (await it or use ``async with``). A system
        credential's calls act for agent-0001 (every demo unit has one) unless they name a staff member."""
        if credential is not None and "/" not in credential[0]:
            options.setdefault("staff", "agent-0001")
        return noproof.Client.connect(self.host, self.port, credential=credential, **options)

    def cli(self, *args: str, credential: tuple[str, str] | None = CREDENTIAL) -> subprocess.CompletedProcess[str]:
        """Runs the Swift CLI ``noproof`` against this server."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("NOPROOF_")}
        env["NOPROOF_HOST"] = self.host
        env["NOPROOF_PORT"] = str(self.port)
        if credential is not None:
            env["NOPROOF_CREDENTIAL"] = f"{credential[0]}:{credential[1]}"
            if "/" not in credential[0]:
                # A system credential names the acting staff member; the demo units all have agent-0001.
                env["NOPROOF_STAFF"] = "agent-0001"
        return subprocess.run([str(self.bin_dir / "noproof"), *args], env=env, capture_output=True, text=True, timeout=60)


def cli_error_line(stderr: str) -> str:
    """The `error: CODE: message` line the Swift CLI prints for a failed call."""
    lines = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert lines, f"the CLI printed no error line: {stderr!r}"
    return lines[0]


def _bin_dir() -> Path:
    configured = os.environ.get("NOPROOF_BIN")
    return Path(configured).resolve() if configured else REPO_ROOT / ".build" / "debug"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(host: str, port: int, process: subprocess.Popen[bytes] | None, limit: float = 120.0) -> None:
    async def healthy() -> bool:
        try:
            async with noproof.Client.connect(host, port, timeout=2.0) as client:
                await client.health(timeout=2.0)
            return True
        except noproof.RpcError:
            return False

    give_up = time.monotonic() + limit
    while time.monotonic() < give_up:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"noproofd exited with status {process.returncode} before it was healthy")
        if run(healthy()):
            return
        time.sleep(0.2)
    raise RuntimeError(f"noproofd at {host}:{port} did not become healthy within {limit:g}s")


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """The demo noproofd the interop tests run against."""
    bin_dir = _bin_dir()
    if os.environ.get("NOPROOF_TEST_PORT"):
        host = os.environ.get("NOPROOF_TEST_HOST", "127.0.0.1")
        port = int(os.environ["NOPROOF_TEST_PORT"])
        data_dir = Path(os.environ["NOPROOF_TEST_DATA_DIR"])
        _wait_healthy(host, port, None, limit=15.0)
        yield Server(host, port, data_dir, bin_dir, _read_holders(data_dir))
        return
    daemon = bin_dir / "noproofd"
    if not daemon.exists():
        pytest.skip(f"no noproofd at {daemon}: build the server or set NOPROOF_BIN / NOPROOF_TEST_PORT")
    with tempfile.TemporaryDirectory(prefix="noproof-py-") as scratch:
        data_dir = Path(scratch) / "data"
        port = _free_port()
        log = open(Path(scratch) / "noproofd.log", "wb")
        process = subprocess.Popen([str(daemon), "--demo", "--no-rate-limits", "--data-dir", str(data_dir), "--port", str(port)],
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy("127.0.0.1", port, process)
            yield Server("127.0.0.1", port, data_dir, bin_dir, _read_holders(data_dir))
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


@contextmanager
def small_demo_server(directory: Path, *options: str) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A short-lived ``noproofd --demo`` of a test's own with a tiny library (50 licences) and its data in
    ``directory/data``; ``options`` are further noproofd flags. Yields the process and its port; kills it
    afterwards if it still runs. Without ``--no-rate-limits`` in ``options`` the anti-harvesting limits
    are on."""
    daemon = _bin_dir() / "noproofd"
    if not daemon.exists():
        pytest.skip(f"no noproofd at {daemon}")
    port = _free_port()
    with open(directory / "noproofd.log", "wb") as log:
        process = subprocess.Popen(
            [str(daemon), "--demo", "--demo-licences", "50", "--data-dir", str(directory / "data"), "--port", str(port), *options],
            stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy("127.0.0.1", port, process)
            yield process, port
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()


def _read_holders(data_dir: Path) -> list[Holder]:
    path = data_dir / "demo-holders.txt"
    give_up = time.monotonic() + 30
    while not path.exists() and time.monotonic() < give_up:
        time.sleep(0.1)
    holders = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(maxsplit=2)
        if len(parts) == 3:
            holders.append(Holder(*parts))
    if len(holders) < 6:
        raise RuntimeError(f"{path} lists {len(holders)} demo holders; the tests need at least 6")
    return holders
