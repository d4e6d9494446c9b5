"""GET /api/v1/reports/<report>/, /api/v1/reports/<report>/<figure>/ and
/api/v1/reports/<report>/trend/: the same figures as the pages (reports/query.py reads the
question) and the same months as their charts (reports/trends.py), each with the link to its
records; outside the scope 404 like everything else."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from legal_statistics.reports import periods, trends
from legal_statistics.reports.figures import Row
from legal_statistics.reports.query import ReportQuery, read
from prosecution.audit import log as audit
from prosecution.lib.names import shown_name


class ReportQuerySerializer(serializers.Serializer):
    office = serializers.CharField(
        required=False, help_text="An office code in your scope; your own office by default."
    )
    period = serializers.CharField(
        required=False,
        help_text="2026, 2026-Q1, 2026-03 or 2026-01-10..2026-02-20; the current month by default.",
    )


class FigureQuerySerializer(ReportQuerySerializer):
    person = serializers.CharField(
        required=False,
        help_text="The receptions report: one official's records only (a username in your "
        "scope), as each leader's `records` link asks.",
    )


class PeriodSerializer(serializers.Serializer):
    code = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class ValueSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="What the value is: an average, a duty owed.")
    current = serializers.FloatField(allow_null=True, help_text="The value in the period.")
    before = serializers.FloatField(
        allow_null=True, help_text="The value in the same period a year before."
    )
    change = serializers.FloatField(
        allow_null=True, help_text="The change in per cent; null when either value is missing."
    )


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    section = serializers.CharField()
    article = serializers.CharField()
    current = serializers.IntegerField(help_text="The figure in the period.")
    before = serializers.IntegerField(help_text="The figure in the same period a year before.")
    change = serializers.FloatField(
        allow_null=True, help_text="The change in per cent; null when the year before is 0."
    )
    records = serializers.URLField(help_text="The records the figure counts, in the period.")
    records_before = serializers.URLField(help_text="The records of the year before.")
    # Absent rather than null where a figure has none: a nullable nested object is read as not
    # nullable by OpenAPI 3.0 validators (allOf beside nullable).
    value = ValueSerializer(
        required=False,
        help_text="A number beside the count that is not a count of records (the average "
        "length of the records counted, the duty owed); only on the figures that have one.",
    )


class LeaderDutySerializer(serializers.Serializer):
    name = serializers.CharField()
    office = serializers.CharField(help_text="The code of the leader's office.")
    duty = serializers.ChoiceField(
        choices=["monthly", "weekly"],
        help_text="Seed 002-4: the GPO's leadership monthly, regional leadership weekly.",
    )
    held = serializers.IntegerField(help_text="Reception days held in the period.")
    owed = serializers.IntegerField(help_text="Reception days owed in the period.")
    short = serializers.IntegerField(help_text="How many days below the duty (0: not below).")
    records = serializers.URLField(
        help_text="The reception days held counted (one booking each): as many as `held`."
    )


class ReportSerializer(serializers.Serializer):
    report = serializers.CharField()
    title = serializers.CharField()
    office = serializers.CharField(help_text="The office's code: it and everything below it.")
    office_name = serializers.CharField()
    period = PeriodSerializer()
    year_before = PeriodSerializer()
    figures = FigureSerializer(many=True)
    leaders = LeaderDutySerializer(
        many=True,
        required=False,
        help_text="The receptions report only: each leader against the reception duty, those "
        "furthest below it first.",
    )


class RecordSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The record's page.")
    value = serializers.SerializerMethodField(
        help_text="The record's own value where the figure averages one (its length); else null."
    )

    def get_name(self, record) -> str:
        return str(record)

    def get_value(self, record) -> float | None:
        of = self.context["value_of"]
        return None if of is None else of(record)

    def get_url(self, record) -> str:
        url = self.context["record_url"](record)
        return self.context["request"].build_absolute_uri(url)


def _query(request, report: str) -> ReportQuery:
    try:
        return read(request.user, report, request.query_params)
    except periods.PeriodError as error:
        raise ValidationError({"period": [str(error)]}) from error


def _records_url(
    request, query: ReportQuery, figure_key: str, period_code: str, person: str = ""
) -> str:
    """The API's list of the records a figure counts in a period, for the office asked (and one
    person's only, if given)."""
    path = reverse("api-report-figure", args=[query.report.key, figure_key])
    params = {"office": query.office.code, "period": period_code}
    if person:
        params["person"] = person
    return request.build_absolute_uri(f"{path}?{urlencode(params)}")


def _period(period: periods.Period) -> dict:
    return {"code": period.code, "start": period.start, "end": period.end}


def _value(row: Row) -> dict:
    """{"value": …} for a figure with a Value, else nothing."""
    value = row.figure.value
    if value is None:
        return {}
    return {
        "value": {
            "name": str(value.label),
            "current": row.value,
            "before": row.value_before,
            "change": row.value_change,
        }
    }


class ReportView(APIView):
    """A report of an office and everything below it in your scope, for a period, beside the same
    period a year before; each figure links to the records it counts (as many as it says)."""

    @extend_schema(
        operation_id="reports_retrieve",
        parameters=[ReportQuerySerializer],
        responses=ReportSerializer,
    )
    def get(self, request, report):
        query = _query(request, report)
        before = query.period.year_before()
        office = query.office.code

        def records(figure_key: str, period: periods.Period) -> str:
            return _records_url(request, query, figure_key, period.code)

        data = {
            "report": query.report.key,
            "title": str(query.report.title),
            "office": office,
            "office_name": query.office.name,
            "period": _period(query.period),
            "year_before": _period(before),
            "figures": [
                {
                    "key": row.figure.key,
                    "name": str(row.figure.label),
                    "section": str(row.figure.section),
                    "article": row.figure.article,
                    "current": row.current,
                    "before": row.before,
                    "change": row.change,
                    "records": records(row.figure.key, query.period),
                    "records_before": records(row.figure.key, before),
                    **_value(row),
                }
                for row in query.rows(request.user)
            ],
        }
        leaders = query.leaders(request.user)
        if leaders is not None:
            data["leaders"] = [
                {
                    "name": shown_name(leader.profile.user),
                    "office": leader.profile.office.code,
                    "duty": "weekly" if leader.weekly else "monthly",
                    "held": leader.held,
                    "owed": leader.owed,
                    "short": leader.short,
                    "records": _records_url(
                        request,
                        query,
                        leader.figure,
                        query.period.code,
                        leader.profile.user.username,
                    ),
                }
                for leader in leaders
            ]
        return Response(ReportSerializer(data).data)


class FigureRecordsView(generics.ListAPIView):
    """The records one figure counts, paginated: `count` equals the figure."""

    serializer_class = RecordSerializer

    @extend_schema(operation_id="reports_figure_records", parameters=[FigureQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.query = _query(self.request, self.kwargs["report"])
        shown = self.query.report.figure(self.kwargs["figure"])
        return self.query.records(self.request.user, shown)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        audit.classified_read(page or [], where="api_reports")  # a classified act listed
        return page

    def get_serializer_context(self):
        # list() reads the queryset (and so the query) before it serializes the page.
        value = self.query.report.figure(self.kwargs["figure"]).value
        return {
            **super().get_serializer_context(),
            "record_url": self.query.report.record_url,
            "value_of": value.of if value is not None else None,
        }


class TrendQuerySerializer(serializers.Serializer):
    office = serializers.CharField(
        required=False, help_text="An office code in your scope; your own office by default."
    )
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="The year whose months are shown beside the year before's; this year by default.",
    )


class TrendMonthSerializer(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12)
    period = serializers.CharField(help_text="The month of the year, e.g. 2026-03.")
    current = serializers.IntegerField(
        allow_null=True, help_text="The figure in the month; null when the month has not begun."
    )
    records = serializers.URLField(
        allow_null=True, help_text="The records counted in the month; null when not begun."
    )
    period_before = serializers.CharField(help_text="The same month of the year before.")
    before = serializers.IntegerField(
        allow_null=True, help_text="The figure in that month; null when it has not begun."
    )
    records_before = serializers.URLField(allow_null=True)


class TrendSeriesSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    section = serializers.CharField()
    article = serializers.CharField()
    months = TrendMonthSerializer(many=True)


class TrendSerializer(serializers.Serializer):
    report = serializers.CharField()
    title = serializers.CharField()
    office = serializers.CharField(help_text="The office's code: it and everything below it.")
    office_name = serializers.CharField()
    year = serializers.IntegerField()
    year_before = serializers.IntegerField()
    figures = TrendSeriesSerializer(many=True, help_text="The report's main figures.")


class TrendView(APIView):
    """The report's main figures month by month: each month of `year` beside the same month of
    the year before, each with the link to the records it counts (as many as it says), as the
    charts of the report's page draw them. Months still to come are null, not 0."""

    @extend_schema(
        operation_id="reports_trend",
        parameters=[TrendQuerySerializer],
        responses=TrendSerializer,
    )
    def get(self, request, report):
        params = TrendQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        today = timezone.localdate()
        year = params.validated_data.get("year", today.year)
        # The office and the report are read as for the report (outside the scope 404); the
        # period is the year's months, not the report's period.
        query = read(request.user, report, {"office": params.validated_data.get("office", "")})
        office = query.office.code

        def records(figure_key: str, period: str, count: int | None) -> str | None:
            return None if count is None else _records_url(request, query, figure_key, period)

        series = trends.year_trend(query.report, request.user, query.office, year, today=today)
        data = {
            "report": query.report.key,
            "title": str(query.report.title),
            "office": office,
            "office_name": query.office.name,
            "year": year,
            "year_before": year - 1,
            "figures": [
                {
                    "key": one.figure.key,
                    "name": str(one.figure.label),
                    "section": str(one.figure.section),
                    "article": one.figure.article,
                    "months": [
                        {
                            "month": point.month,
                            "period": point.current_period,
                            "current": point.current,
                            "records": records(one.figure.key, point.current_period, point.current),
                            "period_before": point.before_period,
                            "before": point.before,
                            "records_before": records(
                                one.figure.key, point.before_period, point.before
                            ),
                        }
                        for point in one.points
                    ],
                }
                for one in series
            ],
        }
        return Response(TrendSerializer(data).data)
