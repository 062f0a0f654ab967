#!/usr/bin/env python3
"""Idle connections: open many connections to a real noproofd, hold them, measure the server's
memory, check a normal client is still served, then wait for the idle timeout to shed them.

Starts ``noproofd --demo --idle-timeout T`` on a scratch data folder, records its resident set
(VmRSS from /proc/PID/status) before and after opening COUNT connections (each completes the
preface and then says nothing), looks a licence up on another connection while they are held,
waits until the server has closed every one of them (each gets GOAWAY "closing idle
connection"), and prints the figures. Exits 1 if a connection was refused or not shed, if the
normal client was not served, or if the memory per held connection is over --budget-kib.

Usage: idle_connections.py NOPROOFD [--count 10000] [--idle-timeout 20] [--budget-kib 16]
"""
from __future__ import annotations

import argparse
import asyncio
import resource
import selectors
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import noproof

PREFACE = b"NOPROOF\x01"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise SystemExit("idle-connections: no VmRSS in /proc/PID/status")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def healthy(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"idle-connections: noproofd exited with {process.returncode} while starting")
        try:
            async with await noproof.Client.connect("127.0.0.1", port, timeout=2) as client:
                await client.health()
                return
        except (OSError, noproof.RpcError):
            await asyncio.sleep(0.2)
    raise SystemExit("idle-connections: noproofd did not become healthy within 120 s")


async def served(port: int, data: Path) -> tuple[bool, float]:
    """A lookup by the demo water company on a fresh connection, and how long it took."""
    holder, type_code = (data / "demo-holders.txt").read_text(encoding="utf-8").split("\n")[0].split(" ")[:2]
    started = time.monotonic()
    async with await noproof.Client.connect("127.0.0.1", port, credential=("demo-water", "demo-secret"), timeout=10, staff="agent-0001") as client:
        proof = await client.lookup(holder, type_code, "SW-GH-002", "IDLE-TEST-1")
    return bool(proof.signature), time.monotonic() - started


async def stats(port: int) -> noproof.messages.GetStatsResponse:
    async with await noproof.Client.connect("127.0.0.1", port, credential=("demo-taskforce", "demo-secret"), timeout=10) as client:
        return await client.get_stats()


def open_connections(port: int, count: int, sockets: list[socket.socket]) -> None:
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        for attempt in range(50):
            try:
                s.connect(("127.0.0.1", port))
                break
            except (ConnectionRefusedError, BlockingIOError, TimeoutError):
                time.sleep(0.01 * (attempt + 1))
        else:
            raise SystemExit(f"idle-connections: could not open connection {len(sockets) + 1}")
        s.sendall(PREFACE)
        s.setblocking(False)
        sockets.append(s)


def wait_closed(sockets: list[socket.socket], limit: float) -> tuple[int, int]:
    """Reads every socket until the server closes it; returns (closed, GOAWAYs naming idleness)."""
    selector = selectors.DefaultSelector()
    buffers: dict[int, bytearray] = {}
    for s in sockets:
        selector.register(s, selectors.EVENT_READ)
        buffers[s.fileno()] = bytearray()
    closed = 0
    idle_goaways = 0
    deadline = time.monotonic() + limit
    while closed < len(sockets) and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.5):
            s = key.fileobj
            try:
                chunk = s.recv(65536)  # type: ignore[union-attr]
            except BlockingIOError:
                continue
            except ConnectionResetError:
                chunk = b""
            if chunk:
                buffers[key.fd].extend(chunk)
                continue
            selector.unregister(s)
            closed += 1
            if b"closing idle connection" in buffers[key.fd]:
                idle_goaways += 1
    selector.close()
    return closed, idle_goaways


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("noproofd")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--idle-timeout", type=int, default=20, help="seconds (noproofd --idle-timeout)")
    parser.add_argument("--budget-kib", type=float, default=16.0, help="most server memory per held connection")
    arguments = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = arguments.count + 512  # the server caps connections 384 below its descriptor limit
    if soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            # A machine with a lower hard limit still runs the check, with as many as it allows.
            fewer = max(100, hard - 512)
            print(f"idle-connections: WARNING: {arguments.count} connections need {need} file descriptors but the hard "
                  f"limit is {hard} (raise it with `ulimit -Hn` as root); holding {fewer} instead", flush=True)
            arguments.count = fewer
            need = fewer + 512
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))  # inherited by noproofd
    with tempfile.TemporaryDirectory(prefix="noproof-idle-") as scratch:
        data = Path(scratch) / "data"
        port = free_port()
        log = (Path(scratch) / "noproofd.log").open("wb")
        process = subprocess.Popen(
            [arguments.noproofd, "--demo", "--demo-licences", "2000", "--port", str(port), "--data-dir", str(data),
             "--idle-timeout", str(arguments.idle_timeout), "--log-level", "warning",
             # All the connections come from loopback and never authenticate: lift the per-source
             # cap and let the idle timeout, not the deadline to authenticate, shed them.
             "--max-connections-per-source", str(arguments.count + 100),
             "--authentication-timeout", str(arguments.idle_timeout * 4 + 60)],
            stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            await healthy(port, process)
            await served(port, data)  # warm: the first lookup, the seal keys, the audit writer
            before = rss_kib(process.pid)
            started = time.monotonic()
            # In batches, each accepted before the next, so that the listen backlog never overflows
            # (a dropped SYN costs the client a second before it retries).
            sockets: list[socket.socket] = []
            open_now = 0
            while len(sockets) < arguments.count:
                open_connections(port, min(500, arguments.count - len(sockets)), sockets)
                for _ in range(400):
                    open_now = (await stats(port)).connections_open - 1  # minus the stats connection itself
                    if open_now >= len(sockets):
                        break
                    await asyncio.sleep(0.02)
            opened_in = time.monotonic() - started
            held = rss_kib(process.pid)
            ok, lookup_seconds = await served(port, data)
            open_at_lookup = (await stats(port)).connections_open - 1
            per_connection = (held - before) / arguments.count
            print(f"idle-connections: {arguments.count} connections opened in {opened_in:.1f} s; server holds {open_now}")
            print(f"  server RSS {before / 1024:.1f} MiB before, {held / 1024:.1f} MiB holding them: "
                  f"{(held - before) / 1024:.1f} MiB, {per_connection:.1f} KiB per connection (budget {arguments.budget_kib:g} KiB)")
            print(f"  a lookup on a new connection while they are held: {'served' if ok else 'NOT SERVED'} in {lookup_seconds * 1000:.0f} ms"
                  f" ({open_at_lookup} connections open)")
            shed_started = time.monotonic()
            closed, goaways = wait_closed(sockets, arguments.idle_timeout * 3 + 30)
            shed_seconds = time.monotonic() - started
            after = rss_kib(process.pid)
            remaining = (await stats(port)).connections_open - 1
            print(f"  idle timeout {arguments.idle_timeout} s: {closed} of {arguments.count} closed by the server "
                  f"({goaways} with GOAWAY 'closing idle connection') {shed_seconds:.1f} s after the first was opened "
                  f"(waited {time.monotonic() - shed_started:.1f} s); {remaining} still open; server RSS {after / 1024:.1f} MiB after")
            for s in sockets:
                s.close()
            problems = []
            if open_now < arguments.count:
                problems.append(f"the server held only {open_now} of {arguments.count} connections")
            if not ok:
                problems.append("the normal client was not served")
            if closed < arguments.count or remaining > 0:
                problems.append(f"{arguments.count - closed} connections were not shed by the idle timeout")
            if per_connection > arguments.budget_kib:
                problems.append(f"{per_connection:.1f} KiB per connection is over the budget of {arguments.budget_kib:g} KiB")
            if process.poll() is not None:
                problems.append(f"noproofd exited with {process.returncode}")
            for problem in problems:
                print(f"idle-connections: FAILED: {problem}", file=sys.stderr)
            if not problems:
                print("idle-connections: OK")
            return 1 if problems else 0
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
