from django.core.management.base import BaseCommand

from prosecution.seed.demo import seed_demo


class Command(BaseCommand):
    help = "Load the demo data (district offices and demo staff). Idempotent."

    def handle(self, *args, **options):
        result = seed_demo()
        self.stdout.write(
            f"demo data: {result['offices_created']} offices created, {result['staff']} staff"
        )
