"""Connection-hygiene figures (docs/RELIABILITY.md): run against a noproofd started by the caller.

  hygiene_figures.py partial PORT PID [--count 100] [--authenticate ID:SECRET]
      opens COUNT connections each holding an unfinished 4 MiB frame; prints the server's RSS
      before and while holding them, and how many were refused with GOAWAY.
  hygiene_figures.py connections PORT --count N
      opens N connections (preface each); prints how many got SETTINGS, GOAWAY, or nothing in 5 s.
  hygiene_figures.py flood PORT --victim ID:SECRET --target CREDENTIAL_ID [--attempts 512] [--connections 8]
      floods wrong secrets for TARGET while the victim makes health checks and method listings
      on its own authenticated connection; prints the victim's latencies and the flood's codes.
"""
from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "clients/python/src"))
from noproof import Client  # noqa: E402
from noproof._pb import rpc_pb2, session_pb2  # noqa: E402

PREFACE = b"NOPROOF\x01"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise SystemExit("no VmRSS")


def frame(frame_type: int, call_id: int, payload: bytes) -> bytes:
    return struct.pack(">IBBI", len(payload), frame_type, 0, call_id) + payload


def read_frames(sock: socket.socket, timeout: float) -> list[tuple[int, bytes]]:
    """Frames received within `timeout` (after the server preface)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            if len(data) >= 8 + 10:
                # Enough for our purposes once one frame after the preface is complete.
                length = struct.unpack(">I", data[8:12])[0]
                if len(data) >= 18 + length:
                    break
    except (socket.timeout, ConnectionResetError):
        pass
    frames = []
    rest = data[8:]
    while len(rest) >= 10:
        length, kind = struct.unpack(">IB", rest[:5])
        if len(rest) < 10 + length:
            break
        frames.append((kind, rest[10:10 + length]))
        rest = rest[10 + length:]
    return frames


def goaway_message(payload: bytes) -> str:
    message = rpc_pb2.GoAway()
    message.ParseFromString(payload)
    return f"{message.code} {message.message}"


def authenticate_call(credential: str) -> bytes:
    credential_id, secret = credential.split(":", 1)
    request = session_pb2.AuthenticateRequest(credential_id=credential_id, secret=secret).SerializeToString()
    header = rpc_pb2.CallHeader(method="/noproof.v1.Session/Authenticate", payload=request).SerializeToString()
    return frame(0x01, 1, header)


def partial(arguments: argparse.Namespace) -> None:
    before = rss_kib(arguments.pid)
    size = 4 * 1024 * 1024 - 64
    body = b"\x00" * (size - 1024)  # all but the last KiB
    sockets, refused, reasons = [], 0, set()
    for _ in range(arguments.count):
        sock = socket.create_connection(("127.0.0.1", arguments.port))
        sock.sendall(PREFACE + (authenticate_call(arguments.authenticate) if arguments.authenticate else b""))
        frames = read_frames(sock, 2.0)  # SETTINGS (and the Authenticate answer)
        if arguments.authenticate and len(frames) < 2:
            sock.settimeout(5)
            more = sock.recv(65536)
        try:
            sock.sendall(struct.pack(">IBBI", size, 0x01, 0, 3))
            sock.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        sockets.append(sock)
    time.sleep(2)
    held = rss_kib(arguments.pid)
    for sock in sockets:
        sock.setblocking(False)
        try:
            data = sock.recv(1 << 20)
            if b"quota" in data or b"has not authenticated" in data:
                refused += 1
                reasons.add("quota" if b"quota" in data else "unauthenticated frame limit")
        except (BlockingIOError, ConnectionResetError):
            pass
    print(f"partial frames: {arguments.count} connections x unfinished 4 MiB frame; server RSS {before / 1024:.0f} MiB before, "
          f"{held / 1024:.0f} MiB holding them (+{(held - before) / 1024:.0f} MiB); refused with GOAWAY: {refused} {sorted(reasons)}")
    for sock in sockets:
        sock.close()


def connections(arguments: argparse.Namespace) -> None:
    sockets, settings, goaways, silent, failed = [], 0, 0, 0, 0
    messages = set()
    for _ in range(arguments.count):
        try:
            sock = socket.create_connection(("127.0.0.1", arguments.port), timeout=5)
            sock.sendall(PREFACE)
            sockets.append(sock)
        except OSError:
            failed += 1
    for sock in sockets:
        frames = read_frames(sock, 5.0 if silent == 0 else 0.2)
        if frames and frames[0][0] == 0x08:
            settings += 1
        elif frames and frames[0][0] == 0x07:
            goaways += 1
            messages.add(goaway_message(frames[0][1]))
        else:
            silent += 1
    print(f"connections: {arguments.count} opened: {settings} got SETTINGS, {goaways} GOAWAY {sorted(messages)}, "
          f"{silent} no answer, {failed} could not connect")
    for sock in sockets:
        sock.close()


async def flood(arguments: argparse.Namespace) -> None:
    victim_id, victim_secret = arguments.victim.split(":", 1)
    victim = await Client.connect("127.0.0.1", arguments.port, credential=(victim_id, victim_secret))
    idle = []
    for _ in range(20):
        started = time.monotonic()
        await victim.list_methods()
        idle.append(time.monotonic() - started)
    attackers = [await Client.connect("127.0.0.1", arguments.port) for _ in range(arguments.connections)]
    codes: dict[str, int] = {}

    async def attempt(client: Client) -> None:
        try:
            await client.authenticate(arguments.target, "wrong-secret", timeout=120)
            codes["OK"] = codes.get("OK", 0) + 1
        except Exception as error:  # noqa: BLE001 - we count whatever status comes back
            name = getattr(getattr(error, "code", None), "name", type(error).__name__)
            codes[name] = codes.get(name, 0) + 1

    per = arguments.attempts // arguments.connections
    started = time.monotonic()
    task = asyncio.gather(*(attempt(a) for a in attackers for _ in range(per)))
    during = []
    while not task.done():
        t = time.monotonic()
        await victim.list_methods(timeout=120)
        during.append(time.monotonic() - t)
    await task
    took = time.monotonic() - started
    print(f"auth flood: {per * arguments.connections} wrong secrets on {arguments.connections} connections, answered in {took:.1f} s: {codes}")
    print(f"  unrelated unit's ListMethods before: median {statistics.median(idle) * 1000:.1f} ms; during the flood: "
          f"{len(during)} calls, median {statistics.median(during) * 1000:.1f} ms, max {max(during) * 1000:.0f} ms")
    for client in attackers + [victim]:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["partial", "connections", "flood"])
    parser.add_argument("port", type=int)
    parser.add_argument("pid", type=int, nargs="?")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--authenticate")
    parser.add_argument("--victim")
    parser.add_argument("--target")
    parser.add_argument("--attempts", type=int, default=512)
    parser.add_argument("--connections", type=int, default=8)
    arguments = parser.parse_args()
    if arguments.what == "partial":
        partial(arguments)
    elif arguments.what == "connections":
        connections(arguments)
    else:
        asyncio.run(flood(arguments))


if __name__ == "__main__":
    main()
