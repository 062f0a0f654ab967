"""Calls of the unit registry and item lists (noproof.v1.Units)."""

from __future__ import annotations

from ..messages import (
    ShowItemRequest,
    ShowItemResponse,
)
from ._base import ServiceCalls, method


_SHOW_ITEM = method("Units", "ShowItem")


class UnitCalls(ServiceCalls):
    """Calls of the unit registry and item lists, as methods of :class:`noproof.Client`."""

    async def show_item(self, item_code: str, *, unit_code: str = "", timeout: float | None = None) -> ShowItemResponse:
        """``/noproof.v1.Units/ShowItem`` (public): what the applicant must bring for one item of a unit's published
        list in force ("" = the calling unit), per proof the method and what to do."""
        return await self.call(_SHOW_ITEM, ShowItemRequest(item_code=item_code, unit_code=unit_code),
                               ShowItemResponse, timeout=timeout)
