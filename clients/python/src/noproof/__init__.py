"""NoProof: the Python client of the city-wide "no-proof" government service system (无证明城市).

Quick start::

    import asyncio, noproof

    async def main() -> None:
        async with noproof.Client.connect("127.0.0.1", 7420, credential=("demo-taskforce", "demo-secret")) as client:
            proof = await client.lookup("370404199306107807", "JMSFZ", item_code="ITEM-1", case_reference="CASE-1")
            body = noproof.verify_proof(proof, await client.get_seal_keys())
            print(body.licence.holder_name, body.licence.status)

    asyncio.run(main())

The protocol is docs/PROTOCOL.md of the NoProof repository; the messages are in
:mod:`noproof.messages`.
"""

from . import messages
from ._connection import Connection
from .client import DEFAULT_PORT, Client, Metadata, ServerStream
from .errors import (
    Aborted,
    AlreadyExists,
    Cancelled,
    DataLoss,
    DeadlineExceeded,
    FailedPrecondition,
    Internal,
    InvalidArgument,
    NotFound,
    OutOfRange,
    PermissionDenied,
    ProofInvalid,
    ResourceExhausted,
    RpcError,
    StatusCode,
    Unauthenticated,
    Unavailable,
    Unimplemented,
    Unknown,
)
from .retry import RetryPolicy, Safety
from .proofs import read_keys, read_proof, verify_proof, verify_proof_key, verify_proof_status, write_keys, write_proof

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_PORT",
    "Client",
    "Metadata",
    "ServerStream",
    "Connection",
    "RetryPolicy",
    "Safety",
    "messages",
    "StatusCode",
    "RpcError",
    "Cancelled",
    "Unknown",
    "InvalidArgument",
    "DeadlineExceeded",
    "NotFound",
    "AlreadyExists",
    "PermissionDenied",
    "ResourceExhausted",
    "FailedPrecondition",
    "Aborted",
    "OutOfRange",
    "Unimplemented",
    "Internal",
    "Unavailable",
    "DataLoss",
    "Unauthenticated",
    "ProofInvalid",
    "verify_proof",
    "verify_proof_key",
    "verify_proof_status",
    "read_proof",
    "write_proof",
    "read_keys",
    "write_keys",
]
