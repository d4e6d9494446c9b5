"""Recompute the audit log's hash chain (docs/security.md 24) and check it against the anchors kept
outside the database: "N records, chain intact", or the first broken link and exit code 1. Records
committed and still waiting to be chained after SEAL_OVERDUE are a warning (prosecution/audit/
chain.py): they are not in the chain yet, so the chain proves nothing of them."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prosecution.audit import anchors, chain


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chain, check it against the anchors, and report the "
        "first broken link."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--anchors",
            dest="anchor_file",
            type=Path,
            help="The anchor file (default: AUDIT_ANCHOR_FILE, if it exists).",
        )

    def handle(self, *args, anchor_file: Path | None = None, **options) -> None:
        count, broken = chain.verify()
        if broken is None:
            broken, anchored = self._anchors(anchor_file)
        if broken is not None:
            raise CommandError(
                _("The audit log is broken at record %(seq)s: %(problem)s")
                % {"seq": broken.seq, "problem": broken.problem}
            )
        message = ngettext(
            "%(count)s record, chain intact", "%(count)s records, chain intact", count
        ) % {"count": count}
        if anchored:
            message += "; " + ngettext(
                "%(anchors)s anchor holds (the last: record %(seq)s)",
                "%(anchors)s anchors hold (the last: record %(seq)s)",
                len(anchored),
            ) % {"anchors": len(anchored), "seq": max(a.seq for a in anchored)}
        self.stdout.write(message)
        self._overdue()

    def _anchors(self, path: Path | None):
        if path is None:
            path = Path(settings.AUDIT_ANCHOR_FILE)
            if not path.exists():
                return None, []
        try:
            anchored = anchors.read_anchors(path)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        return anchors.check_anchors(anchored), anchored

    def _overdue(self) -> None:
        late, oldest = chain.overdue()
        if not late:
            return
        warning = ngettext(
            "Warning: %(count)s record has waited more than %(minutes)s minutes to be chained "
            "(the oldest is of %(oldest)s). The task prosecution.tasks.seal_audit_log chains "
            "them every five minutes: are the Celery beat and worker running?",
            "Warning: %(count)s records have waited more than %(minutes)s minutes to be chained "
            "(the oldest is of %(oldest)s). The task prosecution.tasks.seal_audit_log chains "
            "them every five minutes: are the Celery beat and worker running?",
            late,
        ) % {
            "count": late,
            "minutes": int(chain.SEAL_OVERDUE.total_seconds() // 60),
            "oldest": timezone.localtime(oldest).isoformat(timespec="seconds"),
        }
        self.stderr.write(self.style.WARNING(warning))
