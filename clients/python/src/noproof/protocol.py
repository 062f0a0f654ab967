"""The NoProof wire protocol, version 1 (docs/PROTOCOL.md): preface, frame header, frame types.

Plain byte-level helpers with no I/O, used by :class:`noproof.Client` and handy for tests that
speak the protocol by hand.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass

__all__ = [
    "PREFACE",
    "PROTOCOL_VERSION",
    "HEADER_LENGTH",
    "DEFAULT_MAX_FRAME_SIZE",
    "FLAG_END_OK",
    "FrameType",
    "FrameHeader",
    "encode_frame",
    "decode_header",
]

#: The protocol version this client speaks.
PROTOCOL_VERSION = 1
#: The 8 bytes both peers send first: ASCII "NOPROOF" and the version.
PREFACE = b"NOPROOF" + bytes([PROTOCOL_VERSION])
#: Frame header: u32 length, u8 type, u8 flags, u32 call id, all big-endian.
HEADER_LENGTH = 10
#: The servers' default ``max_frame_size`` (payload bytes) until SETTINGS says otherwise.
DEFAULT_MAX_FRAME_SIZE = 4 * 1024 * 1024
#: MESSAGE flag: the call's last message, and the call succeeded (no STATUS follows).
FLAG_END_OK = 0x01

_HEADER = struct.Struct(">IBBI")
_MAX_CALL_ID = 0xFFFF_FFFF


class FrameType(enum.IntEnum):
    """Frame types (docs/PROTOCOL.md section 2)."""

    CALL = 0x01
    MESSAGE = 0x02
    STATUS = 0x03
    CANCEL = 0x04
    PING = 0x05
    PONG = 0x06
    GOAWAY = 0x07
    SETTINGS = 0x08


@dataclass(frozen=True, slots=True)
class FrameHeader:
    """The 10-byte header in front of every frame. ``type`` is the raw byte (it may be unknown)."""

    length: int
    type: int
    flags: int
    call_id: int


def encode_frame(frame_type: FrameType | int, call_id: int, payload: bytes = b"", flags: int = 0) -> bytes:
    """One frame: the 10-byte header followed by ``payload``."""
    if not 0 <= call_id <= _MAX_CALL_ID:
        raise ValueError(f"call id {call_id} is not a u32")
    return _HEADER.pack(len(payload), int(frame_type), flags, call_id) + payload


def decode_header(header: bytes) -> FrameHeader:
    """Parses exactly 10 header bytes."""
    if len(header) != HEADER_LENGTH:
        raise ValueError(f"a frame header is {HEADER_LENGTH} bytes, got {len(header)}")
    length, frame_type, flags, call_id = _HEADER.unpack(header)
    return FrameHeader(length=length, type=frame_type, flags=flags, call_id=call_id)
