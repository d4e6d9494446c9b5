"""Recompute the audit log's hash chain (SECURITY.md 24) and check it against the anchors kept
outside the database: "N records, chain intact", or the first broken link and exit code 1."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prosecution.audit import log as audit


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chain, check it against the anchors, and report the "
        "first broken link."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--anchors",
            type=Path,
            help="The anchor file (default: AUDIT_ANCHOR_FILE, if it exists).",
        )

    def handle(self, *args, anchors: Path | None = None, **options) -> None:
        count, broken = audit.verify()
        if broken is None:
            broken, anchored = self._anchors(anchors)
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

    def _anchors(self, path: Path | None):
        if path is None:
            path = Path(settings.AUDIT_ANCHOR_FILE)
            if not path.exists():
                return None, []
        try:
            anchored = audit.read_anchors(path)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        return audit.check_anchors(anchored), anchored
