"""The act as an official document (issue 16, part 4): a PDF in Kazakh, Russian and English from a
template per kind (templates/acts/documents/<kind>.html, else act.html), on the office's letterhead
in the document's language (templates/documents/official.html), through the safe renderer
(prosecution/files/documents.py: nothing a user wrote can make it fetch anything).

When an act is signed, `sign_documents` renders it once in each language, stores each PDF in the
private files (the layout prosecution/files/uploads.py serves), with its SHA-256 and the detached
signature of exactly those bytes (prosecution/files/signing.py). From then on the act's PDF is the
stored one: it is never rendered again (`preview` refuses a signed act, `sign_documents` a second
time), and `signed_pdf` hands it out only while its bytes still have the hash that was signed.
A draft is printed by `preview`, live, and never stored.
"""

import hashlib
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acts.models import Act, ActDocument, ActEvent, ActEventKind, ActKind, ActState, AddresseeKind
from acts.rules import ARTICLE_OF
from acts.services.common import tell_signatory
from acts.tasks import DOCUMENT_ATTEMPTS
from prosecution.audit import log as audit
from prosecution.files import documents, signing
from prosecution.files.uploads import read_stored
from prosecution.lib.errors import RuleViolation
from prosecution.models import NoticeKind

logger = logging.getLogger(__name__)

# The languages every act is printed in: the state language, Russian (Constitution Art. 7) and
# English (issue 16).
LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


class DocumentChanged(Exception):
    """A stored PDF whose bytes no longer have the hash that was signed: never handed out."""


def template_names(act: Act) -> list[str]:
    return [f"acts/documents/{act.kind}.html", "acts/documents/act.html"]


def address_of(act: Act) -> str:
    """The address the QR code holds: the act's public page once published, else its page for
    staff (the document is signed before publication is decided, so a signed PDF holds the
    staff page, which answers 404 to anyone out of scope)."""
    if act.published_at is not None:
        return settings.SITE_URL + reverse("acts_public:detail", args=[act.uuid])
    return settings.SITE_URL + reverse("act-detail", args=[act.uuid])


def _addressee_lines(act: Act) -> list[Any]:
    lines: list[Any] = [act.addressee_name]
    if act.addressee_number:
        # Lazy: render_pdf resolves the label in the document's language.
        label = (
            gettext_lazy("BIN") if act.addressee_kind == AddresseeKind.BODY else gettext_lazy("IIN")
        )
        lines.append(format_lazy("{} {}", label, act.addressee_number))
    if act.addressee_address:
        lines.append(act.addressee_address)
    return lines


def context_for(act: Act) -> dict[str, Any]:
    """What the templates read. Labels stay lazy: the renderer resolves them in the document's
    language."""
    return {
        "act": act,
        "office": act.office,
        "reference_number": act.register_number,
        "date": act.signed_on or timezone.localdate(),
        "title": ActKind(act.kind).label,
        "addressee_lines": _addressee_lines(act),
        "statute": ARTICLE_OF.get(act.kind, ""),
        "signatory": act.signatory,
        "qr_url": address_of(act),
    }


def _render(act: Act, language: str) -> bytes:
    template = select_template(template_names(act))
    return documents.render_pdf(template.template.name, context_for(act), language=language)


def preview(act: Act, *, language: str) -> bytes:
    """The PDF of a draft, rendered now and stored nowhere. A signed act is printed only as it
    was signed (`signed_pdf`)."""
    if act.state != ActState.DRAFT or act.documents.exists():
        raise RuleViolation(
            _("A signed act is printed only as it was signed; it is never rendered again."),
            code="document_signed",
        )
    return _render(act, language)


def _signatory_line(act: Act) -> str:
    """Who signs, as the signature names them: the name and the position (in Kazakh, the state
    language, whatever the reader's)."""
    user = act.signatory
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None)
    name = user.get_full_name() or user.get_username()
    if profile is None:
        return name
    with translation.override("kk"):
        return f"{name}, {profile.get_position_display()}"


def sign_documents(act: Act, *, by: Any, languages: Sequence[str] = LANGUAGES) -> list[ActDocument]:
    """Render the signed act once in each language, store and sign each PDF. Called by the
    service that signs the act (acts/services/drafting.py sign_act), inside its transaction: if the
    signing is rolled back, so are these rows (the files left behind are names nobody holds).
    Refused for a draft and for an act whose documents exist: a signed PDF never changes."""
    if act.state == ActState.DRAFT or not act.register_number:
        raise RuleViolation(_("Only a signed act has a signed document."), code="not_signed")
    if act.documents.exists():
        raise RuleViolation(
            _("A signed act is printed only as it was signed; it is never rendered again."),
            code="document_signed",
        )
    signer = signing.signer()
    made = []
    with transaction.atomic():
        for language in languages:
            pdf = _render(act, language)
            key = uuid.uuid4()
            stored_name = documents.store_pdf(key.hex, pdf)
            signature = signer.sign(pdf, signer=_signatory_line(act))
            made.append(
                ActDocument.objects.create(
                    uuid=key,
                    act=act,
                    language=language,
                    stored_name=stored_name,
                    sha256=hashlib.sha256(pdf).hexdigest(),
                    size=len(pdf),
                    signature=signature.value,
                    signature_algorithm=signature.algorithm,
                    signer_id=signature.signer_id,
                    certificate=signature.certificate,
                    signed_at=timezone.now(),
                )
            )
        audit.record(
            "act.documents_signed",
            target=act,
            actor=by,
            languages=list(languages),
            sha256={d.language: d.sha256 for d in made},
        )
    return made


def build_signed(act_id: int) -> str:
    """The worker's step after an act is signed (acts/tasks.py): its documents, once. A second
    run (a retry, a duplicate message) finds them made and does nothing. A run that fails (the
    render, the store, the signature, the time limit) leaves its trace on the act (a
    DOCUMENTS_FAILED event, the audit log, the error in the worker's log) and raises again: the
    beat's rescue tries DOCUMENT_ATTEMPTS times in all, then the signatory is told."""
    try:
        with transaction.atomic():
            act = (
                # Only the act's row is locked: PostgreSQL locks no nullable side of an outer join.
                Act.objects.select_for_update(of=("self",))
                .select_related("office", "signatory__staff_profile__class_rank")
                .filter(pk=act_id)
                .first()
            )
            if act is None or act.state == ActState.DRAFT:
                return "gone"
            if act.documents.exists():
                return "done"
            sign_documents(act, by=None)
    except Exception as error:
        _failed(act_id, error)
        raise
    return "signed"


def _failed(act_id: int, error: Exception) -> None:
    """Record a failed build, in a transaction of its own (the build's was rolled back). The
    event names the error's kind only: its message, which may name files and keys, goes to the
    worker's log."""
    logger.exception("act %s: the signed documents could not be prepared", act_id)
    with transaction.atomic():
        act = Act.objects.select_for_update(of=("self",)).filter(pk=act_id).first()
        if act is None:
            return
        ActEvent.objects.create(
            act=act,
            kind=ActEventKind.DOCUMENTS_FAILED,
            on=timezone.localdate(),
            reason=type(error).__name__,
        )
        attempts = act.events.filter(kind=ActEventKind.DOCUMENTS_FAILED).count()
        audit.record(
            "act.documents_failed", target=act, attempt=attempts, error=type(error).__name__
        )
        if attempts == DOCUMENT_ATTEMPTS:
            # The rescue stops here: the person who signed hears of it (and of nothing before).
            tell_signatory(
                act, NoticeKind.ACT_DOCUMENTS_FAILED, key="documents-failed", attempts=attempts
            )


def signed_pdf(document: ActDocument) -> bytes:
    """The stored PDF, only if its bytes still have the signed hash and the signature holds."""
    pdf = read_stored(document.stored_name)
    if hashlib.sha256(pdf).hexdigest() != document.sha256:
        raise DocumentChanged(f"{document.stored_name}: the bytes are not the ones signed")
    stored = signing.Signature(
        algorithm=document.signature_algorithm,
        value=bytes(document.signature),
        signer_id=document.signer_id,
        certificate=bytes(document.certificate),
    )
    if not signing.signer().verify(pdf, stored):
        raise DocumentChanged(f"{document.stored_name}: the signature does not verify")
    return pdf


def download_name(act: Act, language: str) -> str:
    number = act.register_number or str(_("draft"))
    return f"{ActKind(act.kind).label} {number} {language}.pdf"
