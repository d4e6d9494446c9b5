from django.core.management.base import BaseCommand, CommandError

from acts import documents, selectors


class Command(BaseCommand):
    help = (
        "Build the signed documents of the acts whose builds failed as often as the beat's rescue "
        "tries (acts/tasks.py DOCUMENT_ATTEMPTS), here and now, once the cause is mended: each "
        "act's result is printed, and a failure is recorded on the act again."
    )

    def handle(self, *args: object, **options: object) -> None:
        failed = list(selectors.documents_failed().values_list("pk", "register_number"))
        if not failed:
            self.stdout.write("no act is waiting for its documents")
            return
        still = 0
        for pk, number in failed:
            try:
                result = documents.build_signed(pk)
            except Exception as error:  # recorded on the act by build_signed; the next one goes on
                still += 1
                self.stdout.write(f"{number}: failed again ({type(error).__name__})")
            else:
                self.stdout.write(f"{number}: {result}")
        if still:
            raise CommandError(f"{still} of {len(failed)} acts still have no documents")
