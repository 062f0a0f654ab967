"""Offline proof verification: single seals, RFC 9162 batch seals, and agreement with the Swift `noproof verify`."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from conftest import REPO_ROOT
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

import noproof
from noproof.messages import GetSealKeysResponse, Licence, ProofBody, Purpose, SealedProof, SealKey
from noproof.proofs import (
    MERKLE_DOMAIN,
    merkle_leaf_hash,
    merkle_path,
    merkle_root,
    merkle_root_from_path,
)

# RFC 6962 / Certificate Transparency reference vectors: the roots of the first n of these leaves.
CT_LEAVES = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43", bytes(range(0x50, 0x58)), bytes(range(0x60, 0x70))]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

KEY_ID = "data-sharing-test0000000000"


@pytest.fixture(scope="module")
def signer() -> tuple[Ed25519PrivateKey, GetSealKeysResponse]:
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    keys = GetSealKeysResponse(keys=[SealKey(key_id=KEY_ID, seal_kind="data-sharing", name_zh="测试章", algorithm="Ed25519",
                                             public_key=public, valid_from_millis=0, valid_to_millis=0)])
    return private, keys


def body(i: int) -> bytes:
    return ProofBody(
        proof_serial=f"TEST-{i}", seal_kind="data-sharing",
        licence=Licence(licence_id=f"1.2.156.3005.2.TEST.X.{i}", type_code="TEST", holder_id=f"holder-{i}",
                        holder_name="测试", status="valid", version=1),
        purpose=Purpose(item_code="ITEM", case_reference=f"CASE-{i}"), extracted_at_millis=1_700_000_000_000 + i,
    ).SerializeToString()


def seal_single(private: Ed25519PrivateKey, data: bytes) -> SealedProof:
    return SealedProof(body=data, key_id=KEY_ID, signature=private.sign(data))


def seal_batch(private: Ed25519PrivateKey, bodies: list[bytes]) -> list[SealedProof]:
    leaves = [merkle_leaf_hash(b) for b in bodies]
    signature = private.sign(MERKLE_DOMAIN + merkle_root(leaves))
    return [SealedProof(body=b, key_id=KEY_ID, signature=signature, leaf_index=i, batch_size=len(bodies),
                        path=merkle_path(leaves, i)) for i, b in enumerate(bodies)]


def test_merkle_roots_match_the_rfc_6962_vectors() -> None:
    leaves = [merkle_leaf_hash(x) for x in CT_LEAVES]
    for n, expected in enumerate(CT_ROOTS, start=1):
        assert merkle_root(leaves[:n]).hex() == expected


def test_every_path_of_trees_up_to_33_leaves_leads_to_the_root() -> None:
    leaves = [merkle_leaf_hash(bytes([i])) for i in range(33)]
    for size in range(1, 34):
        root = merkle_root(leaves[:size])
        for index in range(size):
            path = merkle_path(leaves[:size], index)
            assert merkle_root_from_path(leaves[index], index, size, path) == root


def test_single_proof(signer: tuple[Ed25519PrivateKey, GetSealKeysResponse]) -> None:
    private, keys = signer
    proof = seal_single(private, body(1))
    assert noproof.verify_proof(proof, keys).proof_serial == "TEST-1"
    assert noproof.verify_proof(proof, list(keys.keys)).proof_serial == "TEST-1"


@pytest.mark.parametrize("size", [2, 3, 5, 7, 8, 13])
def test_batch_proofs(signer: tuple[Ed25519PrivateKey, GetSealKeysResponse], size: int) -> None:
    private, keys = signer
    for i, proof in enumerate(seal_batch(private, [body(i) for i in range(size)])):
        assert noproof.verify_proof(proof, keys).purpose.case_reference == f"CASE-{i}"


def _tamper(proof: SealedProof, how: str) -> SealedProof:
    bad = SealedProof()
    bad.CopyFrom(proof)
    if how == "body":
        bad.body = proof.body[:-1] + bytes([proof.body[-1] ^ 1])
    elif how == "signature":
        bad.signature = bytes([proof.signature[0] ^ 1]) + proof.signature[1:]
    elif how == "path-hash":
        bad.path[0] = bytes([proof.path[0][0] ^ 1]) + proof.path[0][1:]
    elif how == "leaf-index":
        bad.leaf_index = (proof.leaf_index + 1) % proof.batch_size
    elif how == "batch-size":
        bad.batch_size = 3  # a tree of another shape: the path cannot fit it
    elif how == "path-dropped":
        del bad.path[-1]
    elif how == "path-extra":
        bad.path.append(b"\x00" * 32)
    elif how == "path-short-hash":
        bad.path[0] = proof.path[0][:31]
    elif how == "index-out-of-range":
        bad.leaf_index = proof.batch_size
    elif how == "unknown-key":
        bad.key_id = "no-such-key"
    else:
        raise AssertionError(how)
    return bad


BATCH_TAMPERINGS = ["body", "signature", "path-hash", "leaf-index", "batch-size", "path-dropped", "path-extra",
                    "path-short-hash", "index-out-of-range", "unknown-key"]


@pytest.mark.parametrize("how", BATCH_TAMPERINGS)
def test_tampered_batch_proofs_are_rejected(signer: tuple[Ed25519PrivateKey, GetSealKeysResponse], how: str) -> None:
    private, keys = signer
    proof = seal_batch(private, [body(i) for i in range(7)])[2]
    with pytest.raises(noproof.ProofInvalid):
        noproof.verify_proof(_tamper(proof, how), keys)


@pytest.mark.parametrize("how", ["body", "signature", "unknown-key"])
def test_tampered_single_proofs_are_rejected(signer: tuple[Ed25519PrivateKey, GetSealKeysResponse], how: str) -> None:
    private, keys = signer
    with pytest.raises(noproof.ProofInvalid):
        noproof.verify_proof(_tamper(seal_single(private, body(1)), how), keys)


def test_batch_size_without_a_path_is_rejected(signer: tuple[Ed25519PrivateKey, GetSealKeysResponse]) -> None:
    private, keys = signer
    proof = seal_single(private, body(1))
    proof.batch_size = 2
    with pytest.raises(noproof.ProofInvalid, match="no batch path"):
        noproof.verify_proof(proof, keys)


def test_proof_and_key_files_round_trip(signer: tuple[Ed25519PrivateKey, GetSealKeysResponse], tmp_path: Path) -> None:
    private, keys = signer
    proof = seal_batch(private, [body(i) for i in range(3)])[1]
    noproof.write_proof(proof, tmp_path / "p.bin")
    noproof.write_keys(keys, tmp_path / "k.bin")
    assert noproof.read_proof(tmp_path / "p.bin") == proof
    assert noproof.read_keys(tmp_path / "k.bin") == keys
    (tmp_path / "junk.bin").write_bytes(b"\xff\xff\xff")
    with pytest.raises(noproof.ProofInvalid, match="not a NoProof proof file"):
        noproof.read_proof(tmp_path / "junk.bin")


# ---------------------------------------------------------------- agreement with the Swift verifier


@pytest.fixture(scope="module")
def swift_cli() -> Path:
    import os

    configured = os.environ.get("NOPROOF_BIN")
    cli = (Path(configured) if configured else REPO_ROOT / ".build" / "debug") / "noproof"
    if not cli.exists():
        pytest.skip(f"no Swift CLI at {cli}")
    return cli


def swift_verifies(cli: Path, proof: SealedProof, keys: GetSealKeysResponse, folder: Path) -> bool:
    noproof.write_proof(proof, folder / "proof.bin")
    noproof.write_keys(keys, folder / "keys.bin")
    result = subprocess.run([str(cli), "verify", str(folder / "proof.bin"), "--keys", str(folder / "keys.bin")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode == 0


@pytest.mark.parametrize(("size", "index"), [(1, 0), (2, 1), (3, 2), (5, 4), (7, 3), (8, 5), (13, 12)])
def test_swift_accepts_batch_proofs_sealed_in_python(
    signer: tuple[Ed25519PrivateKey, GetSealKeysResponse], swift_cli: Path, tmp_path: Path, size: int, index: int
) -> None:
    private, keys = signer
    proof = seal_batch(private, [body(i) for i in range(size)])[index] if size > 1 else seal_single(private, body(0))
    assert noproof.verify_proof(proof, keys)
    assert swift_verifies(swift_cli, proof, keys, tmp_path)


@pytest.mark.parametrize("how", ["path-hash", "leaf-index", "batch-size", "path-dropped", "path-extra"])
def test_swift_and_python_reject_the_same_tampered_batch_proofs(
    signer: tuple[Ed25519PrivateKey, GetSealKeysResponse], swift_cli: Path, tmp_path: Path, how: str
) -> None:
    private, keys = signer
    bad = _tamper(seal_batch(private, [body(i) for i in range(7)])[2], how)
    with pytest.raises(noproof.ProofInvalid):
        noproof.verify_proof(bad, keys)
    assert not swift_verifies(swift_cli, bad, keys, tmp_path)


def test_batch_size_is_not_covered_by_the_seal(
    signer: tuple[Ed25519PrivateKey, GetSealKeysResponse], swift_cli: Path, tmp_path: Path
) -> None:
    """Only the root is signed: a batch size giving the leaf the same path shape verifies in both verifiers."""
    private, keys = signer
    proof = seal_batch(private, [body(i) for i in range(7)])[2]
    proof.batch_size = 8  # leaf 2 has the same audit path in trees of 7 and 8 leaves
    assert noproof.verify_proof(proof, keys)
    assert swift_verifies(swift_cli, proof, keys, tmp_path)


# ---------------------------------------------------------------- GetProofStatus answers


def _status_answer() -> noproof.messages.ProofStatusResponse:
    return noproof.messages.ProofStatusResponse(
        proof_digest=b"\xab" * 32, proof_serial="P1-7", licence_id="1.2.156.3005.2.X", proof_version=2,
        status="licence_revoked", current_version=2, changed_at_millis=1_750_000_000_123, reason="吊销",
        checked_at_millis=1_760_000_000_000)


def test_proof_status_statement_is_the_documented_encoding() -> None:
    # The same vector as the Swift ProofStatusStatementTests.
    expected = (b"noproof.proof-status.v1\x00" + b"\x00\x00\x00\x20" + b"\xab" * 32 + b"\x00\x00\x00\x04P1-7"
                + b"\x00\x00\x00\x10" + b"1.2.156.3005.2.X" + b"\x00\x00\x00\x02" + b"\x00\x00\x00\x0flicence_revoked"
                + b"\x00\x00\x00\x02" + bytes.fromhex("000001977420dc7b") + b"\x00\x00\x00\x06" + "吊销".encode()
                + bytes.fromhex("00000199c82cc000"))
    assert noproof.proofs.proof_status_statement(_status_answer()) == expected


def test_a_signed_status_answer_verifies_and_an_altered_one_does_not(signer: tuple[Ed25519PrivateKey, GetSealKeysResponse]) -> None:
    private, keys = signer
    data = b"a proof body"
    proof = SealedProof(body=data, key_id=KEY_ID)
    answer = _status_answer()
    answer.proof_digest = hashlib.sha256(data).digest()
    answer.key_id = KEY_ID
    answer.signature = private.sign(noproof.proofs.proof_status_statement(answer))
    assert noproof.verify_proof_status(answer, proof, keys).status == "licence_revoked"
    altered = noproof.messages.ProofStatusResponse()
    altered.CopyFrom(answer)
    altered.status = "valid"
    with pytest.raises(noproof.ProofInvalid):
        noproof.verify_proof_status(altered, proof, keys)
    with pytest.raises(noproof.ProofInvalid):
        noproof.verify_proof_status(answer, SealedProof(body=b"another proof", key_id=KEY_ID), keys)
