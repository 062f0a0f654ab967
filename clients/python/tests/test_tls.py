"""TLS and mutual TLS from Python: a standard ``ssl.SSLContext`` passed to ``Client.connect``.

A small demo server of this module's own listens with mutual TLS (``--tls-client-ca``) beside its
plain loopback port; the PKI is made by ``scripts/make-dev-certs.sh`` (openssl) in a scratch folder.
The water company's client certificate is registered by the task force with the Swift CLI; from then
on the certificate alone authenticates the connection. Revoking its credential closes the session
that is open (its next call fails with UNAUTHENTICATED) and refuses new ones.
"""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ITEM, REPO_ROOT, _bin_dir, _free_port, _read_holders, run, small_demo_server

import noproof

WATER_CODE = "91370400MA3C7WX81E"


@dataclass
class TLSServer:
    port: int
    tls_port: int
    certs: Path
    data_dir: Path

    def context(self, unit: str | None = "demo-water", certs: Path | None = None) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.certs / "ca.pem"))
        if unit is not None:
            folder = certs or self.certs
            context.load_cert_chain(str(folder / f"{unit}.pem"), str(folder / f"{unit}.key"))
        return context

    def taskforce_cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {"NOPROOF_PORT": str(self.port), "NOPROOF_CREDENTIAL": "demo-taskforce/supervisor-0001:demo-secret",
               "NOPROOF_STAFF": "supervisor-0001", "PATH": "/usr/bin:/bin"}
        return subprocess.run([str(_bin_dir() / "noproof"), *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TLSServer]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test certificates")
    scratch = tmp_path_factory.mktemp("tls")
    certs = scratch / "certs"
    subprocess.run([str(REPO_ROOT / "scripts" / "make-dev-certs.sh"), str(certs), "demo-water"], check=True, capture_output=True)
    subprocess.run([str(REPO_ROOT / "scripts" / "make-dev-certs.sh"), str(scratch / "rogue"), "demo-water"], check=True, capture_output=True)
    tls_port = _free_port()
    with small_demo_server(scratch, "--tls-port", str(tls_port), "--tls-cert", str(certs / "server.pem"),
                           "--tls-key", str(certs / "server.key"), "--tls-client-ca", str(certs / "ca.pem")) as (_, port):
        yield TLSServer(port, tls_port, certs, scratch / "data")


def test_mutual_tls_authenticates_by_certificate_and_revocation_closes_the_session(tls_server: TLSServer) -> None:
    holder = _read_holders(tls_server.data_dir)[0]

    async def unregistered() -> noproof.RpcError:
        with pytest.raises(noproof.RpcError) as caught:
            async with noproof.Client.connect("127.0.0.1", tls_server.tls_port, ssl=tls_server.context(), staff="agent-0001") as client:
                await client.health()
        return caught.value

    refused = run(unregistered())
    assert isinstance(refused, noproof.Unauthenticated), refused
    assert "not registered" in refused.message

    issued = tls_server.taskforce_cli("credential", "issue", WATER_CODE, "--cert", str(tls_server.certs / "demo-water.pem"), "--json")
    assert issued.returncode == 0, issued.stderr
    credential_id = json.loads(issued.stdout)["credentialID"]

    async def session() -> noproof.RpcError:
        async with noproof.Client.connect("127.0.0.1", tls_server.tls_port, ssl=tls_server.context(), staff="agent-0001") as client:
            proof = await client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-PY-TLS")
            assert proof.body
            revoked = tls_server.taskforce_cli("credential", "revoke", credential_id, "--reason", "python tls test")
            assert revoked.returncode == 0, revoked.stderr
            with pytest.raises(noproof.RpcError) as caught:
                await client.lookup(holder.holder_id, holder.type_code, ITEM, "CASE-PY-TLS-2")
            return caught.value

    ended = run(session())
    assert isinstance(ended, noproof.Unauthenticated), ended
    assert "revoked" in ended.message


def test_a_certificate_of_another_ca_is_refused_in_the_handshake(tls_server: TLSServer) -> None:
    async def rogue() -> None:
        async with noproof.Client.connect("127.0.0.1", tls_server.tls_port,
                                          ssl=tls_server.context(certs=tls_server.certs.parent / "rogue")) as client:
            await client.health()

    with pytest.raises((noproof.RpcError, ssl.SSLError, ConnectionError)):
        run(rogue())


def test_the_client_refuses_a_server_it_does_not_trust(tls_server: TLSServer) -> None:
    async def untrusting() -> None:
        context = ssl.create_default_context(cafile=str(tls_server.certs.parent / "rogue" / "ca.pem"))
        async with noproof.Client.connect("127.0.0.1", tls_server.tls_port, ssl=context) as client:
            await client.health()

    with pytest.raises((noproof.RpcError, ssl.SSLError, ConnectionError)):
        run(untrusting())
