"""Checking the audit log's signed tree heads and proofs without trusting the server (docs/AUDIT.md).

An independent implementation of the encodings: the record's chain hash, the RFC 9162 leaf and
node hashes, inclusion and consistency verification, and the Ed25519 signature over a head.
Needs the ``cryptography`` package for the signature.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence

from .messages import AuditRecordFields, ProveRecordResponse, TreeHead

STH_DOMAIN = b"noproof.audit.sth.v1"


def _field(text: str) -> bytes:
    data = text.encode()
    return struct.pack(">I", len(data)) + data


def chain_hash(previous: bytes, record: AuditRecordFields) -> bytes:
    """SHA-256(previous || F("noproof.audit.v1") || I(sequence) || I(at_millis) || the 11 text fields
    [|| F("counterpart") || F(counterpart_unit)])."""
    texts = [record.unit_code, record.credential_id, record.staff, record.action, record.item_code, record.case_reference,
             record.holder_id, record.type_code, record.licence_id, record.result, record.proof_serial]
    data = previous + _field("noproof.audit.v1") + struct.pack(">qq", record.sequence, record.at_millis)
    data += b"".join(_field(t) for t in texts)
    if record.counterpart_unit:
        data += _field("counterpart") + _field(record.counterpart_unit)
    return hashlib.sha256(data).digest()


def leaf_hash(chain: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + chain).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes | None:
    """RFC 9162 section 2.1.3.2: the root a leaf at ``index`` and its ``path`` imply in a tree of ``size``."""
    if index >= size:
        return None
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0 or len(sibling) != 32:
            return None
        if fn & 1 or fn == sn:
            result = _node(sibling, result)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            result = _node(result, sibling)
        fn >>= 1
        sn >>= 1
    return result if sn == 0 else None


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2: the tree of ``first`` leaves is a prefix of the tree of ``second``."""
    if first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = _node(c, fr), _node(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = _node(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


def head_signature_verifies(head: TreeHead, public_key: bytes) -> bool:
    """Ed25519 over "noproof.audit.sth.v1" || tree_size (8 bytes BE) || timestamp_ms (8 bytes BE) || root."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    signed = STH_DOMAIN + struct.pack(">Qq", head.tree_size, head.timestamp_ms) + head.root
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(head.signature, signed)
        return True
    except (InvalidSignature, ValueError):
        return False


def verify_record_proof(proof: ProveRecordResponse, public_key: bytes) -> list[str]:
    """What does not hold in an inclusion proof (an empty list when it holds): the record's fields give
    its chain hash, its leaf and path give the head's root, and the head is signed by ``public_key``."""
    failures = []
    chain = chain_hash(proof.previous_chain_hash, proof.record)
    if chain != proof.chain_hash:
        failures.append("the record's fields do not give its chain hash")
    root = root_from_inclusion(leaf_hash(chain), proof.record.sequence - 1, proof.head.tree_size, list(proof.path))
    if root != proof.head.root:
        failures.append("the audit path does not lead to the signed head's root")
    if not head_signature_verifies(proof.head, public_key):
        failures.append("the head's signature does not verify with the audit key")
    return failures
