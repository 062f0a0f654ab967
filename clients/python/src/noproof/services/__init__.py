"""The calls of each NoProof service, one mixin per service, composed into :class:`noproof.Client`."""

from .audit import AuditCalls
from .builtin import BuiltinCalls
from .licences import LicenceCalls
from .oversight import OversightCalls
from .supervision import SupervisionCalls
from .units import UnitCalls
from .verification import VerificationCalls

__all__ = ["AuditCalls", "BuiltinCalls", "LicenceCalls", "OversightCalls", "SupervisionCalls", "UnitCalls", "VerificationCalls"]
