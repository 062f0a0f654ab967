#!/usr/bin/env python3
"""By hand (not in CI): crash `noproofd --rotate-seal-key data-sharing` right after each of its
sync points in turn (the power-cut shim's POWERCUT_KILL_AT_SYNC), cut the power, start noproofd
again without rotating, and report whether it starts and whether the proofs sealed before still
verify against GetSealKeys. Stops once the rotating start gets through without being killed.

    PYTHONPATH=clients/python/src python3 Tests/PowerCut/rotation_sweep.py BIN_DIR powercut.so scripts/powercut_restore.py

(build the shim as scripts/crash-test.sh does: cc -shared -fPIC -O2 -o powercut.so Tests/PowerCut/powercut.c -ldl -lpthread)
"""
import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import noproof

BIN, SHIM, RESTORE = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
ROOT = Path(tempfile.mkdtemp(prefix="rotation-sweep-"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def healthy(port, proc, limit=60):
    t = time.monotonic() + limit
    while time.monotonic() < t:
        if proc.poll() is not None:
            return False
        try:
            async with await noproof.Client.connect("127.0.0.1", port, timeout=2) as c:
                await c.health()
                return True
        except Exception:
            await asyncio.sleep(0.1)
    return False


def start(disk, extra=(), env=None, log="log"):
    port = free_port()
    p = subprocess.Popen([f"{BIN}/noproofd", "--demo", "--demo-licences", "200", "--port", str(port), "--data-dir", str(disk / "data"),
                          "--audit-witness", str(disk / "w" / "heads"), *extra],
                         stdout=open(ROOT / log, "ab"), stderr=subprocess.STDOUT, env=env)
    return port, p


async def main():
    base = ROOT / "base"
    (base / "data").mkdir(parents=True)
    (base / "w").mkdir()
    port, p = start(base)
    assert await healthy(port, p)
    rows = [r for r in (base / "data" / "demo-holders.txt").read_text().split("\n") if r.strip()]
    proofs = []
    async with await noproof.Client.connect("127.0.0.1", port, credential=("demo-water", "demo-secret"), staff="agent-0001") as c:
        for r in rows[:20]:
            h, t = r.split(" ")[:2]
            if t != "JMSFZ":
                continue
            try:
                proofs.append(await c.lookup(h, t, "SW-KH-001", "SWEEP"))
            except noproof.RpcError:
                pass
    p.send_signal(signal.SIGTERM)
    p.wait()
    print(f"base: {len(proofs)} proofs", flush=True)
    for n in range(1, 200):
        work = ROOT / "work"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, work)
        shadow = ROOT / "shadow"
        shutil.rmtree(shadow, ignore_errors=True)
        shadow.mkdir()
        env = dict(os.environ, LD_PRELOAD=SHIM, POWERCUT_DIR=str(work), POWERCUT_SHADOW=str(shadow), POWERCUT_DIRS="1",
                   POWERCUT_KILL_AT_SYNC=str(n))
        port, p = start(work, ["--rotate-seal-key", "data-sharing", "--rotation-reason", "sweep"], env=env, log=f"rot-{n}")
        up = await healthy(port, p, 60)
        if up:
            p.kill(); p.wait()
        code = p.returncode
        subprocess.run([sys.executable, RESTORE, str(work), str(shadow)], check=True, stdout=subprocess.DEVNULL)
        port, q = start(work, log=f"after-{n}")
        ok = await healthy(port, q, 60)
        verdict = "starts"
        if ok:
            async with await noproof.Client.connect("127.0.0.1", port) as c:
                keys = await c.get_seal_keys()
            bad = 0
            for pr in proofs:
                try:
                    noproof.verify_proof(pr, keys)
                except noproof.ProofInvalid:
                    bad += 1
            verdict += f", {len(proofs) - bad}/{len(proofs)} old proofs verify"
            q.send_signal(signal.SIGTERM); q.wait()
        else:
            last = [l for l in (ROOT / f"after-{n}").read_text(errors="replace").splitlines() if l.strip()][-1:]
            verdict = f"REFUSES TO START: {last[0][:400] if last else ''}"
            q.kill(); q.wait()
        print(f"kill after sync {n:3d} (rotation run {'reached healthy' if up else f'killed, exit {code}'}): {verdict}", flush=True)
        if up:
            break
    shutil.rmtree(ROOT, ignore_errors=True)


asyncio.run(main())
