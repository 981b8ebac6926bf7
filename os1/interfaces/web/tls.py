"""`os1 serve --tls`: HTTPS with a certificate authority of this machine's own.

A phone reaches the page over the network, and browsers keep a Secure cookie, open the
microphone and install a service worker only on HTTPS. No public authority signs a name like
192.168.1.20, so OS1 makes a small authority of its own once (kept in the data dir, its key
readable only by its owner) and signs a certificate for this machine's names and addresses with
it. The user installs the authority's certificate on the phone once (served at /tls/ca.pem,
its fingerprint printed on the console to compare) and every later certificate is trusted.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
CERT_DAYS = 397  # browsers refuse server certificates valid for longer than 398 days


def tls_dir(data_dir: Path) -> Path:
    return data_dir / "web" / "tls"


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


def _load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def machine_names(host: str) -> list[str]:
    """What a browser may call this machine: localhost, loopback, the host it listens on, and,
    listening on every address, this machine's name and its own addresses."""
    names = ["localhost", "127.0.0.1", "::1"]
    extra = [host]
    if host in ("0.0.0.0", "::", ""):
        extra = [socket.gethostname()]
        try:
            extra += [str(a[4][0]) for a in socket.getaddrinfo(socket.gethostname(), None)]
        except OSError:
            pass
    return list(dict.fromkeys(n for n in names + extra if n and n not in ("0.0.0.0", "::")))


def _ca(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert_path, key_path = folder / "ca.pem", folder / "ca.key"
    if cert_path.exists() and key_path.exists():
        return x509.load_pem_x509_certificate(cert_path.read_bytes()), _load_key(key_path)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"OS1 on {socket.gethostname()}"[:64])])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    _write_key(key_path, key)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _san(names: list[str]) -> list[x509.GeneralName]:
    out: list[x509.GeneralName] = []
    for name in names:
        try:
            out.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            out.append(x509.DNSName(name))
    return out


def ensure_certificate(data_dir: Path, names: list[str]) -> tuple[Path, Path, Path]:
    """(certificate, key, authority) files for `names`, made or renewed when needed."""
    folder = tls_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    ca_cert, ca_key = _ca(folder)
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        covered = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        fresh = cert.not_valid_after_utc - datetime.now(UTC) > timedelta(days=30)
        if fresh and set(_san(names)) <= set(covered):
            return cert_path, key_path, folder / "ca.pem"
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=CERT_DAYS))
        .add_extension(x509.SubjectAlternativeName(_san(names)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write_key(key_path, key)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path, folder / "ca.pem"


def fingerprint(ca_path: Path) -> str:
    """The authority's SHA-256 fingerprint, as phones show it: compare before trusting it."""
    digest = x509.load_pem_x509_certificate(ca_path.read_bytes()).fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)
