#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the fuzz corpus (Tests/Fuzz/corpus/<target>/seed-*).

Valid protobuf encodings of a few messages (field numbers from Protos/*.proto) and a few valid
frame streams. The rest of the corpus is what libFuzzer found and `scripts/fuzz.sh --grow` merged.
Run from anywhere: python3 Tests/Fuzz/make-seeds.py
"""
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def u(num, value):  # varint field
    return varint(num << 3) + varint(value)


def s(num, value):  # length-delimited field (string, bytes, message)
    if isinstance(value, str):
        value = value.encode("utf-8")
    return varint(num << 3 | 2) + varint(len(value)) + value


# The codec target's first byte picks the message type: its index in CodecFuzz.swift's table.
with open(os.path.join(HERE, "CodecFuzz.swift"), encoding="utf-8") as f:
    TYPES = re.findall(r'^    \("([A-Za-z.]+)", \{', f.read(), re.M)

purpose = s(1, "ITEM-0001") + s(2, "CASE-2026-42")
licence = (s(1, "L-0001") + s(2, "BL") + s(3, "91350100M000100Y43") + s(4, "厦门示例有限公司")
           + s(5, "350100") + s(6, "市场监督管理局") + s(7, "2024-01-02") + s(8, "2024-01-02") + s(9, "2034-01-01"))
metadata = s(4, s(1, "x-request-id") + s(2, "42")) + s(4, s(1, "lang") + s(2, "zh-CN"))
call_header = s(1, "/noproof.v1.Health/Check") + u(2, 1) + u(3, 5_000_000) + metadata + s(5, b"\x0a\x00")
method = s(1, "/noproof.v1.Licences/Lookup") + u(2, 2) + s(4, "noproof.v1.LookupRequest") + s(5, "noproof.v1.LookupResponse")

CODEC = {
    "CallHeader": call_header,
    "CallStatus": u(1, 5) + s(2, "licence not found: 证照不存在") + s(3, s(1, "retry-after") + s(2, "1")),
    "GoAway": u(1, 7) + u(2, 14) + s(3, "server is shutting down"),
    "AuthenticateRequest": s(1, "cred-350100-01") + s(2, "c2VjcmV0"),
    "ListMethodsResponse": s(1, method) + s(1, s(1, "/noproof.v1.Health/Check") + u(2, 1)),
    "LookupRequest": s(1, "350102199003077777") + s(2, "ID") + s(3, purpose),
    "ProofBody": s(1, "P-2026-000001") + s(2, "ed25519") + s(3, licence) + s(4, purpose) + s(5, "350100-01") + s(6, "窗口"),
    "SealedProof": s(1, s(1, "P-1") + s(3, licence)) + s(2, "key-1") + s(3, bytes(64)) + u(4, 3) + u(5, 8)
                   + s(6, bytes(range(32))) + s(6, bytes(32)),
    "ImportLicencesRequest": s(1, licence) + s(1, s(1, "L-0002") + s(2, "ID")),
    "FileVerificationRequest": s(1, "req-1") + s(2, "350100") + s(3, "BL") + s(4, "91350100M000100Y43")
                               + s(5, "示例") + s(6, s(1, "name") + s(2, "值")) + s(7, purpose),
    "AnswerVerificationRequest": s(1, "V-1") + s(2, "CONFIRMED") + s(3, licence) + s(4, "ok"),
    "SaveDraftRequest": s(1, "350100-01") + u(2, 3) + s(3, s(1, "ITEM-1") + s(2, "开办") + s(3, "ADMINISTRATIVE_LICENSING")
                                                      + u(4, 20) + s(6, s(1, "BL"))),
}


def frame(ftype, call_id, payload=b"", flags=0):
    return struct.pack(">IBBI", len(payload), ftype, flags, call_id) + payload


CALL, MESSAGE, STATUS, CANCEL, PING, PONG, GOAWAY, SETTINGS = range(1, 9)
# Frame target input: [split seed][maxPayload choice] + stream.
FRAME = {
    "health-call": b"\x00\x00" + frame(CALL, 1, call_header),
    "lookup-unauthenticated": b"\x05\x00" + frame(CALL, 1, s(1, "/noproof.v1.Licences/Lookup") + u(2, 2)),
    "ping-cancel-goaway": b"\x03\x00" + frame(PING, 0, b"12345678") + frame(CALL, 3, u(2, 1)) + frame(CANCEL, 3)
                          + frame(GOAWAY, 0, u(1, 3)),
    "split-bytewise": b"\x01\x00" + frame(CALL, 1, call_header) + frame(MESSAGE, 1, b"\x0a\x02hi"),
    "too-large-for-64": b"\x00\x03" + frame(CALL, 1, bytes(65)),
    "truncated": b"\x07\x00" + frame(CALL, 1, call_header)[:-3],
    "unknown-type": b"\x00\x00" + frame(PONG, 0, b"12345678") + struct.pack(">IBBI", 0, 0x42, 0, 1),
}


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


for name, payload in CODEC.items():
    write("codec", name, bytes([TYPES.index(name)]) + payload)
for name, stream in FRAME.items():
    write("frame", name, stream)
print(f"wrote {len(CODEC)} codec and {len(FRAME)} frame seeds")
