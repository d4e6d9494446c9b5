"""Downloads of an appeal's files: the answer letter and the attachments, only through the access
policy (404 outside the scope), always as attachments (docs/security.md 14)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from appeals.models import Appeal, DocumentStatus
from appeals.services.answer import letter_download_name
from prosecution.files import uploads
from prosecution.offices import access


def _appeal(request, uuid) -> Appeal:
    if access.staff_profile(request.user) is None:
        raise Http404
    return access.get_visible_or_404(
        request.user, Appeal.objects.all(), office_field="office_path", uuid=uuid
    )


@login_required
def letter(request, uuid, letter_uuid):
    appeal = _appeal(request, uuid)
    found = appeal.letters.filter(uuid=letter_uuid, status=DocumentStatus.READY).first()
    if found is None:
        raise Http404
    return uploads.attachment_response(
        found.stored_name,
        download_name=letter_download_name(appeal, found),
        content_type="application/pdf",
    )


@login_required
def attachment(request, uuid, attachment_uuid):
    appeal = _appeal(request, uuid)
    found = appeal.attachments.filter(uuid=attachment_uuid).first()
    if found is None:
        raise Http404
    return uploads.attachment_response(
        found.stored_name, download_name=found.original_name, content_type=found.content_type
    )
