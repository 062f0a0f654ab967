#!/usr/bin/env python3
"""Look up an applicant's licence in the NoProof licence library, verify the sealed proof offline,
and keep it with the case file: the starting point of a departmental integration.

    export NOPROOF_CREDENTIAL=demo-water:demo-secret         # your unit's credential
    python lookup_and_verify.py --holder 370404199306107807 --type JMSFZ \\
        --item SW-KH-001 --case CASE-2024-0001 --staff agent-0001 --out proof.bin

--item must be a service item of your unit's published item list that lists the licence type as
obtained by data sharing (on the demo server, demo-water's SW-KH-001 lists JMSFZ and BDCQZS).

Exit status: 0 when the proof was obtained and verified; the gRPC status code of a failed call
(5 NOT_FOUND, 7 PERMISSION_DENIED: the item is not in your list or does not list the type,
8 RESOURCE_EXHAUSTED: too many lookups for the case or by the staff member, 9 FAILED_PRECONDITION,
14 UNAVAILABLE, 16 UNAUTHENTICATED...); 1 when the proof does not verify; 2 for wrong arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import sys

import noproof


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Obtain and verify a NoProof electronic proof.")
    parser.add_argument("--host", default=os.environ.get("NOPROOF_HOST", "127.0.0.1"),
                        help="noproofd host (env NOPROOF_HOST; default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("NOPROOF_PORT", noproof.DEFAULT_PORT)),
                        help="noproofd port (env NOPROOF_PORT; default 7420)")
    parser.add_argument("--credential", default=os.environ.get("NOPROOF_CREDENTIAL"),
                        help="your unit's credential as ID:SECRET (env NOPROOF_CREDENTIAL)")
    parser.add_argument("--holder", required=True, help="the applicant's resident ID or unified social credit code")
    parser.add_argument("--type", required=True, dest="type_code", help="licence type code, e.g. JMSFZ")
    parser.add_argument("--item", required=True,
                        help="the service item (事项) of your unit's published list the proof is for, e.g. SW-KH-001")
    parser.add_argument("--case", required=True, help="your case reference")
    parser.add_argument("--staff", help="the staff member handling the case (recorded in the proof)")
    parser.add_argument("--out", help="save the sealed proof here (check it later with `noproof verify FILE`)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the server (default 10)")
    arguments = parser.parse_args()
    if not arguments.credential or ":" not in arguments.credential:
        parser.error("give your unit's credential as --credential ID:SECRET or in NOPROOF_CREDENTIAL "
                     "(on the demo server e.g. demo-water:demo-secret)")
    return arguments


async def lookup_and_verify(arguments: argparse.Namespace) -> int:
    credential_id, secret = arguments.credential.split(":", 1)
    async with noproof.Client.connect(arguments.host, arguments.port, credential=(credential_id, secret),
                                      timeout=arguments.timeout, default_timeout=arguments.timeout) as client:
        assert client.session is not None
        print(f"connected to {arguments.host}:{arguments.port} as {client.session.unit_name} ({client.session.unit_code})")

        # The published seal keys. A department may also keep them in a file (noproof.write_keys)
        # and verify proofs later without a connection.
        keys = await client.get_seal_keys()
        proof = await client.lookup(arguments.holder, arguments.type_code, item_code=arguments.item,
                                    case_reference=arguments.case, staff=arguments.staff)

    # Offline: check the seal, then read what the proof attests.
    try:
        body, key = noproof.verify_proof_key(proof, keys)
    except noproof.ProofInvalid as error:
        print(f"NOT VERIFIED: {error.reason}", file=sys.stderr)
        return 1
    licence = body.licence
    extracted = datetime.datetime.fromtimestamp(body.extracted_at_millis / 1000, tz=datetime.timezone.utc).astimezone()
    print(f"proof      {body.proof_serial}  VERIFIED with seal key {key.key_id} ({key.name_zh})")
    print(f"licence    {licence.licence_id} (version {licence.version})")
    print(f"holder     {licence.holder_name}  {licence.holder_id}")
    print(f"status     {licence.status}, valid {licence.valid_from} .. {licence.valid_to or 'indefinitely'}")
    for field in licence.fields:
        print(f"  {field.key}: {field.value}")
    print(f"purpose    item {body.purpose.item_code}, case {body.purpose.case_reference}")
    print(f"extracted  by {body.extracting_unit_name} at {extracted.isoformat(timespec='seconds')}"
          + (f", staff {body.staff}" if body.staff else ""))
    print(f"produced   by {body.producing_unit_name} ({body.producing_unit_code})")
    if arguments.out:
        noproof.write_proof(proof, arguments.out)
        print(f"saved      {arguments.out}")
    return 0


def main() -> int:
    arguments = parse_arguments()
    try:
        return asyncio.run(lookup_and_verify(arguments))
    except noproof.RpcError as error:
        # error.code_name and error.message say what went wrong, e.g.
        # FAILED_PRECONDITION: the holder's ... is revoked; no proof can be issued
        # PERMISSION_DENIED: item SW-KH-001 does not list JHZ as a proof; ...
        print(f"error: {error}", file=sys.stderr)
        return int(error.code)


if __name__ == "__main__":
    sys.exit(main())
