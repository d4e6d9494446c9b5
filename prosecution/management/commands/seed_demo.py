from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from prosecution.notices import outbox


class Command(BaseCommand):
    help = "Load the demo data (offices, staff, terms, and each app's records). Idempotent."

    def handle(self, *args, **options):
        # Each app seeds its own demo records (settings.DEMO_SEEDERS, in order): the project
        # package names them, so that `prosecution` imports no app.
        # The seed's notices (~800 in ~700 transactions) are delivered here at the end, not
        # through the broker: the worker of `make run` starts with nothing queued (issue 13).
        with outbox.held():
            for path in settings.DEMO_SEEDERS:
                result = import_string(path)()
                self.stdout.write(f"{path}: {result}")
        delivered = outbox.deliver_here()
        self.stdout.write(f"notices delivered: {dict(delivered)}")
