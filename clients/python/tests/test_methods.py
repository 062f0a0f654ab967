"""The method table (noproof._methods, generated from the .proto service blocks) and its use by the service modules."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import noproof
import noproof.services
from noproof import messages
from noproof._methods import METHODS, Method
from noproof.retry import SAFETY, Safety, _AUDITED, _IDEMPOTENT, _READS

SERVICES = Path(noproof.services.__file__).parent


def service_modules() -> list[object]:
    return [importlib.import_module(f"noproof.services.{info.name}") for info in pkgutil.iter_modules([str(SERVICES)])]


def used_methods() -> list[Method]:
    return [value for module in service_modules() for value in vars(module).values() if isinstance(value, Method)]


def test_table_is_sorted_by_id_with_unique_ids_and_consistent_paths() -> None:
    ids = [method.id for method in METHODS.values()]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for path, method in METHODS.items():
        assert path == method.path == f"/{method.service}/{method.name}"


def test_every_method_the_client_uses_is_in_the_table() -> None:
    used = used_methods()
    assert len(used) >= 50
    for method in used:
        assert METHODS.get(method.path) == method, method.path


def test_the_request_and_response_types_of_the_table_exist() -> None:
    names = {getattr(messages, n).DESCRIPTOR.full_name for n in dir(messages)
             if n[0].isupper() and hasattr(getattr(messages, n), "DESCRIPTOR")}
    for method in used_methods():
        assert method.request in names and method.response in names, method


def test_no_literal_method_paths_in_the_service_modules() -> None:
    for source in [*SERVICES.glob("*.py"), Path(noproof.client.__file__)]:
        for number, line in enumerate(source.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            # docstrings name the method in ``double back-quotes``; code must not spell a path
            for literal in re.findall(r'(?<!`)"/noproof\.v1\.[A-Za-z]+/[A-Za-z]+"', code):
                raise AssertionError(f"{source.name}:{number}: literal method path {literal}")


def test_the_retry_safety_tables_name_methods_of_the_table() -> None:
    for services in (_READS, _AUDITED, _IDEMPOTENT):
        for service, names in services.items():
            for name in names:
                assert f"/noproof.v1.{service}/{name}" in METHODS, (service, name)
    assert set(SAFETY) == set(METHODS)
    assert SAFETY["/noproof.v1.Licences/Lookup"] is Safety.AUDITED
    assert SAFETY["/noproof.v1.Licences/IssueLicence"] is Safety.NEVER
    assert SAFETY["/noproof.v1.Licences/ImportLicences"] is Safety.IDEMPOTENT
    assert SAFETY["/noproof.v1.Verification/WatchRequest"] is Safety.NEVER  # streams are not retried
