#!/usr/bin/env python3
"""Checks the power-cut shim and its restorer on a scripted sequence of writes, before the crash
test relies on them (scripts/crash-test.sh runs it first).

    shim_check.py POWERCUT_SO POWERCUT_RESTORE_PY

A child Python process runs under the shim (POWERCUT_DIRS=1) and writes, syncs, renames and
unlinks files; the restorer then cuts the power; the folder must hold exactly what was synced.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def child(d: str) -> None:
    """The writes (run under the shim)."""
    folder = os.open(d, os.O_RDONLY)
    a = os.open(f"{d}/synced", os.O_RDWR | os.O_CREAT, 0o600)
    os.write(a, b"hello")
    os.fsync(a)
    os.fsync(folder)
    os.pwrite(a, b"J", 0)           # overwrites a synced byte: restored
    os.write(a, b" world")          # appended after the sync: cut
    os.close(a)
    b = os.open(f"{d}/unsynced", os.O_RDWR | os.O_CREAT, 0o600)
    os.write(b, b"never synced")    # its name is durable (folder synced below), its content not
    os.close(b)
    old = os.open(f"{d}/replaced", os.O_RDWR | os.O_CREAT, 0o600)
    os.write(old, b"old")
    os.fsync(old)
    gone = os.open(f"{d}/unlinked", os.O_RDWR | os.O_CREAT, 0o600)
    os.write(gone, b"still here")
    os.fsync(gone)
    os.fsync(folder)                # everything so far has its name durable
    tmp = os.open(f"{d}/tmp", os.O_RDWR | os.O_CREAT, 0o600)
    os.write(tmp, b"new")
    os.fsync(tmp)
    os.rename(f"{d}/tmp", f"{d}/replaced")   # no folder fsync: undone, "old" comes back
    os.unlink(f"{d}/unlinked")               # no folder fsync: undone
    c = os.open(f"{d}/created-late", os.O_RDWR | os.O_CREAT, 0o600)
    os.write(c, b"x")
    os.fsync(c)                              # its content synced, its name not: gone
    t = os.open(f"{d}/synced", os.O_RDWR | os.O_TRUNC)
    os.write(t, b"T")                        # O_TRUNC of a synced file: undone
    os.close(t)
    # kill -9 would come here; the process just exits (the page cache keeps everything)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return 0
    shim, restore = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="powercut-check-") as scratch:
        data, shadow = Path(scratch) / "data", Path(scratch) / "shadow"
        data.mkdir()
        shadow.mkdir()
        env = dict(os.environ, LD_PRELOAD=shim, POWERCUT_DIR=str(data), POWERCUT_SHADOW=str(shadow), POWERCUT_DIRS="1")
        subprocess.run([sys.executable, __file__, "--child", str(data)], env=env, check=True)
        subprocess.run([sys.executable, restore, str(data), str(shadow)], check=True, stdout=subprocess.DEVNULL)
        found = {p.name: p.read_bytes() for p in data.iterdir()}
        expected = {"synced": b"hello", "unsynced": b"", "replaced": b"old", "unlinked": b"still here"}
        if found != expected or any(shadow.iterdir()):
            print(f"powercut shim check: FAILED: after the cut the folder holds {found}, expected {expected}", file=sys.stderr)
            return 1
    print("powercut shim check: OK (unsynced overwrite, append, O_TRUNC, new content, rename, unlink and create undone; synced data kept)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
