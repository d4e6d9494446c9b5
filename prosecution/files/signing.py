"""A detached electronic signature of a document: one seam, a signer chosen by a setting.

A signed act's PDF is stored as it was signed, with its SHA-256 and a *detached* signature beside
it (the PDF itself is never changed by signing, so its hash stays the one that was signed). The
signer is chosen by `settings.DOCUMENT_SIGNER`, a dotted path to a class with the interface of
`Signer` below; `signer()` builds it.

**The national signer, for production.** In Kazakhstan a document is signed with the signatory's
own key and a certificate of the National Certification Centre (NCA RK): the key stays on the
person's token, and the browser asks NCALayer (a local application) for a CMS signature;
the server checks it with KalkanCrypt (the NCA's library) or the NCA's verification service and
the certificate's revocation status. That signer plugs in here as one class:

- `sign(data, signer=...)`: on the server there is no key to sign with; the class takes the CMS
  the browser brought back from NCALayer (for `data`'s SHA-256), verifies it and returns it as the
  `Signature`, with the certificate's subject (IIN, name) as `signer_id` and the certificate as
  `certificate`: the flow is "render, hash, ask the browser, store", and the service that signs an
  act calls `sign` the same way for both signers;
- `verify(data, signature)`: KalkanCrypt's check of the CMS against `data`, the chain and the
  certificate's status at signing time.

**The development signer is not for production**: its Ed25519 key is a file on the application
server, not on the signatory's token; it names the signatory but proves only that the document
left this server unchanged, not that the person signed it, and no certificate of the NCA stands
behind it, so the signature has no legal force (Law "On electronic document and electronic digital
signature"). It lets the whole flow (render, hash, sign, store, verify, refuse a second render) run
and be tested on a machine without NCALayer.
"""

import base64
import hashlib
import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Signature:
    """A detached signature of some bytes and who (or what key) made it."""

    algorithm: str  # "ed25519-development", "cms-gost-nca" …
    value: bytes  # the signature itself (raw Ed25519, or a detached CMS)
    signer_id: str  # who signed: a key's fingerprint, a certificate's subject
    certificate: bytes  # what verifies it: a public key (PEM) or the signer's certificate

    @property
    def value_base64(self) -> str:
        return base64.b64encode(self.value).decode("ascii")


class Signer(Protocol):
    algorithm: str

    def sign(self, data: bytes, *, signer: str) -> Signature:
        """A detached signature of `data` on behalf of `signer` (a person's name and position, as
        the document names them)."""
        ...

    def verify(self, data: bytes, signature: Signature) -> bool:
        """True only if `signature` was made over exactly `data` by the key it names."""
        ...


def fingerprint(public_pem: bytes) -> str:
    """A short, stable name of a public key: the first 16 bytes of the SHA-256 of its PEM."""
    return hashlib.sha256(public_pem).hexdigest()[:32]


class DevelopmentSigner:
    """Ed25519 with a key in a file (`settings.DOCUMENT_SIGNING_KEY_FILE`), made on first use. Not
    for production: see the module's docstring."""

    algorithm = "ed25519-development"

    def __init__(self, key_file: str | os.PathLike[str] | None = None) -> None:
        self.key_file = Path(key_file or settings.DOCUMENT_SIGNING_KEY_FILE)

    def _private_key(self) -> Ed25519PrivateKey:
        if not self.key_file.exists():
            self._create_key()
        key = serialization.load_pem_private_key(self.key_file.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{self.key_file} holds no Ed25519 key.")
        return key

    def _create_key(self) -> None:
        self.key_file.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Two workers signing their first document at once must not each keep a key (the second
        # would replace the key the first signed with), nor read one half written: the key is
        # written whole to a file of this process, then linked into place, which fails if a key
        # is there already (atomic); the loser reads the winner's, complete.
        draft = self.key_file.with_name(
            f".{self.key_file.name}.{os.getpid()}.{threading.get_ident()}"
        )
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(draft, self.key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()

    def public_pem(self) -> bytes:
        return (
            self._private_key()
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )

    def sign(self, data: bytes, *, signer: str) -> Signature:
        key = self._private_key()
        public = self.public_pem()
        return Signature(
            algorithm=self.algorithm,
            value=key.sign(data),
            signer_id=f"{signer} [{fingerprint(public)}]",
            certificate=public,
        )

    def verify(self, data: bytes, signature: Signature) -> bool:
        # The key that verifies is ours, not the one the signature brings: anyone can make a key
        # and a signature that agree with each other.
        if signature.algorithm != self.algorithm or signature.certificate != self.public_pem():
            return False
        public = serialization.load_pem_public_key(signature.certificate)
        if not isinstance(public, Ed25519PublicKey):
            return False
        try:
            public.verify(signature.value, data)
        except InvalidSignature:
            return False
        return True


@cache
def _signer_class(path: str) -> type:
    cls: type = import_string(path)
    return cls


def signer() -> Signer:
    """The signer `settings.DOCUMENT_SIGNER` names."""
    instance: Signer = _signer_class(settings.DOCUMENT_SIGNER)()
    return instance
