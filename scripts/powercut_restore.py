#!/usr/bin/env python3
"""The power cut itself: after kill -9 of a process that ran under Tests/PowerCut/powercut.so,
make its data folder look as if the machine had lost power instead.

    powercut_restore.py DATA_DIR SHADOW_DIR

For every undo log the shim left in SHADOW_DIR (``<dev>-<ino>.undo``: the file's size at its
last fsync, then the old bytes of every range written since), it finds the file by inode under
DATA_DIR (or among the shadow's kept links), writes the saved ranges back newest first and
truncates it to its synced size. Then it undoes, newest first, the directory changes made since
each directory's last fsync (``<dev>-<ino>.dir``: C = created, R = renamed, U = unlinked; each
logged before the change, so each is undone only if it took place).
Finally it empties SHADOW_DIR. Prints one line saying what it undid.
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path


def inodes(*roots: Path) -> dict[tuple[int, int], Path]:
    found: dict[tuple[int, int], Path] = {}
    for root in roots:
        for folder, _, names in os.walk(root):
            for name in names:
                path = Path(folder) / name
                st = path.lstat()
                found.setdefault((st.st_dev, st.st_ino), path)
    return found


def undo_log(log: Path) -> tuple[int, list[tuple[int, bytes]]]:
    """(synced size, [(offset, old bytes)] oldest first); a record cut short by the kill is dropped."""
    data = log.read_bytes()
    if len(data) < 12:
        return -1, []  # the kill came between creating the log and writing its header: nothing written yet
    if data[:4] != b"PCU1":
        raise SystemExit(f"powercut: {log} is not an undo log")
    synced = struct.unpack_from("<q", data, 4)[0]
    records, at = [], 12
    while at + 17 <= len(data) and data[at:at + 1] == b"D":
        offset, length = struct.unpack_from("<qq", data, at + 1)
        if at + 17 + length > len(data):
            break
        records.append((offset, data[at + 17:at + 17 + length]))
        at += 17 + length
    return synced, records


def restore(data: Path, shadow: Path) -> str:
    by_inode = inodes(data, shadow)
    files = restored = cut = 0
    for log in sorted(shadow.glob("*.undo")):
        dev, ino = (int(x) for x in log.stem.split("-"))
        path = by_inode.get((dev, ino))
        if path is None:
            continue  # the file is gone (unlinked, its entry durable)
        synced, records = undo_log(log)
        if synced < 0:
            continue
        fd = os.open(path, os.O_RDWR)
        try:
            for offset, old in reversed(records):
                os.pwrite(fd, old, offset)
                restored += len(old)
            size = os.fstat(fd).st_size
            cut += max(0, size - synced)
            os.ftruncate(fd, synced)
        finally:
            os.close(fd)
        files += 1
    changes = []
    for log in shadow.glob("*.dir"):
        for line in log.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sequence, op, rest = line.split(" ", 2)
                changes.append((int(sequence), op, rest.split("\t")))
    undone = 0
    for _, op, args in sorted(changes, key=lambda c: c[0], reverse=True):
        if op == "C" and os.path.lexists(args[0]):
            os.unlink(args[0])
        elif op == "R":  # logged before the rename: undone only if it happened
            source, target, kept = args
            if os.path.lexists(target) and not os.path.lexists(source):
                os.rename(target, source)
                if kept != "-" and os.path.lexists(kept):
                    os.rename(kept, target)
        elif op == "U":
            path, kept = args
            if not os.path.lexists(path) and os.path.lexists(kept):
                os.rename(kept, path)
        undone += 1
    for leftover in shadow.iterdir():
        leftover.unlink()
    return (f"power cut: {files} files rolled back to their last fsync ({restored} bytes restored, {cut} bytes of "
            f"unsynced growth cut), {undone} directory changes without a directory fsync undone")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(restore(Path(sys.argv[1]), Path(sys.argv[2])))
