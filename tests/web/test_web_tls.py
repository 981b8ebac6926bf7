"""`os1 serve --tls`: a certificate authority of the machine's own, a server certificate for its
names, and a real HTTPS server that a client trusting that authority logs in to."""

from __future__ import annotations

import ssl
import stat

import httpx
from conftest import PASSWORD
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from web_helpers import free_port, running

from os1.core.conversation import Companion
from os1.interfaces.web.server import create_app
from os1.interfaces.web.tls import ensure_certificate, fingerprint


def test_the_authority_signs_a_certificate_for_the_machines_names(settings):
    cert_path, key_path, ca_path = ensure_certificate(settings.data_dir, ["localhost", "127.0.0.1"])
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE((ca_path.parent / "ca.key").stat().st_mode) == 0o600
    ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    cert.verify_directly_issued_by(ca)
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in usage
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 398
    again = ensure_certificate(settings.data_dir, ["localhost", "127.0.0.1"])
    assert again[0].read_bytes() == cert_path.read_bytes(), "kept while it covers the names"
    wider = ensure_certificate(settings.data_dir, ["localhost", "127.0.0.1", "192.168.1.20"])
    renewed = x509.load_pem_x509_certificate(wider[0].read_bytes())
    renewed.verify_directly_issued_by(ca)  # the same authority: the phone trusts it already
    ips = renewed.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "192.168.1.20" in [str(ip) for ip in ips.get_values_for_type(x509.IPAddress)]
    assert len(fingerprint(ca_path).split(":")) == 32


async def test_a_client_trusting_the_authority_logs_in_over_https(settings, store, llm, capsys):
    cert, key, ca = ensure_certificate(settings.data_dir, ["localhost", "127.0.0.1"])
    port = free_port()
    app = create_app(settings, base_url=f"https://127.0.0.1:{port}",
                     companion=Companion(settings, llm, store, {}))
    async with running(app, port, ssl_certfile=str(cert), ssl_keyfile=str(key)) as base:
        link = next(w for w in capsys.readouterr().out.split() if "/setup?token=" in w)
        assert link.startswith("https://")
        untrusted = httpx.AsyncClient(base_url=base)
        try:
            await untrusted.get("/login")
            raise AssertionError("a client that does not trust the authority must refuse")
        except httpx.ConnectError:
            pass
        finally:
            await untrusted.aclose()
        trust = ssl.create_default_context(cafile=str(ca))
        async with httpx.AsyncClient(base_url=base, verify=trust) as client:
            page = await client.get("/setup", params={"token": link.split("token=")[1]})
            csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
            made = await client.post("/setup", data={"csrf": csrf, "token": link.split("token=")[1],
                                                     "name": "alice", "password": PASSWORD, "again": PASSWORD})
            assert made.status_code == 303
            # over HTTPS the client's own cookie jar keeps and sends the Secure cookie
            assert (await client.get("/memory")).status_code == 200
            served_ca = await client.get("/tls/ca.pem")
            assert served_ca.content == ca.read_bytes()
