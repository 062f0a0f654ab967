"""The wire protocol byte by byte against a real noproofd, exactly as docs/PROTOCOL.md describes it."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from conftest import CREDENTIAL, ITEM, Server

from noproof.messages import (
    AuthenticateRequest,
    AuthenticateResponse,
    CallHeader,
    CallStatus,
    GoAway,
    HealthCheckResponse,
    ListMethodsResponse,
    LookupRequest,
    MetadataEntry,
    Purpose,
    ServerSettings,
)
from noproof.protocol import FLAG_END_OK, PREFACE, FrameType, encode_frame


class Peer:
    """A blocking socket speaking raw frames."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def recv_exactly(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError(f"connection closed after {len(data)} of {n} bytes: {data.hex(' ')}")
            data += chunk
        return data

    def frame(self) -> tuple[int, int, int, bytes]:
        """The next frame as (type, flags, call id, payload)."""
        length, frame_type, flags, call_id = struct.unpack(">IBBI", self.recv_exactly(10))
        return frame_type, flags, call_id, self.recv_exactly(length)

    def frame_skipping_pings(self) -> tuple[int, int, int, bytes]:
        while True:
            frame = self.frame()
            if frame[0] != FrameType.PING:
                return frame

    def at_eof(self) -> bool:
        """True when the server has closed the connection (after any bytes still to read are drained)."""
        while True:
            try:
                chunk = self.sock.recv(4096)
            except ConnectionResetError:
                return True
            if not chunk:
                return True

    def call(self, call_id: int, header: CallHeader) -> None:
        self.send(encode_frame(FrameType.CALL, call_id, header.SerializeToString()))


@contextmanager
def raw(server: Server) -> Iterator[Peer]:
    sock = socket.create_connection((server.host, server.port), timeout=15)
    try:
        yield Peer(sock)
    finally:
        sock.close()


@contextmanager
def session(server: Server, authenticate: bool = False) -> Iterator[Peer]:
    """A connection past the preface exchange (and authenticated with call id 1 when asked)."""
    with raw(server) as peer:
        peer.send(PREFACE)
        assert peer.recv_exactly(8) == PREFACE
        frame_type, flags, call_id, payload = peer.frame()
        assert (frame_type, flags, call_id) == (FrameType.SETTINGS, 0, 0)
        ServerSettings.FromString(payload)
        if authenticate:
            request = AuthenticateRequest(credential_id=CREDENTIAL[0], secret=CREDENTIAL[1])
            peer.call(1, CallHeader(method="/noproof.v1.Session/Authenticate", payload=request.SerializeToString()))
            frame_type, flags, call_id, payload = peer.frame_skipping_pings()
            assert (frame_type, flags, call_id) == (FrameType.MESSAGE, FLAG_END_OK, 1)
            AuthenticateResponse.FromString(payload)
        yield peer


def expect_goaway(peer: Peer, code: int, message_part: str) -> GoAway:
    frame_type, flags, call_id, payload = peer.frame_skipping_pings()
    assert (frame_type, flags, call_id) == (FrameType.GOAWAY, 0, 0), payload
    goaway = GoAway.FromString(payload)
    assert goaway.code == code, goaway
    assert message_part in goaway.message, goaway
    assert peer.at_eof()
    return goaway


def expect_status(peer: Peer, call_id: int, code: int) -> CallStatus:
    frame_type, flags, got_id, payload = peer.frame_skipping_pings()
    assert (frame_type, got_id) == (FrameType.STATUS, call_id), (frame_type, got_id, payload)
    status = CallStatus.FromString(payload)
    assert status.code == code, status
    return status


def test_preface_and_settings(server: Server) -> None:
    with session(server) as peer:
        assert peer.sock is not None


def test_section_2_example_health_check_bytes(server: Server) -> None:
    example = bytes.fromhex(
        "0000001a 01 00 00000001"
        "0a18 2f6e6f70726f6f662e76312e4865616c74682f436865636b"
    )
    assert example == encode_frame(FrameType.CALL, 1, CallHeader(method="/noproof.v1.Health/Check").SerializeToString())
    with session(server) as peer:
        peer.send(example)
        frame_type, flags, call_id, payload = peer.frame()
        assert (frame_type, flags, call_id) == (FrameType.MESSAGE, FLAG_END_OK, 1)
        assert HealthCheckResponse.FromString(payload).status == HealthCheckResponse.SERVING


def test_frames_pipelined_right_after_the_preface(server: Server) -> None:
    with raw(server) as peer:
        peer.send(PREFACE + encode_frame(FrameType.CALL, 7, CallHeader(method_id=1).SerializeToString()))
        assert peer.recv_exactly(8) == PREFACE
        assert peer.frame()[0] == FrameType.SETTINGS
        frame_type, flags, call_id, _ = peer.frame()
        assert (frame_type, flags, call_id) == (FrameType.MESSAGE, FLAG_END_OK, 7)


def test_section_7_list_methods_by_id_bytes(server: Server) -> None:
    call_2 = bytes.fromhex("00000002 01 00 00000002 1002")
    with session(server) as peer:
        peer.send(call_2)  # before authenticating: refused, connection stays
        status = expect_status(peer, 2, 16)
        assert "Authenticate" in status.message
    with session(server, authenticate=True) as peer:
        peer.send(call_2)
        frame_type, flags, call_id, payload = peer.frame_skipping_pings()
        assert (frame_type, flags, call_id) == (FrameType.MESSAGE, FLAG_END_OK, 2)
        assert len(ListMethodsResponse.FromString(payload).methods) >= 3
        peer.send(encode_frame(FrameType.GOAWAY, 0, GoAway(code=0).SerializeToString()))
        assert peer.at_eof()


@pytest.mark.parametrize("preface", [b"HTTP/1.1", b"NOPROOX\x01", b"\x00" * 8])
def test_wrong_preface_gets_goaway_invalid_argument(server: Server, preface: bytes) -> None:
    with raw(server) as peer:
        peer.send(preface)
        assert peer.recv_exactly(8) == PREFACE  # the server still sends its preface
        goaway = expect_goaway(peer, 3, "not a NoProof client")
        assert goaway.last_call_id == 0


@pytest.mark.parametrize("version", [0, 2, 255])
def test_other_version_gets_goaway_failed_precondition(server: Server, version: int) -> None:
    with raw(server) as peer:
        peer.send(b"NOPROOF" + bytes([version]))
        assert peer.recv_exactly(8) == PREFACE
        goaway = expect_goaway(peer, 9, f"protocol version {version} is not supported")
        assert goaway.message == f"protocol version {version} is not supported; this server speaks version 1"


def test_ping_is_answered_with_pong(server: Server) -> None:
    with session(server) as peer:
        peer.send(encode_frame(FrameType.PING, 0, b"\x01\x02\x03\x04\x05\x06\x07\x08"))
        assert peer.frame() == (FrameType.PONG, 0, 0, b"\x01\x02\x03\x04\x05\x06\x07\x08")


def test_cancel_of_a_call_not_open_is_ignored(server: Server) -> None:
    with session(server) as peer:
        peer.send(encode_frame(FrameType.CANCEL, 99))
        peer.send(encode_frame(FrameType.CALL, 3, CallHeader(method_id=1).SerializeToString()))
        assert peer.frame()[:3] == (FrameType.MESSAGE, FLAG_END_OK, 3)


def test_call_level_refusals_keep_the_connection(server: Server) -> None:
    with session(server) as peer:
        peer.send(encode_frame(FrameType.CALL, 1, b"\xff\xff\xff"))  # not a CallHeader
        expect_status(peer, 1, 3)
        peer.call(2, CallHeader(method="/noproof.v1.Nope/Nope"))
        assert "unknown method" in expect_status(peer, 2, 12).message
        peer.call(3, CallHeader(method_id=1, payload=b"\x0a\x02\xc3\x28"))  # service: invalid UTF-8
        expect_status(peer, 3, 3)
        peer.call(4, CallHeader(method_id=1))
        assert peer.frame()[:3] == (FrameType.MESSAGE, FLAG_END_OK, 4)


@pytest.mark.parametrize(
    ("frame", "code", "message_part"),
    [
        (struct.pack(">IBBI", 0x7FFF_FFFF, FrameType.CALL, 0, 1), 8, ""),
        (encode_frame(0x09, 0, b""), 12, ""),
        (encode_frame(0x7F, 1, b"abc"), 12, ""),
        (encode_frame(FrameType.CALL, 0, CallHeader(method_id=1).SerializeToString()), 3, "call id 0"),
        (encode_frame(FrameType.CANCEL, 0), 3, "call id 0"),
        (encode_frame(FrameType.MESSAGE, 1, b""), 3, "MESSAGE"),
        (encode_frame(FrameType.STATUS, 1, b""), 3, "STATUS"),
        (encode_frame(FrameType.SETTINGS, 0, b""), 3, "SETTINGS"),
        (encode_frame(FrameType.PING, 0, b"1234567"), 3, "8 bytes"),
    ],
    ids=["oversize", "unknown-type-9", "unknown-type-7f", "call-id-0", "cancel-id-0", "client-message",
         "client-status", "client-settings", "ping-7-bytes"],
)
def test_connection_level_protocol_errors(server: Server, frame: bytes, code: int, message_part: str) -> None:
    with session(server) as peer:
        peer.send(frame)
        expect_goaway(peer, code, message_part)


def _lookup_header(server: Server, case: str) -> CallHeader:
    holder = server.holders[0]
    request = LookupRequest(holder_id=holder.holder_id, type_code=holder.type_code,
                            purpose=Purpose(item_code=ITEM, case_reference=case))
    # The system credential names the acting staff member, who must be registered on the unit.
    return CallHeader(method_id=10, payload=request.SerializeToString(), metadata=[MetadataEntry(key="staff", value="agent-0001")])


def test_client_goaway_with_an_open_call_finishes_it_then_closes(server: Server) -> None:
    with session(server, authenticate=True) as peer:
        peer.sock.settimeout(3)
        # Lookup answers asynchronously (after its audit record is written): it is open when GOAWAY arrives.
        peer.send(encode_frame(FrameType.CALL, 2, _lookup_header(server, "CASE-GOAWAY").SerializeToString())
                  + encode_frame(FrameType.GOAWAY, 0, GoAway(code=0).SerializeToString()))
        assert peer.frame_skipping_pings()[:3] == (FrameType.MESSAGE, FLAG_END_OK, 2)
        try:
            closed = peer.at_eof()
        except TimeoutError:
            closed = False
        assert closed, "the server did not close the connection after the client's GOAWAY and the last answer"


def test_duplicate_call_id_of_an_open_call(server: Server) -> None:
    with session(server, authenticate=True) as peer:
        frame = encode_frame(FrameType.CALL, 5, _lookup_header(server, "CASE-DUP").SerializeToString())
        peer.send(frame + frame)
        expect_goaway(peer, 3, "duplicate call id 5")


def test_server_enforces_timeout_micros(server: Server) -> None:
    with session(server, authenticate=True) as peer:
        header = _lookup_header(server, "CASE-DEADLINE-RAW")
        header.timeout_micros = 1
        peer.call(6, header)
        frame_type, _, call_id, payload = peer.frame_skipping_pings()
        # Either the server's deadline timer or the answer wins; with 1 µs it is the timer.
        assert call_id == 6
        if frame_type == FrameType.STATUS:
            assert CallStatus.FromString(payload).code == 4


def test_method_id_wins_over_method(server: Server) -> None:
    with session(server) as peer:
        peer.call(7, CallHeader(method="/noproof.v1.Nothing/Here", method_id=1))
        assert peer.frame()[:3] == (FrameType.MESSAGE, FLAG_END_OK, 7)


def test_nul_in_a_request_string_names_the_field(server: Server) -> None:
    with session(server, authenticate=True) as peer:
        request = LookupRequest(holder_id="3704\x00", type_code="JMSFZ")
        peer.call(8, CallHeader(method_id=10, payload=request.SerializeToString()))
        assert "holder_id" in expect_status(peer, 8, 3).message


def test_half_close_between_frames_answers_then_closes(server: Server) -> None:
    with session(server) as peer:
        peer.call(5, CallHeader(method_id=1))
        peer.sock.shutdown(socket.SHUT_WR)
        assert peer.frame()[:3] == (FrameType.MESSAGE, FLAG_END_OK, 5)
        assert peer.at_eof()


def test_half_close_mid_frame_is_a_truncated_frame(server: Server) -> None:
    with session(server) as peer:
        peer.send(encode_frame(FrameType.CALL, 5, CallHeader(method_id=1).SerializeToString())[:11])
        peer.sock.shutdown(socket.SHUT_WR)
        expect_goaway(peer, 3, "truncated")
