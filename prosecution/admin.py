from typing import Any

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from prosecution.audit import log as audit
from prosecution.lib import dates
from prosecution.models import (
    AuditRecord,
    CalendarDay,
    ClassRank,
    Notice,
    Office,
    StaffProfile,
    Term,
    TermEvent,
    Unit,
)
from prosecution.notices import outbox
from prosecution.offices.services import create_office

# Dates typed in the administration follow the one rule of prosecution/lib/dates.py.
DATES_WITHIN_REASON: dict[type[models.Field], dict[str, Any]] = {
    models.DateField: {"validators": [dates.PLANNED]}
}


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["order", "code", "kind", "name_kk", "name_ru", "name_en"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "kind", "parent", "depth", "is_active"]
    list_filter = ["kind", "is_active", "depth"]
    search_fields = ["code", "name_kk", "name_ru", "name_en", "address"]
    readonly_fields = ["path", "depth", "uuid"]
    autocomplete_fields = ["parent"]
    inlines = [UnitInline]

    def get_readonly_fields(self, request, obj=None):
        # Moving an office or renaming its code rewrites the paths below it: a service, not a form.
        if obj is not None:
            return [*self.readonly_fields, "code", "parent"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = create_office(
            parent=obj.parent,
            code=obj.code,
            kind=obj.kind,
            name_kk=obj.name_kk,
            name_ru=obj.name_ru,
            name_en=obj.name_en,
            address=obj.address,
        )
        obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "kind", "office", "order"]
    list_filter = ["kind"]
    search_fields = ["code", "name_kk", "name_ru", "name_en", "office__code"]
    autocomplete_fields = ["office"]


@admin.register(ClassRank)
class ClassRankAdmin(admin.ModelAdmin):
    list_display = ["seniority", "code", "name_ru", "name_kk", "name_en"]
    search_fields = ["code", "name_ru", "name_kk", "name_en"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "position", "class_rank", "has_clearance", "is_active"]
    list_filter = ["position", "has_clearance", "is_active", "office__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "office__code"]
    autocomplete_fields = ["user", "office", "unit"]
    list_select_related = ["user", "office", "class_rank"]
    formfield_overrides = DATES_WITHIN_REASON


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name_ru", "is_estimate", "legal_source"]
    list_filter = ["kind", "is_estimate", "date"]
    search_fields = ["name_kk", "name_ru", "name_en", "legal_source"]
    date_hierarchy = "date"
    actions = ["confirm_dates"]
    formfield_overrides = DATES_WITHIN_REASON

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return obj.date.strftime("%a")

    @admin.action(description=_("Confirm the announced dates"))
    def confirm_dates(self, request, queryset):
        # One by one, not queryset.update(): each save drops the calendar cache (signals.py).
        for day in queryset.filter(is_estimate=True):
            day.is_estimate = False
            day.save(update_fields=["is_estimate", "updated_at"])


class TermEventInline(admin.TabularInline):
    model = TermEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("kind", "on", "at", "by", "old_due", "new_due", "reason")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    """Read-only: terms change only through prosecution/terms/engine.py, which keeps their
    history."""

    list_display = ["label", "kind", "office", "responsible", "due_date", "state"]
    list_filter = ["kind", "state", "due_date"]
    search_fields = ["subject_label", "office__code", "responsible__username"]
    list_select_related = ["office", "responsible"]
    inlines = [TermEventInline]

    @admin.display(description=_("subject"), ordering="subject_label")
    def label(self, obj):
        # The list is not the access policy's: a classified term's subject stays hidden in it.
        return "—" if obj.is_classified else obj.subject_label

    def get_object(self, request, object_id, from_field=None):
        term = super().get_object(request, object_id, from_field)
        if term is not None:
            audit.classified_read([term], where="admin")
        return term

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A term deleted here would leave its history and the dashboard's counts behind
        # (prosecution/terms/tallies.py); a term that fell away is cancelled by its app.
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent to whom, when, and what went wrong. Failed notices
    (the header links here) can be retried once the cause is fixed."""

    list_display = ["created_at", "kind", "channel", "recipient", "address", "state", "attempts"]
    list_filter = ["state", "channel", "kind", "language"]
    search_fields = ["address", "recipient__username", "title", "key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry the selected failed notices"))
    def retry(self, request, queryset):
        count = outbox.retry_failed(queryset)
        self.message_user(request, _("%(count)s notices queued again.") % {"count": count})


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """The audit log, read-only (the database refuses changes anyway): for administrators and
    auditors (the "view audit record" permission). Filters by action, outcome and period; search
    by user, record or request."""

    list_display = [
        "seq",
        "at",
        "actor_name",
        "address",
        "action",
        "target_type",
        "target_label",
        "outcome",
    ]
    list_filter = ["action", "outcome", "at"]
    search_fields = ["=actor_name", "=actor_id", "=target_id", "=request_id", "target_label"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditRecord._meta.fields]
    show_full_result_count = False  # a count of a large log on every page is not worth it

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
