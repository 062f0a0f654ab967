"""What the per-service call mixins share: the call primitives they are written against, and the method table."""

from __future__ import annotations

from google.protobuf.message import Message

from .._connection import Metadata, MethodRef, ResponseT, ServerStream
from .._methods import METHODS, Method
from ..errors import Internal
from ..messages import AuthenticateResponse, Licence, LicenceResponse

__all__ = ["ServiceCalls", "method", "ResponseT"]


def method(service: str, name: str) -> Method:
    """The method ``name`` of the service ``noproof.v1.<service>`` in the generated method table.

    Raises ``KeyError`` at import time when the table has no such method, so a renamed or
    removed method is noticed at once rather than as ``UNIMPLEMENTED`` at the first call.
    """
    return METHODS[f"/noproof.v1.{service}/{name}"]


class ServiceCalls:
    """The primitives the service mixins call; :class:`noproof.Client` implements them."""

    staff: str | None
    session: AuthenticateResponse | None

    async def call(
        self,
        method: MethodRef,
        request: Message,
        response_type: type[ResponseT],
        *,
        metadata: Metadata | None = None,
        timeout: float | None = None,
    ) -> ResponseT:
        raise NotImplementedError

    def stream(
        self,
        method: MethodRef,
        request: Message,
        response_type: type[ResponseT],
        *,
        metadata: Metadata | None = None,
        timeout: float | None = None,
    ) -> ServerStream[ResponseT]:
        raise NotImplementedError

    def _staff_metadata(self, staff: str | None) -> list[tuple[str, str]] | None:
        """The ``staff`` metadata of a call: ``staff``, else the connection's default staff member."""
        member = staff or self.staff
        return [("staff", member)] if member else None


def _licence_of(response: LicenceResponse, method: str) -> Licence:
    if not response.HasField("licence"):
        raise Internal(f"the server answered {method} without a licence")
    return response.licence
