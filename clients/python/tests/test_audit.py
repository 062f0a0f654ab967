"""The audit log's signed heads and proofs checked from Python with an independent implementation
of the encodings (noproof.audit): a citizen proves that a lookup of their data was recorded, a
changed field breaks the proof, and the log only grew between two heads."""
from __future__ import annotations

import asyncio

from conftest import DEMO_SECRET, ITEM, WATER, Server, run

import noproof
from noproof import audit

PORTAL = ("demo-citizen-portal", DEMO_SECRET)


def test_a_citizen_proves_a_lookup_of_their_data_was_recorded(server: Server) -> None:
    holder = server.holders[7]

    async def scenario() -> tuple[noproof.messages.GetTreeHeadResponse, noproof.messages.ProveRecordResponse,
                                  noproof.messages.ProveConsistencyResponse]:
        async with server.connect(credential=WATER) as water:
            kept = (await water.audit_tree_head()).head
            await water.lookup(holder.holder_id, holder.type_code, item_code=ITEM, case_reference="CASE-AUDIT-PROOF-1")
        async with server.connect(credential=PORTAL) as portal:
            entry = next(e for e in (await portal.who_looked(holder.holder_id)).entries if e.action == "Lookup")
            for _ in range(50):   # heads are signed every second while records arrive
                head = await portal.audit_tree_head()
                if head.head.tree_size >= entry.audit_sequence:
                    break
                await asyncio.sleep(0.2)
            proof = await portal.prove_audit_record(entry.audit_sequence, holder_id=holder.holder_id)
            consistency = await portal.prove_audit_consistency(kept.tree_size)
            return head, proof, consistency, kept

    head, proof, consistency, kept = run(scenario())
    key = head.audit_public_key
    assert audit.head_signature_verifies(head.head, key)
    assert proof.record.holder_id == holder.holder_id and proof.record.action == "Lookup"
    assert proof.record.case_reference == "CASE-AUDIT-PROOF-1"
    assert audit.verify_record_proof(proof, key) == []
    edited = noproof.messages.ProveRecordResponse.FromString(proof.SerializeToString())
    edited.record.result = "not_found"
    assert "the record's fields do not give its chain hash" in audit.verify_record_proof(edited, key)
    assert audit.verify_consistency(kept.tree_size, consistency.head.tree_size, kept.root, consistency.head.root,
                                    list(consistency.proof))
    assert not audit.verify_consistency(kept.tree_size, consistency.head.tree_size, bytes(32), consistency.head.root,
                                        list(consistency.proof))
