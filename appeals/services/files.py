"""Documents attached to an appeal by the applicant or by staff (docs/security.md 14): each checked
by its content, its size and the record's count, stored privately under a generated name."""

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from appeals.models import Appeal, AppealEventKind, Attachment
from appeals.services.common import begin, log
from prosecution.files import uploads


def check_files(
    files: Sequence[File], *, existing: int = 0
) -> list[tuple[File, uploads.DetectedType]]:
    """Inspect every file before any is stored, so that one bad file loses nothing and stores
    nothing. Returns (file, detected type) pairs, or raises ValidationError keyed by the form's
    field, "files", with a message per bad file that names it (a page puts it next to the field;
    a plain message left the public form without its field, and it answered 500: issue 13)."""
    try:
        return uploads.inspect_all(files, existing=existing)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from None


def store_files(
    appeal: Appeal,
    checked: Iterable[tuple[File, uploads.DetectedType]],
    *,
    by: User | None = None,
    from_applicant: bool,
) -> list[Attachment]:
    stored = []
    for file, detected in checked:
        saved = uploads.store(file, detected)
        # The row goes with the transaction; a rollback leaves an orphan file, never a row
        # without its file.
        stored.append(
            Attachment.objects.create(
                appeal=appeal,
                stored_name=saved.name,
                original_name=(file.name or "file")[:255],
                content_type=saved.content_type,
                size=saved.size,
                sha256=saved.sha256,
                from_applicant=from_applicant,
                uploaded_by=by,
            )
        )
    return stored


@transaction.atomic
def attach_files(
    appeal: Appeal, *, by: User, files: Sequence[File], from_applicant: bool = False
) -> list[Attachment]:
    """Staff add documents to an appeal in work (the applicant's materials, a reply received)."""
    appeal, _target = begin(appeal, "attach", by=by)
    checked = check_files(files, existing=appeal.attachments.count())
    stored = store_files(appeal, checked, by=by, from_applicant=from_applicant)
    log(
        appeal,
        AppealEventKind.ATTACHMENT,
        by=by,
        note=", ".join(a.original_name for a in stored),
        files=[str(a.uuid) for a in stored],
    )
    return stored
