"""Calls of supervision (noproof.v1.Supervision): the report, who looked, Art. 17 exemptions."""

from __future__ import annotations

from ..messages import (
    ExemptFlagRequest,
    ExemptFlagResponse,
    ListExemptionsRequest,
    ListExemptionsResponse,
    SupervisionReportRequest,
    SupervisionReportResponse,
    WhoLookedRequest,
    WhoLookedResponse,
)
from ._base import ServiceCalls, method


_REPORT = method("Supervision", "Report")
_WHO_LOOKED = method("Supervision", "WhoLooked")
_EXEMPT_FLAG = method("Supervision", "ExemptFlag")
_LIST_EXEMPTIONS = method("Supervision", "ListExemptions")


class SupervisionCalls(ServiceCalls):
    """Calls of supervision, as methods of :class:`noproof.Client`."""

    async def supervision_report(self, from_date: str, to_date: str, *, unit_code: str = "",
                                 timeout: float | None = None) -> SupervisionReportResponse:
        """``/noproof.v1.Supervision/Report``: figures and flags per unit for the civil days ``from_date``
        through ``to_date`` (YYYY-MM-DD, China Standard Time). ``unit_code`` "" = every unit (task force
        office only); a unit may ask for its own."""
        return await self.call(_REPORT,
                               SupervisionReportRequest(from_date=from_date, to_date=to_date, unit_code=unit_code),
                               SupervisionReportResponse, timeout=timeout)

    async def who_looked(self, holder_id: str, *, limit: int = 0, page_token: str = "",
                         timeout: float | None = None) -> WhoLookedResponse:
        """``/noproof.v1.Supervision/WhoLooked`` (citizen portal credential only): one page, newest first,
        of the units that obtained the holder's data; pass ``next_page_token`` back for older entries."""
        return await self.call(_WHO_LOOKED,
                               WhoLookedRequest(holder_id=holder_id, limit=limit, page_token=page_token),
                               WhoLookedResponse, timeout=timeout)

    async def exempt_flag(self, unit_code: str, flag: str, from_date: str, to_date: str, ground: str, reason: str, *,
                          timeout: float | None = None) -> ExemptFlagResponse:
        """``/noproof.v1.Supervision/ExemptFlag``: an Art. 17 exemption against one flag of one unit for the civil
        days ``from_date`` through ``to_date`` (the task force office's staff, signed in with their own staff
        credential). ``created`` is false when the same unit, flag and period already had one."""
        return await self.call(_EXEMPT_FLAG,
                               ExemptFlagRequest(unit_code=unit_code, flag=flag, from_date=from_date, to_date=to_date,
                                                 ground=ground, reason=reason),
                               ExemptFlagResponse, timeout=timeout)

    async def list_exemptions(self, from_date: str, to_date: str, *, unit_code: str = "",
                              timeout: float | None = None) -> ListExemptionsResponse:
        """``/noproof.v1.Supervision/ListExemptions``: the exemptions whose period overlaps the given days, of one
        unit or ("" — task force office only) every unit."""
        return await self.call(_LIST_EXEMPTIONS,
                               ListExemptionsRequest(from_date=from_date, to_date=to_date, unit_code=unit_code),
                               ListExemptionsResponse, timeout=timeout)
