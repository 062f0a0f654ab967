"""Offline verification of sealed electronic proofs, and reading/writing proof and key files.

The rule (``Protos/licences.proto``, message ``SealedProof``):

* ``path`` empty: ``signature`` is Ed25519, by the published seal key ``key_id``, over exactly
  the bytes of ``body`` (an encoded :class:`~noproof.messages.ProofBody`).
* ``path`` non-empty: the proof was sealed in a batch of ``batch_size`` proofs. The signature is
  over ``b"NOPROOF-MERKLE-1"`` followed by the 32-byte root of the batch's Merkle tree
  (RFC 9162: leaf = SHA-256(0x00 + body), node = SHA-256(0x01 + left + right), a tree of n > 1
  leaves split at the largest power of two below n); ``path`` holds the sibling hashes from the
  leaf up and ``leaf_index`` the leaf's position, 0-based.

The answer of ``GetProofStatus`` (:meth:`noproof.Client.proof_status`) is signed by the
data-sharing seal key over :func:`proof_status_statement` (docs/PROTOCOL.md, "GetProofStatus");
:func:`verify_proof_status` checks it.

A proof file is the protobuf encoding of ``SealedProof`` (what ``noproof lookup --out`` writes);
a key file is the protobuf encoding of ``GetSealKeysResponse`` (what ``noproof keys --out`` writes).
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterable, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from google.protobuf.message import DecodeError

from .errors import ProofInvalid
from .messages import GetSealKeysResponse, ProofBody, ProofStatusResponse, SealedProof, SealKey

__all__ = [
    "MERKLE_DOMAIN",
    "PROOF_STATUS_DOMAIN",
    "proof_status_statement",
    "verify_proof_status",
    "verify_proof",
    "verify_proof_key",
    "merkle_leaf_hash",
    "merkle_node_hash",
    "merkle_root",
    "merkle_path",
    "merkle_root_from_path",
    "read_proof",
    "write_proof",
    "read_keys",
    "write_keys",
]

#: Prefix of the message signed for a batch, followed by the 32-byte Merkle root.
MERKLE_DOMAIN = b"NOPROOF-MERKLE-1"

#: Prefix of a proof-status statement: the domain tag and a zero byte.
PROOF_STATUS_DOMAIN = b"noproof.proof-status.v1\x00"

Keys = GetSealKeysResponse | Iterable[SealKey]


def merkle_leaf_hash(body: bytes) -> bytes:
    """SHA-256(0x00 + body): the hash of one leaf of a batch."""
    return hashlib.sha256(b"\x00" + body).digest()


def merkle_node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 + left + right): the hash of an inner node."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly below n (n > 1)."""
    k = 1
    while k << 1 < n:
        k <<= 1
    return k


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """The RFC 9162 root over leaf hashes (not bodies); ``leaves`` must not be empty."""
    if not leaves:
        raise ValueError("a Merkle tree needs at least one leaf")
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return merkle_node_hash(merkle_root(leaves[:k]), merkle_root(leaves[k:]))


def merkle_path(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """The RFC 9162 audit path of leaf ``index``: sibling hashes from the leaf up to the root."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf index {index} is outside a tree of {len(leaves)} leaves")
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return merkle_path(leaves[:k], index) + [merkle_root(leaves[k:])]
    return merkle_path(leaves[k:], index - k) + [merkle_root(leaves[:k])]


def merkle_root_from_path(leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes:
    """The root implied by a leaf hash, its index, the tree size and its audit path (RFC 9162 section 2.1.3.2).

    Raises:
        ProofInvalid: when the path cannot belong to a tree of that size.
    """
    if size < 1 or not 0 <= index < size:
        raise ProofInvalid(f"leaf index {index} is outside a batch of {size} proofs")
    fn, sn = index, size - 1
    result = leaf
    for sibling in path:
        if len(sibling) != 32:
            raise ProofInvalid(f"a batch path hash is {len(sibling)} bytes, expected 32")
        if sn == 0:
            raise ProofInvalid(f"the batch path has more hashes than a batch of {size} proofs needs")
        if fn & 1 == 1 or fn == sn:
            result = merkle_node_hash(sibling, result)
            if fn & 1 == 0:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            result = merkle_node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofInvalid(f"the batch path has too few hashes for leaf {index} of a batch of {size} proofs")
    return result


def _key_list(keys: Keys) -> list[SealKey]:
    if isinstance(keys, GetSealKeysResponse):
        return list(keys.keys)
    return list(keys)


def verify_proof_key(proof: SealedProof, keys: Keys) -> tuple[ProofBody, SealKey]:
    """Like :func:`verify_proof`, but also returns the seal key that verified the proof."""
    by_id: dict[str, SealKey] = {}
    for published in _key_list(keys):
        by_id.setdefault(published.key_id, published)
    key = by_id.get(proof.key_id)
    if key is None:
        known = ", ".join(sorted(by_id)) or "none"
        raise ProofInvalid(f"unknown seal key '{proof.key_id}' (published keys: {known}); fetch the current keys with GetSealKeys")
    if key.algorithm not in ("", "Ed25519"):
        raise ProofInvalid(f"seal key '{key.key_id}' uses algorithm '{key.algorithm}'; this client verifies Ed25519 seals only")
    try:
        public_key = Ed25519PublicKey.from_public_bytes(key.public_key)
    except ValueError:
        raise ProofInvalid(f"published seal key '{key.key_id}' is not an Ed25519 public key ({len(key.public_key)} bytes)") from None

    body = bytes(proof.body)
    if not proof.path:
        if proof.batch_size > 1:
            raise ProofInvalid(f"the proof claims a batch of {proof.batch_size} proofs but carries no batch path")
        signed = body
    else:
        root = merkle_root_from_path(merkle_leaf_hash(body), proof.leaf_index, proof.batch_size, list(proof.path))
        signed = MERKLE_DOMAIN + root
    try:
        public_key.verify(bytes(proof.signature), signed)
    except InvalidSignature:
        raise ProofInvalid(f"the seal does not match the proof: it was altered or not sealed by key '{key.key_id}'") from None
    try:
        decoded = ProofBody.FromString(body)
    except DecodeError as error:
        raise ProofInvalid(f"the sealed proof body is not a ProofBody: {error}") from None
    return decoded, key


def verify_proof(proof: SealedProof, keys: Keys) -> ProofBody:
    """Checks a proof's seal against the published seal keys, offline.

    Args:
        proof: the sealed proof (from :meth:`noproof.Client.lookup` or :func:`read_proof`).
        keys: the published keys: a ``GetSealKeysResponse`` (from :meth:`noproof.Client.get_seal_keys`
            or :func:`read_keys`) or any iterable of ``SealKey``.

    Returns:
        The decoded :class:`~noproof.messages.ProofBody`: what the proof attests.

    Raises:
        ProofInvalid: the seal does not hold; ``reason`` says why.
    """
    return verify_proof_key(proof, keys)[0]


def proof_status_statement(answer: ProofStatusResponse) -> bytes:
    """The bytes the server signs for a ``GetProofStatus`` answer.

    ``PROOF_STATUS_DOMAIN``, then proof_digest, proof_serial, licence_id, proof_version, status,
    current_version, changed_at_millis, reason, checked_at_millis: strings and bytes as a 4-byte
    big-endian length and the (UTF-8) bytes, uint32 as 4 bytes and int64 as 8 bytes big-endian.
    """
    def blob(value: bytes) -> bytes:
        return struct.pack(">I", len(value)) + value

    return (PROOF_STATUS_DOMAIN
            + blob(bytes(answer.proof_digest)) + blob(answer.proof_serial.encode()) + blob(answer.licence_id.encode())
            + struct.pack(">I", answer.proof_version) + blob(answer.status.encode())
            + struct.pack(">I", answer.current_version) + struct.pack(">q", answer.changed_at_millis)
            + blob(answer.reason.encode()) + struct.pack(">q", answer.checked_at_millis))


def verify_proof_status(answer: ProofStatusResponse, proof: SealedProof, keys: Keys) -> ProofStatusResponse:
    """Checks that a ``GetProofStatus`` answer is signed by a published data-sharing key and is about ``proof``.

    Returns the answer; ``answer.status == "valid"`` means the proof still holds.

    Raises:
        ProofInvalid: the signature does not hold, the key is not a data-sharing key, or the
            answer is about another proof.
    """
    key = next((k for k in _key_list(keys) if k.key_id == answer.key_id), None)
    if key is None:
        raise ProofInvalid(f"the status answer is signed by unknown key '{answer.key_id}'")
    if key.seal_kind != "data-sharing":
        raise ProofInvalid(f"the status answer is signed by the {key.seal_kind} key, not the data-sharing key")
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(bytes(answer.signature), proof_status_statement(answer))
    except (InvalidSignature, ValueError):
        raise ProofInvalid(f"the status answer's signature does not hold for key '{key.key_id}'") from None
    if bytes(answer.proof_digest) != hashlib.sha256(bytes(proof.body)).digest():
        raise ProofInvalid("the status answer is about another proof")
    return answer


def read_proof(path: str | os.PathLike[str]) -> SealedProof:
    """Reads a proof file (the protobuf encoding of ``SealedProof``, as ``noproof lookup --out`` saves it).

    Raises:
        ProofInvalid: the file is not a proof file.
        OSError: the file cannot be read.
    """
    with open(path, "rb") as file:
        data = file.read()
    try:
        return SealedProof.FromString(data)
    except DecodeError as error:
        raise ProofInvalid(f"{os.fspath(path)} is not a NoProof proof file: {error}") from None


def write_proof(proof: SealedProof, path: str | os.PathLike[str]) -> None:
    """Saves a proof as ``noproof lookup --out`` does; ``noproof verify FILE`` can check it."""
    with open(path, "wb") as file:
        file.write(proof.SerializeToString())


def read_keys(path: str | os.PathLike[str]) -> GetSealKeysResponse:
    """Reads a key file (an encoded ``GetSealKeysResponse``, as ``noproof keys --out`` saves it).

    Raises:
        ValueError: the file is not a key file.
        OSError: the file cannot be read.
    """
    with open(path, "rb") as file:
        data = file.read()
    try:
        return GetSealKeysResponse.FromString(data)
    except DecodeError as error:
        raise ValueError(f"{os.fspath(path)} is not a NoProof seal-key file: {error}") from None


def write_keys(keys: GetSealKeysResponse, path: str | os.PathLike[str]) -> None:
    """Saves the published keys as ``noproof keys --out`` does, for offline verification later."""
    with open(path, "wb") as file:
        file.write(keys.SerializeToString())
