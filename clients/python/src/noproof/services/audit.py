"""Calls of the audit log's signed heads and proofs (noproof.v1.Audit); check the answers with :mod:`noproof.audit`."""

from __future__ import annotations

from ..messages import (
    GetTreeHeadRequest,
    GetTreeHeadResponse,
    ProveConsistencyRequest,
    ProveConsistencyResponse,
    ProveRecordRequest,
    ProveRecordResponse,
)
from ._base import ServiceCalls, method


_GET_TREE_HEAD = method("Audit", "GetTreeHead")
_PROVE_RECORD = method("Audit", "ProveRecord")
_PROVE_CONSISTENCY = method("Audit", "ProveConsistency")


class AuditCalls(ServiceCalls):
    """Calls of the audit log's signed heads and proofs, as methods of :class:`noproof.Client`."""

    async def audit_tree_head(self, *, timeout: float | None = None) -> GetTreeHeadResponse:
        """``/noproof.v1.Audit/GetTreeHead``: the audit log's newest signed tree head and the audit public key
        (check heads and proofs with :mod:`noproof.audit`)."""
        return await self.call(_GET_TREE_HEAD, GetTreeHeadRequest(), GetTreeHeadResponse, timeout=timeout)

    async def prove_audit_record(self, sequence: int, *, holder_id: str = "",
                                 timeout: float | None = None) -> ProveRecordResponse:
        """``/noproof.v1.Audit/ProveRecord``: an inclusion proof of one audit record (a who-looked entry's
        ``audit_sequence``) in the newest signed head; the citizen portal names the holder.
        Check it with :func:`noproof.audit.verify_record_proof`."""
        return await self.call(_PROVE_RECORD, ProveRecordRequest(sequence=sequence, holder_id=holder_id),
                               ProveRecordResponse, timeout=timeout)

    async def prove_audit_consistency(self, first: int, *, timeout: float | None = None) -> ProveConsistencyResponse:
        """``/noproof.v1.Audit/ProveConsistency``: the RFC 9162 consistency proof from the tree of ``first``
        records to the newest signed head (:func:`noproof.audit.verify_consistency`)."""
        return await self.call(_PROVE_CONSISTENCY, ProveConsistencyRequest(first=first, second=0),
                               ProveConsistencyResponse, timeout=timeout)
