"""Reference data every database has: the offices of the republic and region level with the GPO's
units (docs/sources.md, seed 004), the class ranks, and the working-day calendar for 2020-2030."""

from django.db import migrations


def forwards(apps, schema_editor):
    from prosecution.seed.calendar import seed_calendar
    from prosecution.seed.offices import seed_class_ranks, seed_reference_offices

    seed_reference_offices(
        apps.get_model("prosecution", "Office"), apps.get_model("prosecution", "Unit")
    )
    seed_class_ranks(apps.get_model("prosecution", "ClassRank"))
    seed_calendar(apps.get_model("prosecution", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("prosecution", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
