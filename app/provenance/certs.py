"""The X.509 certificate chain that C2PA needs around the provenance key (``cryptography``).

C2PA signs with a key *and* a certificate chain (the leaf certifies the key; the chain ends at a CA that a
validator may trust). ``CF_PROVENANCE_CERT_CHAIN`` names a PEM file with such a chain, leaf first, for the
provenance key: one issued by a CA on the C2PA trust list makes the sidecar ``Trusted`` for any validator.
Without it a development chain is made once per key in ``CF_DATA_DIR/audit``: a root CA whose private key
is thrown away as soon as it has signed the leaf (so nobody can issue more certificates under it), and a
leaf for the provenance key. Validators report that chain as ``signingCredential.untrusted`` unless they add
the root (``provenance-root-<key id>.pem``) as a trust anchor; the signature and the hash binding are
checked either way.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.audit.keys import Signer
from app.errors import ConfigurationError

ORGANISATION = "Content Factory"
_VALID_DAYS = 5 * 365


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION)])


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=signing, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=not signing,
                         crl_sign=not signing, encipher_only=False, decipher_only=False)


def make_development_chain(public_key: Ed25519PublicKey, now: dt.datetime | None = None) -> tuple[str, str]:
    """(chain PEM with the leaf first, root PEM). The root's private key exists only inside this call."""
    start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=1)
    root_key = Ed25519PrivateKey.generate()
    root = (x509.CertificateBuilder().subject_name(_name("Content Factory development root (not trusted)"))
            .issuer_name(_name("Content Factory development root (not trusted)"))
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=_VALID_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(signing=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, None))
    leaf = (x509.CertificateBuilder().subject_name(_name("Content Factory provenance signer"))
            .issuer_name(root.subject).public_key(public_key).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=_VALID_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(signing=True), critical=True)
            # C2PA's certificate profile accepts emailProtection among the extended key usages of a signer.
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, None))
    root_pem = root.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return leaf.public_bytes(serialization.Encoding.PEM).decode("ascii") + root_pem, root_pem


def development_chain(signer: Signer, folder: Path) -> str:
    """The development chain of ``signer``'s key, made on first use in ``folder`` (see the module docstring).

    Processes starting together may each make a chain; the first to link its file wins and every process
    reads that one. The root is also written alone, as ``provenance-root-<key id>.pem``, for validators."""
    chain_path = folder / f"provenance-chain-{signer.key_id}.pem"
    if not chain_path.exists():
        chain, _root = make_development_chain(signer.public_key)
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{chain_path.name}.{os.getpid()}.tmp"
        temporary.write_text(chain, encoding="ascii")
        try:
            os.link(temporary, chain_path)  # atomic, never replaces another process's chain
        except FileExistsError:
            pass
        finally:
            temporary.unlink(missing_ok=True)
    chain = chain_path.read_text(encoding="ascii")
    root_path = folder / f"provenance-root-{signer.key_id}.pem"
    if not root_path.exists():
        root = x509.load_pem_x509_certificates(chain.encode("ascii"))[-1]
        root_path.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return chain


def configured_chain(path: Path, signer: Signer) -> str:
    """The chain in ``path``; ConfigurationError unless its first certificate is for ``signer``'s key."""
    try:
        pem = path.read_bytes()
        leaf = x509.load_pem_x509_certificates(pem)[0]
    except (OSError, ValueError, IndexError) as exc:
        raise ConfigurationError(f"CF_PROVENANCE_CERT_CHAIN={path}: cannot read a PEM certificate chain "
                                 f"({exc})") from None
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    leaf_key = leaf.public_key()
    ours = signer.public_key.public_bytes(*raw)
    if not isinstance(leaf_key, Ed25519PublicKey) or leaf_key.public_bytes(*raw) != ours:
        raise ConfigurationError(f"CF_PROVENANCE_CERT_CHAIN={path}: its first certificate is not for the provenance "
                                 f"signing key (key id {signer.key_id})")
    return pem.decode("ascii")
