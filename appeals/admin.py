"""Administration of the reception's reference data. Schedules and bookings change only through
their services (pages and API), which check the rules and tell the citizen."""

from django.contrib import admin

from appeals.models import OfficeHours


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    """The hours an office receives the public (without a row: 09:00-18:30, break 13:00-14:30);
    appointment slots are cut inside them."""

    list_display = ["office", "opens", "closes", "break_starts", "break_ends"]
    search_fields = ["office__code", "office__name_ru", "office__name_kk", "office__name_en"]
    autocomplete_fields = ["office"]
