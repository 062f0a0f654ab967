"""Calls of department verification (noproof.v1.Verification): file, take, answer, return, refile and watch requests."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping

from google.protobuf.message import Message

from .._connection import ServerStream
from .._methods import Method
from ..errors import Internal
from ..messages import (
    AnswerVerificationRequest,
    FileVerificationRequest,
    GetVerificationRequest,
    Licence,
    LicenceField,
    ListVerificationsRequest,
    ListVerificationsResponse,
    Purpose,
    RefileVerificationRequest,
    ReturnVerificationRequest,
    TakeVerificationRequest,
    VerificationEvent,
    VerificationRecord,
    VerificationResponse,
    WatchVerificationQueueRequest,
    WatchVerificationRequest,
)
from ._base import ServiceCalls, method


_LIST_QUEUE = method("Verification", "ListQueue")
_LIST_FILED = method("Verification", "ListFiled")
_WATCH_QUEUE = method("Verification", "WatchQueue")
_WATCH_REQUEST = method("Verification", "WatchRequest")
_FILE = method("Verification", "File")
_GET = method("Verification", "Get")
_TAKE = method("Verification", "Take")
_ANSWER = method("Verification", "Answer")
_RETURN = method("Verification", "Return")
_REFILE = method("Verification", "Refile")


class VerificationCalls(ServiceCalls):
    """Calls of department verification, as methods of :class:`noproof.Client`."""

    async def file_verification(
        self,
        issuing_unit_code: str,
        proof_type: str,
        holder_id: str,
        item_code: str,
        case_reference: str,
        *,
        holder_name: str = "",
        declared: Mapping[str, str] | None = None,
        request_key: str = "",
        promised_completion_at_millis: int = 0,
        staff: str | None = None,
        timeout: float | None = None,
    ) -> VerificationRecord:
        """``/noproof.v1.Verification/File`` (requesting unit): asks the issuing unit to verify a proof.

        The item must list the proof as obtained by department verification from that unit. The
        server computes the legal deadlines (30 minutes, or 24 hours capped by the item's promised
        time for commitment items, never under 30 minutes: a case already past its promised time is
        verified within 30 minutes and the record's ``deadline_note`` says so). The promised time
        comes from the published item; ``promised_completion_at_millis`` is deprecated: leave it 0,
        or it must agree with the server's within a minute (else ``InvalidArgument``). A retry with
        the same ``request_key`` files nothing twice; by default a fresh UUID is used, so keep the
        returned record's ``request_key`` for retries.
        """
        request = FileVerificationRequest(
            request_key=request_key or str(uuid.uuid4()), issuing_unit_code=issuing_unit_code, proof_type=proof_type, holder_id=holder_id,
            holder_name=holder_name, declared=[LicenceField(key=k, value=v) for k, v in (declared or {}).items()],
            purpose=Purpose(item_code=item_code, case_reference=case_reference),
            promised_completion_at_millis=promised_completion_at_millis,
        )
        return await self._verification(_FILE, request, staff, timeout)

    async def get_verification(self, request_id: str, *, staff: str | None = None,
                               timeout: float | None = None) -> VerificationRecord:
        """``/noproof.v1.Verification/Get``: a request (either of the two units involved)."""
        return await self._verification(_GET, GetVerificationRequest(request_id=request_id), staff, timeout)

    async def verification_queue(self, *, include_finished: bool = False, limit: int = 0, staff: str | None = None,
                                 timeout: float | None = None) -> list[VerificationRecord]:
        """``/noproof.v1.Verification/ListQueue`` (issuing unit): the requests addressed to this unit."""
        response = await self.call(_LIST_QUEUE,
                                   ListVerificationsRequest(include_finished=include_finished, limit=limit),
                                   ListVerificationsResponse, metadata=self._staff_metadata(staff), timeout=timeout)
        return list(response.requests)

    async def filed_verifications(self, *, include_finished: bool = False, limit: int = 0, staff: str | None = None,
                                  timeout: float | None = None) -> list[VerificationRecord]:
        """``/noproof.v1.Verification/ListFiled`` (requesting unit): the requests this unit filed."""
        response = await self.call(_LIST_FILED,
                                   ListVerificationsRequest(include_finished=include_finished, limit=limit),
                                   ListVerificationsResponse, metadata=self._staff_metadata(staff), timeout=timeout)
        return list(response.requests)

    async def take_verification(self, request_id: str, *, staff: str | None = None,
                                timeout: float | None = None) -> VerificationRecord:
        """``/noproof.v1.Verification/Take`` (issuing unit's agent or supervisor)."""
        return await self._verification(_TAKE, TakeVerificationRequest(request_id=request_id), staff, timeout)

    async def answer_verification(self, request_id: str, *, licence: Licence | None = None, not_on_record: bool = False,
                                  note: str = "", staff: str | None = None, timeout: float | None = None) -> VerificationRecord:
        """``/noproof.v1.Verification/Answer`` (issuing unit): the verified facts, returned to the
        requester as a proof sealed with the verification seal, or "not on record"."""
        request = AnswerVerificationRequest(request_id=request_id, outcome="not_on_record" if not_on_record else "verified",
                                            note=note)
        if licence is not None and not not_on_record:
            request.licence.CopyFrom(licence)
        return await self._verification(_ANSWER, request, staff, timeout)

    async def return_verification(self, request_id: str, reason: str, suggested_unit_code: str, *,
                                  staff: str | None = None, timeout: float | None = None) -> VerificationRecord:
        """``/noproof.v1.Verification/Return`` (issuing unit): not its duty, with a reason and where to send it."""
        request = ReturnVerificationRequest(request_id=request_id, reason=reason, suggested_unit_code=suggested_unit_code)
        return await self._verification(_RETURN, request, staff, timeout)

    async def refile_verification(self, request_id: str, issuing_unit_code: str = "", *, staff: str | None = None,
                                  timeout: float | None = None) -> VerificationRecord:
        """``/noproof.v1.Verification/Refile`` (requesting unit): re-files a returned request, by
        default to the unit the issuing unit suggested. The target must be the unit the request's item
        in the requester's published list names as the verifier (``PermissionDenied`` otherwise, naming
        it): a suggestion does not widen the list."""
        request = RefileVerificationRequest(request_id=request_id, issuing_unit_code=issuing_unit_code)
        return await self._verification(_REFILE, request, staff, timeout)

    def watch_verification_queue(self, *, include_open: bool = False, staff: str | None = None,
                                 timeout: float | None = math.inf) -> ServerStream[VerificationEvent]:
        """``/noproof.v1.Verification/WatchQueue`` (issuing unit's staff): events as they happen —
        agents get new and overdue requests, the supervisor escalations and second breaches."""
        return self.stream(_WATCH_QUEUE, WatchVerificationQueueRequest(include_open=include_open),
                           VerificationEvent, metadata=self._staff_metadata(staff), timeout=timeout)

    def watch_verification(self, request_id: str, *, staff: str | None = None,
                           timeout: float | None = math.inf) -> ServerStream[VerificationEvent]:
        """``/noproof.v1.Verification/WatchRequest``: the request's state, then each change until it ends."""
        return self.stream(_WATCH_REQUEST, WatchVerificationRequest(request_id=request_id),
                           VerificationEvent, metadata=self._staff_metadata(staff), timeout=timeout)

    async def _verification(self, method: Method, request: Message, staff: str | None, timeout: float | None) -> VerificationRecord:
        response = await self.call(method, request, VerificationResponse,
                                   metadata=self._staff_metadata(staff), timeout=timeout)
        if not response.HasField("request"):
            raise Internal(f"the server answered {method.name} without the request")
        return response.request
