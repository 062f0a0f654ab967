"""Built-in services: health, reflection, the session (authentication) and operations (noproof.v1.Health, Reflection, Session, Admin)."""

from __future__ import annotations

from ..messages import (
    AuthenticateRequest,
    AuthenticateResponse,
    GetStatsRequest,
    GetStatsResponse,
    HealthCheckRequest,
    HealthCheckResponse,
    ListMethodsRequest,
    ListMethodsResponse,
    MethodInfo,
)
from ._base import ServiceCalls, method


_HEALTH_CHECK = method("Health", "Check")
_REFLECTION_LIST_METHODS = method("Reflection", "ListMethods")
_SESSION_AUTHENTICATE = method("Session", "Authenticate")
_ADMIN_GET_STATS = method("Admin", "GetStats")


class BuiltinCalls(ServiceCalls):
    """Built-in services, as methods of :class:`noproof.Client`."""

    async def health(self, service: str = "", *, timeout: float | None = None) -> HealthCheckResponse:
        """``/noproof.v1.Health/Check``: is the server (or one service, e.g. ``"noproof.v1.Licences"``) serving.

        Needs no authentication. An unknown service name raises ``NotFound``.
        """
        return await self.call(_HEALTH_CHECK, HealthCheckRequest(service=service), HealthCheckResponse,
                               timeout=timeout)

    async def list_methods(self, *, timeout: float | None = None) -> list[MethodInfo]:
        """``/noproof.v1.Reflection/ListMethods``: every method with its id, kind, types and access rules."""
        response = await self.call(_REFLECTION_LIST_METHODS, ListMethodsRequest(), ListMethodsResponse,
                                   timeout=timeout)
        return list(response.methods)

    async def authenticate(self, credential_id: str, secret: str, *, timeout: float | None = None) -> AuthenticateResponse:
        """``/noproof.v1.Session/Authenticate``: makes every later call act for the credential's unit.

        :meth:`connect` does this when given a credential. Raises ``Unauthenticated`` for a wrong
        or unknown credential.
        """
        response = await self.call(_SESSION_AUTHENTICATE,
                                   AuthenticateRequest(credential_id=credential_id, secret=secret),
                                   AuthenticateResponse, timeout=timeout)
        self.session = response
        return response

    async def get_stats(self, *, timeout: float | None = None) -> GetStatsResponse:
        """``/noproof.v1.Admin/GetStats``: connections, calls, process CPU, licence cache, audit volume, lookup stages."""
        return await self.call(_ADMIN_GET_STATS, GetStatsRequest(), GetStatsResponse, timeout=timeout)
