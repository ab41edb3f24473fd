"""The Ed25519 key that signs audit checkpoints (``cryptography``), and the development key.

The private key is a PKCS#8 PEM file named by ``CF_AUDIT_SIGNING_KEY`` (``factory audit keygen`` writes
one, readable by its owner only). Without the setting, outside production, a development key is made once
in ``CF_DATA_DIR/audit/dev-signing-key.pem`` and a warning says so: it proves little, since whoever can
read the data folder can sign with it. Anyone holding only the public key can verify checkpoints.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.errors import ConfigurationError
from app.settings import Settings

log = logging.getLogger("factory")
DEV_KEY_NAME = "dev-signing-key.pem"


@dataclass(frozen=True)
class Signer:
    """A private key and what verifiers need of it: the public key and its ``key_id``."""

    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def sign(self, message: bytes) -> str:
        """The base64 Ed25519 signature (64 bytes) of ``message``."""
        return base64.b64encode(self.private_key.sign(message)).decode("ascii")


def key_id(public_key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of SHA-256 over the raw 32-byte public key."""
    return hashlib.sha256(raw_public(public_key)).hexdigest()[:16]


def raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def signature_valid(public_key: Ed25519PublicKey, signature_b64: str, message: bytes) -> bool:
    try:
        public_key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def write_new_key(path: Path) -> Signer:
    """Make a key and write it to ``path`` (mode 0600). Never overwrites: FileExistsError if ``path`` exists,
    so two processes making the development key at once end up sharing one."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        os.link(temporary, path)  # atomic, and fails if another process got there first
    finally:
        temporary.unlink(missing_ok=True)
    return Signer(key)


def load_signer(path: Path, *, setting: str = "CF_AUDIT_SIGNING_KEY") -> Signer:
    """The key in ``path``; ConfigurationError naming ``setting`` if it is missing or not an Ed25519 private key."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigurationError(f"{setting}={path}: cannot read an Ed25519 private key ({exc}); make one with "
                                 "`factory audit keygen --out PATH`") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"{setting}={path} is a {type(key).__name__}, not an Ed25519 key; make one with "
                                 "`factory audit keygen --out PATH`")
    return Signer(key)


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file holding it, or holding the private key."""
    data = path.read_bytes()
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        return load_signer(path, setting="--public-key").public_key
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigurationError(f"{path} is not an Ed25519 public key")
    return key


def signer_for(settings: Settings) -> Signer:
    """The configured key, or (outside production; the settings refuse production without one) the
    development key, made on first use with a warning."""
    if settings.audit_signing_key is not None:
        return load_signer(settings.audit_signing_key)
    path = settings.audit_dir / DEV_KEY_NAME
    if not path.exists():
        try:
            write_new_key(path)
            log.warning("audit: no CF_AUDIT_SIGNING_KEY; made a development key for signing checkpoints at %s. "
                        "Set CF_AUDIT_SIGNING_KEY (`factory audit keygen`) before this log must convince anyone.",
                        path)
        except FileExistsError:
            pass
    return load_signer(path, setting=f"the development key {DEV_KEY_NAME}")
