"""The dashboard's query parameters (one validation for the page, the exports and the API) and the
shape of its API answer."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from legal_statistics import links
from legal_statistics.bands import Band
from legal_statistics.selectors import OFFICE_SORT_KEYS, DashboardFilters
from prosecution.lib import dates
from prosecution.models import ACTIVE_STATES, TermKind

SORT_CHOICES = [key for name in OFFICE_SORT_KEYS for key in (name, f"-{name}")]


class DashboardQuerySerializer(serializers.Serializer):
    office = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text="Code of an office in your scope (default: your own). Out of scope: 404.",
    )
    kind = serializers.ChoiceField(choices=TermKind.choices, required=False, allow_blank=True)
    state = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in ACTIVE_STATES], required=False, allow_blank=True
    )
    due_from = serializers.DateField(required=False, allow_null=True, validators=[dates.PLANNED])
    due_to = serializers.DateField(required=False, allow_null=True, validators=[dates.PLANNED])
    responsible = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of the responsible user."
    )
    sort = serializers.ChoiceField(
        choices=SORT_CHOICES,
        required=False,
        default="-overdue",
        help_text="Column of the table by office; a leading '-' sorts descending.",
    )

    def validate(self, attrs):
        due_from, due_to = attrs.get("due_from"), attrs.get("due_to")
        if due_from and due_to and due_from > due_to:
            raise serializers.ValidationError(
                {"due_to": _("The end of the period is before its start.")}
            )
        return attrs

    def filters(self) -> DashboardFilters:
        data = self.validated_data
        return DashboardFilters(
            kind=data.get("kind", ""),
            state=data.get("state", ""),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            responsible=data.get("responsible"),
            band=data.get("band", ""),
            own=data.get("own", False),
            extended=data.get("extended", False),
        )


class ItemQuerySerializer(DashboardQuerySerializer):
    """The page's list of terms and the exports take two more: one band, or the own terms."""

    band = serializers.ChoiceField(
        choices=Band.choices,
        required=False,
        allow_blank=True,
        help_text="The terms of one band.",
    )
    own = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The office's own terms, not those below it.",
    )
    extended = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only the terms extended by a decision (Art. 24(4), 18(4)).",
    )


class BandCountsSerializer(serializers.Serializer):
    overdue = serializers.IntegerField()
    due_today = serializers.IntegerField()
    due_soon = serializers.IntegerField(help_text="Due within 3 working days after today.")
    on_time = serializers.IntegerField()
    suspended = serializers.IntegerField()
    total = serializers.IntegerField()
    extended = serializers.IntegerField(
        help_text="Of the active terms, those extended by a decision at least once (Art. 24(4), "
        "18(4)); each is in one of the bands too, so not added to the total."
    )


class _Linked(serializers.Serializer):
    """Rows that link to the dashboard of an office and to its terms (/api/v1/deadlines/)."""

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def _dashboard_url(self, code: str) -> str:
        filters = self.context["filters"]
        return self._absolute(reverse("api-dashboard") + links.query_string(filters, office=code))

    def _items_url(self, code: str, kind: str = "") -> str:
        query = links.deadlines_api_query(self.context["filters"], office=code, kind=kind)
        return self._absolute(reverse("api:deadline-list") + query)


class OfficeRowSerializer(_Linked):
    code = serializers.CharField()
    name = serializers.CharField()
    is_own = serializers.BooleanField(help_text="The office's own terms, not those below it.")
    counts = BandCountsSerializer()
    dashboard_url = serializers.SerializerMethodField(
        help_text="Drill down: this office's roll-up."
    )
    items_url = serializers.SerializerMethodField(
        help_text="The terms in /api/v1/deadlines/ (every state unless a state filter is set)."
    )

    def get_dashboard_url(self, row) -> str | None:
        return None if row.is_own or row.office is None else self._dashboard_url(row.code)

    def get_items_url(self, row) -> str:
        return self._items_url(row.code)


class KindRowSerializer(_Linked):
    kind = serializers.ChoiceField(choices=TermKind.choices)
    # A declared field, which DRF's metaclass takes out of the class: not Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    counts = BandCountsSerializer()
    items_url = serializers.SerializerMethodField()

    def get_items_url(self, row) -> str:
        return self._items_url(self.context["office"].code, kind=row.kind)


class PersonRowSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(allow_null=True, help_text="Null: nobody is responsible.")
    username = serializers.CharField()
    name = serializers.CharField()
    office = serializers.CharField(source="office_code")
    counts = BandCountsSerializer()


class WeekSerializer(serializers.Serializer):
    week_start = serializers.DateField(help_text="Monday of the week.")
    missed = serializers.IntegerField(help_text="Terms missed that week (marked missed or late).")


class DashboardOfficeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    path = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    office = DashboardOfficeSerializer()
    today = serializers.DateField(source="horizon.today")
    soon_until = serializers.DateField(
        source="horizon.soon_until", help_text="Last day of 'due within 3 working days'."
    )
    totals = BandCountsSerializer()
    by_office = OfficeRowSerializer(many=True)
    by_kind = KindRowSerializer(many=True)
    by_person = PersonRowSerializer(many=True)
    trend = WeekSerializer(many=True)
