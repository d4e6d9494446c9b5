"""The detached signature of documents (prosecution/files/signing.py): the development signer signs
and verifies, refuses what was changed or signed by another key, and is chosen by a setting."""

import os
import threading

import pytest

from prosecution.files import signing
from prosecution.files.signing import DevelopmentSigner, Signature

PDF = b"%PDF-1.7 an act, as it was signed"


@pytest.fixture
def key_file(tmp_path, settings):
    path = tmp_path / "signing" / "key.pem"
    settings.DOCUMENT_SIGNING_KEY_FILE = path
    return path


def test_a_signature_verifies_the_bytes_it_was_made_over(key_file):
    signer = DevelopmentSigner()
    signature = signer.sign(PDF, signer="Н. Құрманғали, облыс прокуроры")

    assert signer.verify(PDF, signature)
    assert signature.signer_id.startswith("Н. Құрманғали, облыс прокуроры [")
    assert signature.certificate.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert len(signature.value) == 64  # Ed25519


def test_a_changed_document_does_not_verify(key_file):
    signer = DevelopmentSigner()
    signature = signer.sign(PDF, signer="x")

    assert not signer.verify(PDF + b" ", signature)
    assert not signer.verify(PDF.replace(b"act", b"ACT"), signature)


def test_a_signature_of_another_key_does_not_verify_even_with_its_own_key(tmp_path, key_file):
    """A forger makes a key and a signature that agree with each other: only our key counts."""
    ours = DevelopmentSigner()
    theirs = DevelopmentSigner(tmp_path / "forger.pem")
    forged = theirs.sign(PDF, signer="x")

    assert theirs.verify(PDF, forged)
    assert not ours.verify(PDF, forged)
    assert not ours.verify(PDF, Signature("cms-gost-nca", forged.value, "x", forged.certificate))


def test_the_key_is_made_once_private_and_kept(key_file):
    first = DevelopmentSigner().sign(PDF, signer="x")

    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"
    assert DevelopmentSigner().verify(PDF, first)  # a new process reads the same key


def test_workers_making_the_first_key_at_once_share_one(key_file):
    barrier = threading.Barrier(8)
    keys = []

    def first_signature():
        barrier.wait()
        keys.append(DevelopmentSigner().public_pem())

    threads = [threading.Thread(target=first_signature) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(keys) == 8 and len(set(keys)) == 1  # each read a whole key, the same one


class RecordingSigner:
    algorithm = "recording"

    def sign(self, data, *, signer):
        return Signature(self.algorithm, b"sig", signer, b"")

    def verify(self, data, signature):
        return True


def test_the_setting_chooses_the_signer(settings, key_file):
    assert isinstance(signing.signer(), DevelopmentSigner)

    settings.DOCUMENT_SIGNER = f"{__name__}.RecordingSigner"
    assert signing.signer().sign(PDF, signer="x").algorithm == "recording"


def test_a_deployment_is_told_that_its_documents_are_signed_for_development(settings):
    from django.core.checks import INFO, run_checks

    settings.DEBUG = False
    found = [m for m in run_checks(include_deployment_checks=True) if m.id == "prosecution.I001"]
    assert [m.level for m in found] == [INFO]  # said, below the deployment's failing level

    settings.DOCUMENT_SIGNER = f"{__name__}.RecordingSigner"
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "prosecution.I001"]
