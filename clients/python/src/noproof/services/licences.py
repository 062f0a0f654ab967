"""Calls of the licence library (noproof.v1.Licences): lookups and sealed proofs, checks, proof status, and the issuing units' writes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .._methods import Method
from ..errors import Internal
from ..messages import (
    AmendLicenceRequest,
    ChangeLicenceStatusRequest,
    CheckLicenceRequest,
    CheckLicenceResponse,
    GetLicenceRequest,
    GetLicenceResponse,
    GetSealKeysRequest,
    GetSealKeysResponse,
    ImportLicencesRequest,
    ImportLicencesResponse,
    IssueLicenceRequest,
    Licence,
    LicenceField,
    LicenceResponse,
    LicenceType,
    ListLicenceTypesRequest,
    ListLicenceTypesResponse,
    LookupRequest,
    LookupResponse,
    ProofStatusRequest,
    ProofStatusResponse,
    Purpose,
    SealedProof,
)
from ._base import ServiceCalls, _licence_of, method


_LOOKUP = method("Licences", "Lookup")
_GET_LICENCE = method("Licences", "GetLicence")
_GET_PROOF_STATUS = method("Licences", "GetProofStatus")
_CHECK_LICENCE = method("Licences", "CheckLicence")
_GET_SEAL_KEYS = method("Licences", "GetSealKeys")
_LIST_LICENCE_TYPES = method("Licences", "ListLicenceTypes")
_ISSUE_LICENCE = method("Licences", "IssueLicence")
_AMEND_LICENCE = method("Licences", "AmendLicence")
_IMPORT_LICENCES = method("Licences", "ImportLicences")
_SUSPEND_LICENCE = method("Licences", "SuspendLicence")
_REINSTATE_LICENCE = method("Licences", "ReinstateLicence")
_REVOKE_LICENCE = method("Licences", "RevokeLicence")


class LicenceCalls(ServiceCalls):
    """Calls of the licence library, as methods of :class:`noproof.Client`."""

    async def lookup(
        self,
        holder_id: str,
        type_code: str,
        item_code: str,
        case_reference: str,
        staff: str | None = None,
        *,
        timeout: float | None = None,
    ) -> SealedProof:
        """``/noproof.v1.Licences/Lookup``: a sealed electronic proof that the holder has a valid licence of the type.

        Args:
            holder_id: 18-digit resident ID or 18-character unified social credit code.
            type_code: licence type code, e.g. ``"JMSFZ"`` (see :meth:`list_licence_types`).
            item_code: the service item (事项) the proof is for.
            case_reference: the unit's own case reference.
            staff: the acting staff member (sent as ``staff`` metadata), recorded in the proof.

        Verify the result with :func:`noproof.verify_proof`. Raises ``InvalidArgument`` for a
        malformed holder id or unknown type, ``NotFound`` when there is no such licence and
        ``FailedPrecondition`` when it is suspended, revoked or expired.
        """
        request = LookupRequest(holder_id=holder_id, type_code=type_code,
                                purpose=Purpose(item_code=item_code, case_reference=case_reference))
        response = await self.call(_LOOKUP, request, LookupResponse,
                                   metadata=self._staff_metadata(staff), timeout=timeout)
        if not response.HasField("proof"):
            raise Internal("the server answered the lookup without a proof")
        return response.proof

    async def get_licence(
        self,
        licence_id: str,
        item_code: str = "",
        case_reference: str = "",
        staff: str | None = None,
        *,
        holder_id: str,
        timeout: float | None = None,
    ) -> Licence:
        """``/noproof.v1.Licences/GetLicence``: a licence by its identifier (``1.2.156.3005.2....``) and its
        holder's id (required, keyword-only).

        The access gate runs for the identifier's licence type before the library is read, so every
        attempt counts against the rate limits and is audited; a licence of another holder raises
        ``NotFound`` exactly like a licence that does not exist.
        """
        request = GetLicenceRequest(licence_id=licence_id, holder_id=holder_id)
        if item_code or case_reference:
            request.purpose.CopyFrom(Purpose(item_code=item_code, case_reference=case_reference))
        response = await self.call(_GET_LICENCE, request, GetLicenceResponse,
                                   metadata=self._staff_metadata(staff), timeout=timeout)
        if not response.HasField("licence"):
            raise Internal("the server answered GetLicence without a licence")
        return response.licence

    async def proof_status(
        self,
        proof: SealedProof,
        staff: str | None = None,
        *,
        timeout: float | None = None,
    ) -> ProofStatusResponse:
        """``/noproof.v1.Licences/GetProofStatus``: the current status of a proof the caller holds.

        ``status`` is ``valid``, ``licence_suspended``, ``licence_revoked``, ``licence_expired``,
        ``superseded`` (a newer version of the licence is in force), ``licence_not_found`` or
        ``not_checkable`` (a department-verification proof of a licence the library does not hold);
        ``changed_at_millis`` is when the change was recorded, where known. Check the answer's
        signature with :func:`noproof.verify_proof_status`. Raises ``InvalidArgument`` when the
        proof's seal does not verify with the server's keys.
        """
        return await self.call(_GET_PROOF_STATUS, ProofStatusRequest(proof=proof),
                               ProofStatusResponse, metadata=self._staff_metadata(staff), timeout=timeout)

    async def check_licence(
        self,
        holder_id: str,
        type_code: str,
        declared: Mapping[str, str] | Iterable[LicenceField],
        item_code: str = "",
        case_reference: str = "",
        staff: str | None = None,
        *,
        timeout: float | None = None,
    ) -> CheckLicenceResponse:
        """``/noproof.v1.Licences/CheckLicence``: compares what an applicant declared with the record.

        ``declared`` maps field keys (``holder_name`` too) to the declared values: one value per key,
        each ``holder_name`` or a field of the type (``list_licence_types``), else ``InvalidArgument``
        naming ``declared[i].key``. The answer has the licence status and ``MATCH`` or ``MISMATCH`` per
        field (a field the record lacks is ``MISMATCH``; ``NOT_ON_RECORD`` is no longer answered); the
        record itself is not disclosed.
        """
        fields = ([LicenceField(key=k, value=v) for k, v in declared.items()] if isinstance(declared, Mapping)
                  else list(declared))
        request = CheckLicenceRequest(holder_id=holder_id, type_code=type_code, declared=fields)
        if item_code or case_reference:
            request.purpose.CopyFrom(Purpose(item_code=item_code, case_reference=case_reference))
        return await self.call(_CHECK_LICENCE, request, CheckLicenceResponse,
                               metadata=self._staff_metadata(staff), timeout=timeout)

    async def get_seal_keys(self, *, timeout: float | None = None) -> GetSealKeysResponse:
        """``/noproof.v1.Licences/GetSealKeys``: the published seal keys, for :func:`noproof.verify_proof`."""
        return await self.call(_GET_SEAL_KEYS, GetSealKeysRequest(), GetSealKeysResponse,
                               timeout=timeout)

    async def list_licence_types(self, *, timeout: float | None = None) -> list[LicenceType]:
        """``/noproof.v1.Licences/ListLicenceTypes``: the licence-type catalogue."""
        response = await self.call(_LIST_LICENCE_TYPES, ListLicenceTypesRequest(),
                                   ListLicenceTypesResponse, timeout=timeout)
        return list(response.types)

    async def suspend_licence(self, licence_id: str, reason: str, staff: str | None = None, *,
                              timeout: float | None = None) -> Licence:
        """``/noproof.v1.Licences/SuspendLicence`` (issuing unit): suspends a licence; returns it as it is now."""
        return await self._change_status(_SUSPEND_LICENCE, licence_id, reason, staff, timeout)

    async def reinstate_licence(self, licence_id: str, reason: str, staff: str | None = None, *,
                                timeout: float | None = None) -> Licence:
        """``/noproof.v1.Licences/ReinstateLicence`` (issuing unit): lifts a suspension."""
        return await self._change_status(_REINSTATE_LICENCE, licence_id, reason, staff, timeout)

    async def revoke_licence(self, licence_id: str, reason: str, staff: str | None = None, *,
                             timeout: float | None = None) -> Licence:
        """``/noproof.v1.Licences/RevokeLicence`` (issuing unit): revokes a licence, for good."""
        return await self._change_status(_REVOKE_LICENCE, licence_id, reason, staff, timeout)

    async def issue_licence(self, licence: Licence, staff: str | None = None, *, timeout: float | None = None) -> Licence:
        """``/noproof.v1.Licences/IssueLicence`` (issuing unit): adds a licence, ``licence_id`` included."""
        response = await self.call(_ISSUE_LICENCE, IssueLicenceRequest(licence=licence),
                                   LicenceResponse, metadata=self._staff_metadata(staff), timeout=timeout)
        return _licence_of(response, "IssueLicence")

    async def amend_licence(
        self,
        licence_id: str,
        reason: str,
        fields: Mapping[str, str] | None = None,
        holder_name: str = "",
        valid_to: str = "",
        staff: str | None = None,
        *,
        timeout: float | None = None,
    ) -> Licence:
        """``/noproof.v1.Licences/AmendLicence`` (issuing unit): records a new version of a licence.

        ``fields`` sets fields (value ``""`` removes one); ``holder_name``/``valid_to`` change
        those when non-empty.
        """
        request = AmendLicenceRequest(licence_id=licence_id, reason=reason, holder_name=holder_name, valid_to=valid_to,
                                      fields=[LicenceField(key=k, value=v) for k, v in (fields or {}).items()])
        response = await self.call(_AMEND_LICENCE, request, LicenceResponse,
                                   metadata=self._staff_metadata(staff), timeout=timeout)
        return _licence_of(response, "AmendLicence")

    async def import_licences(self, licences: Iterable[Licence], *, timeout: float | None = 120.0) -> ImportLicencesResponse:
        """``/noproof.v1.Licences/ImportLicences`` (issuing unit): bulk-loads a batch of licences; idempotent.

        Rows that fail validation are listed in ``rejected``; the others are written together.
        """
        return await self.call(_IMPORT_LICENCES, ImportLicencesRequest(licences=list(licences)),
                               ImportLicencesResponse, timeout=timeout)

    async def _change_status(self, method: Method, licence_id: str, reason: str, staff: str | None,
                             timeout: float | None) -> Licence:
        response = await self.call(method,
                                   ChangeLicenceStatusRequest(licence_id=licence_id, reason=reason),
                                   LicenceResponse, metadata=self._staff_metadata(staff), timeout=timeout)
        return _licence_of(response, method.name)
