from django.core.management.base import BaseCommand, CommandError

from legal_statistics.reports import REPORTS, tallies


class Command(BaseCommand):
    help = (
        "Count the reports' tallies afresh from their records (after an upgrade that added them, "
        "or records loaded behind the services' back); until then those reports are counted from "
        "their records. With --check, only compare and report."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Report the rows that differ from a fresh count; change nothing.",
        )

    def handle(self, *args, check: bool = False, **options):
        kept = [report for report in REPORTS.values() if report.tallied_by]
        wrong = False
        for report in kept:
            if check:
                for table, rows in tallies.differences(report).items():
                    wrong = True
                    for key, (n, counted) in sorted(rows.items(), key=str)[:20]:
                        self.stdout.write(f"{table} {key}: {n} kept, {counted} counted")
                continue
            counted = tallies.rebuild(report, progress=self._progress(report.key))
            self.stdout.write(f"{report.key}: {counted:,} records counted")
        if wrong:
            raise CommandError("the tallies differ from the records: run without --check")
        if check:
            self.stdout.write("the tallies agree with the records")

    def _progress(self, key: str):
        def heard(counted: int) -> None:
            self.stderr.write(f"{key}: {counted:,} records")

        return heard
