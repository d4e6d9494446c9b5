from django.core.management.base import BaseCommand, CommandError

from prosecution.terms import tallies


class Command(BaseCommand):
    help = (
        "Count the dashboard's tallies afresh from the term table (after terms were loaded or "
        "changed behind the services' back). With --check, only compare and report."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Report the rows that differ from a fresh count; change nothing.",
        )

    def handle(self, *args, check: bool = False, **options):
        if check:
            wrong = tallies.differences()
            for table, rows in wrong.items():
                for key, (kept, counted) in sorted(rows.items(), key=str)[:20]:
                    self.stdout.write(f"{table} {key}: {kept} kept, {counted} counted")
            if wrong:
                raise CommandError("the tallies differ from the terms: run without --check")
            self.stdout.write("the tallies agree with the terms")
            return
        for table, count in tallies.rebuild().items():
            self.stdout.write(f"{table}: {count} rows")
