"""The answer letter (Art. 24(7)): a PDF on the office's letterhead, in the language of the answer,
with the registration number, the reasoned answer, the legislation, and the paragraph on the right
to complain from a template in that language. Built by a worker to a temporary file, then moved
(prosecution/files/documents.py); WeasyPrint fetches nothing a user controls."""

import hashlib
import logging

from django.db import transaction
from django.utils import timezone

from appeals.models import AnswerLetter, AppealKind, DocumentStatus
from prosecution.files import documents
from prosecution.offices.selectors import ancestors

log = logging.getLogger(__name__)


def context_for(letter: AnswerLetter) -> dict:
    appeal = letter.appeal
    chain = list(ancestors(appeal.office))
    superior = chain[-2] if len(chain) > 1 else None
    return {
        "appeal": appeal,
        "title": appeal.reference,
        "office": appeal.office,
        "superior": superior,
        "applicants": list(appeal.applicants.all()),
        "letter": letter,
        "is_complaint": appeal.kind == AppealKind.COMPLAINT,
        "signed_by": appeal.decided_by,
        "date": (appeal.decided_at and timezone.localtime(appeal.decided_at).date())
        or timezone.localdate(),
    }


def build(letter_id: int) -> str:
    """Render and store the letter; the row says ready (with the file's hash) or failed (with the
    error), never half of either."""
    letter = (
        AnswerLetter.objects.select_related("appeal__office", "appeal__decided_by")
        .filter(pk=letter_id, status=DocumentStatus.PENDING)
        .first()
    )
    if letter is None:
        return "gone"
    try:
        pdf = documents.render_pdf(
            "appeals/answer_letter.html", context_for(letter), language=letter.language
        )
        stored_name = documents.store_pdf(letter.uuid.hex, pdf)
    except Exception as error:  # the letter says what went wrong; staff may decide again
        log.exception("answer letter %s failed", letter_id)
        AnswerLetter.objects.filter(pk=letter_id, status=DocumentStatus.PENDING).update(
            status=DocumentStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return "failed"
    with transaction.atomic():
        AnswerLetter.objects.filter(pk=letter_id, status=DocumentStatus.PENDING).update(
            status=DocumentStatus.READY,
            stored_name=stored_name,
            sha256=hashlib.sha256(pdf).hexdigest(),
            built_at=timezone.now(),
        )
    return "ready"
