"""Reads of the notices: the bell of each person, the failures for administrators."""

from django.contrib.auth.models import User
from django.db.models import QuerySet

from prosecution.models import Notice, NoticeChannel, NoticeState


def my_notices(user: User) -> QuerySet[Notice]:
    """The bell: a person's in-app notices that have been delivered, newest first
    (notice_bell_idx). Nobody reads another person's notices, whatever their office."""
    return (
        Notice.objects.filter(recipient=user, channel=NoticeChannel.IN_APP, state=NoticeState.SENT)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


def unread_notice_count(user: User) -> int:
    return my_notices(user).filter(read_at__isnull=True).count()


def failed_notice_count() -> int:
    """For administrators: notices that ran out of attempts (notice_failed_idx)."""
    return Notice.objects.filter(state=NoticeState.FAILED).count()
