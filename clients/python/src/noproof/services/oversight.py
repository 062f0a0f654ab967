"""Calls of the oversight records (noproof.v1.Oversight, Art. 2, 7, 11, 12, 18): commitments, the voluntary-proof ledger, mismatches, complaints."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from google.protobuf.message import Message

from .._methods import Method
from ..messages import (
    AddLedgerEntryRequest,
    AnswerComplaintRequest,
    AppealMismatchRequest,
    CheckCommitmentRequest,
    CloseComplaintRequest,
    CommitmentRecord,
    CommitmentResponse,
    ComplaintRecord,
    ComplaintResponse,
    CorrectionNoticeRecord,
    FileComplaintRequest,
    GetOversightRecordRequest,
    LedgerEntryRecord,
    LedgerEntryResponse,
    LicenceField,
    ListCommitmentsRequest,
    ListCommitmentsResponse,
    ListComplaintsRequest,
    ListComplaintsResponse,
    ListCorrectionNoticesRequest,
    ListCorrectionNoticesResponse,
    ListLedgerRequest,
    ListLedgerResponse,
    ListMismatchesRequest,
    ListMismatchesResponse,
    MismatchFact,
    MismatchRecord,
    MismatchResponse,
    MismatchSupplementRequest,
    OpenMismatchRequest,
    OversightCountsRequest,
    OversightCountsResponse,
    RecordCommitmentRequest,
    ReverifyMismatchRequest,
    RouteComplaintRequest,
    WatchCorrectionNoticesRequest,
)
from .._connection import ServerStream
from ._base import ResponseT, ServiceCalls, method


_RECORD_COMMITMENT = method("Oversight", "RecordCommitment")
_CHECK_COMMITMENT = method("Oversight", "CheckCommitment")
_GET_COMMITMENT = method("Oversight", "GetCommitment")
_LIST_COMMITMENTS = method("Oversight", "ListCommitments")
_ADD_LEDGER_ENTRY = method("Oversight", "AddLedgerEntry")
_LIST_LEDGER = method("Oversight", "ListLedger")
_OPEN_MISMATCH = method("Oversight", "OpenMismatch")
_REQUEST_SUPPLEMENT = method("Oversight", "RequestSupplement")
_RECORD_SUPPLEMENT = method("Oversight", "RecordSupplement")
_REVERIFY = method("Oversight", "Reverify")
_APPEAL = method("Oversight", "Appeal")
_GET_MISMATCH = method("Oversight", "GetMismatch")
_LIST_MISMATCHES = method("Oversight", "ListMismatches")
_FILE_COMPLAINT = method("Oversight", "FileComplaint")
_ROUTE_COMPLAINT = method("Oversight", "RouteComplaint")
_ANSWER_COMPLAINT = method("Oversight", "AnswerComplaint")
_CLOSE_COMPLAINT = method("Oversight", "CloseComplaint")
_LIST_COMPLAINTS = method("Oversight", "ListComplaints")
_GET_COUNTS = method("Oversight", "GetCounts")
_LIST_CORRECTION_NOTICES = method("Oversight", "ListCorrectionNotices")
_WATCH_CORRECTION_NOTICES = method("Oversight", "WatchCorrectionNotices")


class OversightCalls(ServiceCalls):
    """Calls of the oversight records, as methods of :class:`noproof.Client`."""

    async def record_commitment(self, holder_id: str, item_code: str, case_reference: str, proof_type: str, text: str,
                                channel: str, *, holder_name: str = "", staff: str | None = None,
                                timeout: float | None = None) -> CommitmentRecord:
        """``/noproof.v1.Oversight/RecordCommitment``: the applicant's notification-commitment (告知承诺)
        for a proof the unit's list obtains by commitment; ``channel`` is counter_face_check, app or online.
        The check is due by the server's risk rule (``check_due_at_millis``)."""
        request = RecordCommitmentRequest(holder_id=holder_id, holder_name=holder_name, item_code=item_code,
                                          case_reference=case_reference, proof_type=proof_type, text=text, channel=channel)
        response = await self._oversight(_RECORD_COMMITMENT, request, CommitmentResponse, staff, timeout)
        return response.commitment

    async def check_commitment(self, commitment_id: str, outcome: str, evidence: str = "", *, staff: str | None = None,
                               timeout: float | None = None) -> CommitmentRecord:
        """``/noproof.v1.Oversight/CheckCommitment``: the post-check, ``confirmed`` or ``found_false`` (with evidence)."""
        request = CheckCommitmentRequest(commitment_id=commitment_id, outcome=outcome, evidence=evidence)
        return (await self._oversight(_CHECK_COMMITMENT, request, CommitmentResponse, staff, timeout)).commitment

    async def get_commitment(self, commitment_id: str, *, timeout: float | None = None) -> CommitmentRecord:
        """``/noproof.v1.Oversight/GetCommitment`` (its unit or the task force office)."""
        return (await self._oversight(_GET_COMMITMENT, GetOversightRecordRequest(id=commitment_id), CommitmentResponse,
                                      None, timeout)).commitment

    async def list_commitments(self, *, filter: str = "all", unit_code: str = "", limit: int = 0,
                               timeout: float | None = None) -> list[CommitmentRecord]:
        """``/noproof.v1.Oversight/ListCommitments``: all, unchecked, overdue or found_false."""
        request = ListCommitmentsRequest(unit_code=unit_code, filter=filter, limit=limit)
        return list((await self._oversight(_LIST_COMMITMENTS, request, ListCommitmentsResponse, None, timeout)).commitments)

    async def add_ledger_entry(self, holder_id: str, item_code: str, case_reference: str, proof_type: str, *,
                               holder_name: str = "", proof_name: str = "", note: str = "", staff: str | None = None,
                               timeout: float | None = None) -> LedgerEntryRecord:
        """``/noproof.v1.Oversight/AddLedgerEntry``: a proof the applicant volunteered (台账), with what the
        unit's list says of it (``listed_method``, ``not_to_be_asked_for``)."""
        request = AddLedgerEntryRequest(holder_id=holder_id, holder_name=holder_name, item_code=item_code,
                                        case_reference=case_reference, proof_type=proof_type, proof_name=proof_name, note=note)
        return (await self._oversight(_ADD_LEDGER_ENTRY, request, LedgerEntryResponse, staff, timeout)).entry

    async def list_ledger(self, *, unit_code: str = "", from_millis: int = 0, to_millis: int = 0, limit: int = 0,
                          timeout: float | None = None) -> list[LedgerEntryRecord]:
        """``/noproof.v1.Oversight/ListLedger``: the ledger for [from, to) (task force office: any or all units)."""
        request = ListLedgerRequest(unit_code=unit_code, from_millis=from_millis, to_millis=to_millis, limit=limit)
        return list((await self._oversight(_LIST_LEDGER, request, ListLedgerResponse, None, timeout)).entries)

    async def open_mismatch(self, issuing_unit_code: str, holder_id: str, item_code: str, case_reference: str,
                            proof_type: str, facts: Mapping[str, tuple[str, str]], *, proof_serial: str = "",
                            audit_sequence: int = 0, verification_request_id: str = "", staff: str | None = None,
                            timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/OpenMismatch``: ``facts`` maps each key to (declared, fetched)."""
        request = OpenMismatchRequest(
            issuing_unit_code=issuing_unit_code, holder_id=holder_id, item_code=item_code, case_reference=case_reference,
            proof_type=proof_type, proof_serial=proof_serial, audit_sequence=audit_sequence,
            verification_request_id=verification_request_id,
            facts=[MismatchFact(key=k, declared=d, fetched=f) for k, (d, f) in facts.items()])
        return (await self._oversight(_OPEN_MISMATCH, request, MismatchResponse, staff, timeout)).mismatch

    async def request_supplement(self, mismatch_id: str, text: str, *, staff: str | None = None,
                                 timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/RequestSupplement`` (the opening unit)."""
        request = MismatchSupplementRequest(mismatch_id=mismatch_id, text=text)
        return (await self._oversight(_REQUEST_SUPPLEMENT, request, MismatchResponse, staff, timeout)).mismatch

    async def record_supplement(self, mismatch_id: str, text: str, *, staff: str | None = None,
                                timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/RecordSupplement`` (the opening unit)."""
        request = MismatchSupplementRequest(mismatch_id=mismatch_id, text=text)
        return (await self._oversight(_RECORD_SUPPLEMENT, request, MismatchResponse, staff, timeout)).mismatch

    async def reverify_mismatch(self, mismatch_id: str, finding: str, note: str, *,
                                corrected: Mapping[str, str] | None = None, staff: str | None = None,
                                timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/Reverify`` (the issuing unit only): record_stands or record_corrected."""
        request = ReverifyMismatchRequest(mismatch_id=mismatch_id, finding=finding, note=note,
                                          corrected=[LicenceField(key=k, value=v) for k, v in (corrected or {}).items()])
        return (await self._oversight(_REVERIFY, request, MismatchResponse, staff, timeout)).mismatch

    async def appeal_mismatch(self, mismatch_id: str, *, reference: str = "", outcome: str = "", note: str = "",
                              staff: str | None = None, timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/Appeal``: with ``reference`` records the appeal, with ``outcome`` its decision."""
        request = AppealMismatchRequest(mismatch_id=mismatch_id, reference=reference, outcome=outcome, note=note)
        return (await self._oversight(_APPEAL, request, MismatchResponse, staff, timeout)).mismatch

    async def get_mismatch(self, mismatch_id: str, *, timeout: float | None = None) -> MismatchRecord:
        """``/noproof.v1.Oversight/GetMismatch`` (the two units or the task force office)."""
        return (await self._oversight(_GET_MISMATCH, GetOversightRecordRequest(id=mismatch_id), MismatchResponse,
                                      None, timeout)).mismatch

    async def list_mismatches(self, *, limit: int = 0, timeout: float | None = None) -> list[MismatchRecord]:
        """``/noproof.v1.Oversight/ListMismatches``."""
        response = await self._oversight(_LIST_MISMATCHES, ListMismatchesRequest(limit=limit), ListMismatchesResponse,
                                         None, timeout)
        return list(response.mismatches)

    async def correction_notices(self, *, unit_code: str = "", limit: int = 0,
                                 timeout: float | None = None) -> list[CorrectionNoticeRecord]:
        """``/noproof.v1.Oversight/ListCorrectionNotices``: records corrected after a mismatch case that
        this unit fetched (or whose case it raised), newest first; the task force office: one
        unit's (``unit_code``) or all."""
        response = await self._oversight(_LIST_CORRECTION_NOTICES, ListCorrectionNoticesRequest(unit_code=unit_code, limit=limit),
                                         ListCorrectionNoticesResponse, None, timeout)
        return list(response.notices)

    def watch_correction_notices(self, *, unit_code: str = "", include_existing: bool = False, limit: int = 0,
                                 timeout: float | None = math.inf) -> ServerStream[CorrectionNoticeRecord]:
        """``/noproof.v1.Oversight/WatchCorrectionNotices``: each correction notice as soon as it is
        stored (with ``include_existing``, the stored ones first, oldest first), until cancelled."""
        return self.stream(_WATCH_CORRECTION_NOTICES,
                           WatchCorrectionNoticesRequest(unit_code=unit_code, include_existing=include_existing, limit=limit),
                           CorrectionNoticeRecord, timeout=timeout)

    async def file_complaint(self, channel: str, channel_reference: str, unit_code: str, breach_type: str, summary: str, *,
                             complainant: str = "", linked_records: Sequence[str] = (), staff: str | None = None,
                             timeout: float | None = None) -> ComplaintRecord:
        """``/noproof.v1.Oversight/FileComplaint`` (task force office)."""
        request = FileComplaintRequest(channel=channel, channel_reference=channel_reference, unit_code=unit_code,
                                       breach_type=breach_type, summary=summary, complainant=complainant,
                                       linked_records=list(linked_records))
        return (await self._oversight(_FILE_COMPLAINT, request, ComplaintResponse, staff, timeout)).complaint

    async def route_complaint(self, complaint_id: str, unit_code: str = "", *, staff: str | None = None,
                              timeout: float | None = None) -> ComplaintRecord:
        """``/noproof.v1.Oversight/RouteComplaint`` (task force office)."""
        request = RouteComplaintRequest(complaint_id=complaint_id, unit_code=unit_code)
        return (await self._oversight(_ROUTE_COMPLAINT, request, ComplaintResponse, staff, timeout)).complaint

    async def answer_complaint(self, complaint_id: str, answer: str, *, staff: str | None = None,
                               timeout: float | None = None) -> ComplaintRecord:
        """``/noproof.v1.Oversight/AnswerComplaint`` (the unit it was routed to)."""
        request = AnswerComplaintRequest(complaint_id=complaint_id, answer=answer)
        return (await self._oversight(_ANSWER_COMPLAINT, request, ComplaintResponse, staff, timeout)).complaint

    async def close_complaint(self, complaint_id: str, *, substantiated: bool, note: str = "", staff: str | None = None,
                              timeout: float | None = None) -> ComplaintRecord:
        """``/noproof.v1.Oversight/CloseComplaint`` (task force office)."""
        request = CloseComplaintRequest(complaint_id=complaint_id, substantiated=substantiated, note=note)
        return (await self._oversight(_CLOSE_COMPLAINT, request, ComplaintResponse, staff, timeout)).complaint

    async def list_complaints(self, *, unit_code: str = "", status: str = "", limit: int = 0,
                              timeout: float | None = None) -> list[ComplaintRecord]:
        """``/noproof.v1.Oversight/ListComplaints``."""
        request = ListComplaintsRequest(unit_code=unit_code, status=status, limit=limit)
        return list((await self._oversight(_LIST_COMPLAINTS, request, ListComplaintsResponse, None, timeout)).complaints)

    async def oversight_counts(self, *, unit_code: str = "", from_millis: int = 0, to_millis: int = 0, as_of_millis: int = 0,
                               timeout: float | None = None) -> OversightCountsResponse:
        """``/noproof.v1.Oversight/GetCounts``: a unit's figures for [from, to)."""
        request = OversightCountsRequest(unit_code=unit_code, from_millis=from_millis, to_millis=to_millis,
                                         as_of_millis=as_of_millis)
        return await self._oversight(_GET_COUNTS, request, OversightCountsResponse, None, timeout)

    async def _oversight(self, method: Method, request: Message, response_type: type[ResponseT], staff: str | None,
                         timeout: float | None) -> ResponseT:
        return await self.call(method, request, response_type, metadata=self._staff_metadata(staff),
                               timeout=timeout)
