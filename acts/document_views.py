"""Staff pages of an act's documents and its publication (issue 16 parts 4-5): the PDF per
language (a signed act's as it was signed, a draft's rendered now), and the publication preview
where the prosecutor sees exactly what the public will read and decides (Art. 42). Access through
the one policy (404 out of scope); every download audited; a classified act's read recorded."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User as StaffUser
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from acts import documents, publication
from acts.models import Act
from acts.selectors import get_act_or_404
from prosecution.audit import log as audit
from prosecution.files import uploads
from prosecution.lib.errors import RuleViolation
from prosecution.models import AuditOutcome
from prosecution.offices import access


def _staff_act(request: HttpRequest, uuid: UUID) -> tuple[StaffUser, Act]:
    user = request.user
    if not isinstance(user, StaffUser) or access.staff_profile(user) is None:
        raise Http404
    act = get_act_or_404(user, str(uuid))
    audit.classified_read([act], where="act.document")
    return user, act


@login_required
def document(request: HttpRequest, uuid: UUID, language: str) -> HttpResponseBase:
    """The act's PDF in `language`: as signed once it is signed, else a draft rendered now."""
    if language not in documents.LANGUAGES:
        raise Http404
    user, act = _staff_act(request, uuid)
    name = documents.download_name(act, language)
    signed = act.documents.filter(language=language).first()
    if signed is not None:
        try:
            documents.signed_pdf(signed)  # refuses bytes that are not the ones signed
        except documents.DocumentChanged as changed:
            # Never handed out; the log keeps the alarm, and the server error tells the reader.
            audit.record(
                "act.document_changed",
                target=act,
                actor=user,
                outcome=AuditOutcome.FAILED,
                error=str(changed),
            )
            raise
        audit.record("act.document_downloaded", target=act, actor=user, language=language)
        return uploads.attachment_response(
            signed.stored_name, download_name=name, content_type="application/pdf"
        )
    try:
        pdf = documents.preview(act, language=language)
    except RuleViolation:  # signed, its documents still being made (acts/tasks.py)
        raise Http404 from None
    audit.record("act.draft_printed", target=act, actor=user, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    return uploads.as_attachment(response, download_name=name, extension="pdf")


@login_required
@require_http_methods(["GET", "POST"])
def publication_preview(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Art. 42: what the public would read, what was taken out, and the decision."""
    user, act = _staff_act(request, uuid)
    if not publication.may_publish(act, user):
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                publication.withdraw_publication(act, by=user)
                messages.success(request, _("The act is no longer published."))
            else:
                publication.publish_act(
                    act, by=user, on_violation_of_rights=bool(request.POST.get("on_rights"))
                )
                messages.success(request, _("The act is published."))
        except RuleViolation as refused:
            error = refused.with_article()
        else:
            return redirect("act_documents:publication", uuid=act.uuid)
    context: dict[str, Any] = {
        "act": act,
        "shown": publication.public_text(act),
        "error": error,
        "languages": documents.LANGUAGES,
    }
    return render(request, "acts/publication_preview.html", context)
