"""The monthly reports in the administration: what the beat and people asked for, how far each
build got and, for a failed one, why; and an action to build the failed ones again (through
legal_statistics/monthly.py request_build, as the archive's form does, so that the access
policy and the audit log apply). Nothing is added or changed by hand."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from legal_statistics import monthly
from legal_statistics.models import MonthlyReport, MonthlyReportState
from legal_statistics.reports import periods
from prosecution.lib.errors import RuleViolation


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["office", "period", "language", "state", "done", "total", "built_at", "error"]
    list_filter = ["state", "language", "period"]
    search_fields = ["office__code", "office__name_ru", "office__name_kk", "period"]
    list_select_related = ["office"]
    readonly_fields = [field.name for field in MonthlyReport._meta.fields]
    actions = ["build_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # viewed only: a report is what was built

    @admin.action(description=gettext_lazy("Build the failed reports again"))
    def build_again(self, request, queryset):
        again = 0
        failed = queryset.filter(state=MonthlyReportState.FAILED).select_related("office")
        for office, code in {(report.office, report.period) for report in failed}:
            try:
                monthly.request_build(by=request.user, office=office, period=periods.parse(code))
            except RuleViolation as error:
                self.message_user(request, f"{office.code} {code}: {error}", messages.WARNING)
            else:
                again += 1
        self.message_user(
            request, _("Queued again: %(n)s office-months.") % {"n": again}, messages.SUCCESS
        )
