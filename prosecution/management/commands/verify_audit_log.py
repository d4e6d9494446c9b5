"""Recompute the audit log's hash chain (SECURITY.md 24): "N records, chain intact", or the first
broken link and exit code 1."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prosecution import audit


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options) -> None:
        count, broken = audit.verify()
        if broken is not None:
            raise CommandError(
                _("The audit log is broken at record %(seq)s: %(problem)s")
                % {"seq": broken.seq, "problem": broken.problem}
            )
        message = ngettext(
            "%(count)s record, chain intact", "%(count)s records, chain intact", count
        )
        self.stdout.write(message % {"count": count})
