"""REST API of the hierarchy, the calendar and the terms (/api/v1/). Thin: the policy and the
calendar do the work."""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from prosecution import workdays
from prosecution.api.permissions import CalendarEditors, IsActiveStaff
from prosecution.api.serializers import (
    CalendarDaySerializer,
    CalendarQuerySerializer,
    OfficeSerializer,
    StaffSerializer,
    TermDetailSerializer,
    TermQuerySerializer,
    TermResultSerializer,
    TermSerializer,
)
from prosecution.audit import log as audit
from prosecution.lib import dates
from prosecution.models import CalendarDay, Office, OfficeKind, TermKind, TermState
from prosecution.offices import selectors
from prosecution.terms.selectors import visible_terms, was_extended


def _office_param(name: str, code: str) -> Office:
    """The office a query parameter names by its code, or a 400 that says which parameter."""
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise ValidationError({name: _("No office with code %(code)s.") % {"code": code}})
    return office


@extend_schema(
    parameters=[
        OpenApiParameter("kind", OpenApiTypes.STR, enum=OfficeKind.values),
        OpenApiParameter("parent", OpenApiTypes.STR, description="Code of the superior office."),
        OpenApiParameter("subtree", OpenApiTypes.STR, description="Code: the office and below."),
    ]
)
class OfficeViewSet(viewsets.ReadOnlyModelViewSet):
    """The directory of offices: public reference data, so every member of staff reads all of it
    (records of the offices are what the policy scopes)."""

    serializer_class = OfficeSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        queryset = selectors.public_offices()
        params = self.request.query_params
        if kind := params.get("kind"):
            if kind not in OfficeKind.values:
                raise ValidationError({"kind": _("Unknown value: %(value)s.") % {"value": kind}})
            queryset = queryset.filter(kind=kind)
        if parent := params.get("parent"):
            queryset = queryset.filter(parent__code=parent)
        if root_code := params.get("subtree"):
            queryset = queryset.filter(path__startswith=_office_param("subtree", root_code).path)
        return queryset


class StaffViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff of the caller's office and the offices below it."""

    serializer_class = StaffSerializer

    def get_queryset(self):
        return selectors.visible_staff(self.request.user)


@extend_schema_view(list=extend_schema(parameters=[CalendarQuerySerializer]))
class CalendarViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Exceptions to the Monday-Friday week. Administrators edit them when a decree or an order
    moves a day; every later computation follows at once."""

    serializer_class = CalendarDaySerializer
    permission_classes = [IsActiveStaff, CalendarEditors]

    def get_queryset(self):
        queryset = CalendarDay.objects.all()
        if self.action != "list":
            return queryset
        query = CalendarQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        if year := query.validated_data.get("year"):
            queryset = queryset.filter(date__year=year)
        return queryset

    @extend_schema(
        parameters=[TermQuerySerializer],
        responses=TermResultSerializer,
        description="Start + term → due date, with the days skipped and why.",
    )
    @action(detail=False, methods=["get"], permission_classes=[IsActiveStaff])
    def compute(self, request):
        query = TermQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        explanation = workdays.explain(
            query.validated_data["start"],
            query.validated_data["term"],
            query.validated_data["unit"],
        )
        return Response(TermResultSerializer(explanation.as_dict()).data)


@extend_schema(
    parameters=[
        OpenApiParameter("state", OpenApiTypes.STR, enum=TermState.values),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=TermKind.values),
        OpenApiParameter("office", OpenApiTypes.STR, description="Code: that office and below."),
        OpenApiParameter("due_before", OpenApiTypes.DATE),
        OpenApiParameter("due_after", OpenApiTypes.DATE),
        OpenApiParameter(
            "extended",
            OpenApiTypes.BOOL,
            description="true: only the terms extended by a decision (Art. 24(4), 18(4)).",
        ),
    ]
)
class DeadlineViewSet(viewsets.ReadOnlyModelViewSet):
    """Statutory terms of the caller's office and every office below it, each with its history
    and "why this date"."""

    lookup_field = "uuid"

    def get_serializer_class(self):
        return TermDetailSerializer if self.action == "retrieve" else TermSerializer

    # Classified terms shown are audited (docs/security.md 5): the one asked for, or a page's.
    def get_object(self):
        term = super().get_object()
        audit.classified_read([term], where="api_deadline")
        return term

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        audit.classified_read(page if page is not None else queryset, where="api_deadlines")
        return page

    def get_queryset(self):
        queryset = visible_terms(self.request.user)
        if self.action == "retrieve":
            return queryset.prefetch_related("events__by")
        params = self.request.query_params
        for name, choices in (("state", TermState.values), ("kind", TermKind.values)):
            if value := params.get(name):
                if value not in choices:
                    raise ValidationError({name: _("Unknown value: %(value)s.") % {"value": value}})
                queryset = queryset.filter(**{name: value})
        if code := params.get("office"):
            queryset = queryset.filter(office_path__startswith=_office_param("office", code).path)
        if value := params.get("extended"):
            if value not in ("true", "false"):
                raise ValidationError(
                    {"extended": _("Unknown value: %(value)s.") % {"value": value}}
                )
            extended = was_extended()
            queryset = queryset.filter(extended if value == "true" else ~extended)
        for name, lookup in (("due_before", "due_date__lte"), ("due_after", "due_date__gte")):
            if value := params.get(name):
                try:
                    day = date.fromisoformat(value)
                except ValueError:
                    raise ValidationError({name: _("A date is YYYY-MM-DD.")}) from None
                try:
                    dates.PLANNED(day)
                except DjangoValidationError as error:
                    raise ValidationError({name: error.messages}) from None
                queryset = queryset.filter(**{lookup: day})
        return queryset.order_by("due_date", "pk")


class SchemaView(SpectacularAPIView):
    """GET /api/schema/: in English whatever the request's language (Accept-Language, the
    language cookie, drf-spectacular's ?lang=). The answer is rendered here too: its lazy
    texts would otherwise be translated when Django renders it, in the request's language."""

    def dispatch(self, request, *args, **kwargs):
        with translation.override("en"):
            response = super().dispatch(request, *args, **kwargs)
            return response.render() if hasattr(response, "render") else response

    @extend_schema(exclude=True)  # outside /api/v1, as the parent's
    def get(self, request, *args, **kwargs):
        # Not the parent's get, which honours ?lang= with a translation of its own.
        return self._get_schema_response(request)
