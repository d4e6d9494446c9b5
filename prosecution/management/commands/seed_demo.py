from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the demo data (offices, staff, terms, and each app's records). Idempotent."

    def handle(self, *args, **options):
        # Each app seeds its own demo records (settings.DEMO_SEEDERS, in order): the project
        # package names them, so that `prosecution` imports no app.
        for path in settings.DEMO_SEEDERS:
            result = import_string(path)()
            self.stdout.write(f"{path}: {result}")
