"""The cap on bookings counts what proved the citizen, not an IIN typed online (issue 14;
docs/security.md 27): Booking.proof_key, and its index in place of the IIN's."""

from django.db import migrations, models

from prosecution.lib.hashing import keyed_hash

STAFF_CHANNELS = ("call_centre", "egov", "written", "service_center")


def fill_proof_keys(apps, schema_editor):
    """Bookings still to come get the proof they were made with: the address that got the code
    (or, once the code is purged, the contact it was sent to), or the IIN for staff's channels."""

    # As appeals/reception/booking.py makes them (frozen here, as a migration freezes a model).
    def proof_of_address(address):
        return keyed_hash(f"reception-proof:address:{address.strip().lower()}")

    def proof_of_iin(iin):
        return keyed_hash(f"reception-proof:iin:{iin}")

    Booking = apps.get_model("appeals", "Booking")
    upcoming = Booking.objects.filter(state__in=("screening", "confirmed"), walk_in=False)
    for booking in upcoming.select_related("confirmation").iterator():
        if booking.channel in STAFF_CHANNELS:
            key = proof_of_iin(booking.iin) if booking.iin else ""
        elif booking.confirmation is not None:
            key = proof_of_address(booking.confirmation.address)
        else:
            key = proof_of_address(booking.phone or booking.email)
        Booking.objects.filter(pk=booking.pk).update(proof_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0003_cancelled_reception_days"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="booking",
            name="booking_upcoming_iin_idx",
        ),
        migrations.AddField(
            model_name="booking",
            name="proof_key",
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.AddIndex(
            model_name="booking",
            index=models.Index(
                condition=models.Q(("state__in", ("screening", "confirmed"))),
                fields=["proof_key"],
                name="booking_upcoming_proof_idx",
            ),
        ),
        migrations.RunPython(fill_proof_keys, migrations.RunPython.noop),
    ]
