"""REST API of the hierarchy and the calendar (/api/v1/). Thin: the policy and the calendar do the
work."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from prosecution import selectors, workdays
from prosecution.api_permissions import CalendarEditors, IsActiveStaff
from prosecution.models import CalendarDay, Office, OfficeKind
from prosecution.serializers import (
    CalendarDaySerializer,
    OfficeSerializer,
    StaffSerializer,
    TermQuerySerializer,
    TermResultSerializer,
)


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
                raise ValidationError({"kind": f"Unknown kind: {kind}."})
            queryset = queryset.filter(kind=kind)
        if parent := params.get("parent"):
            queryset = queryset.filter(parent__code=parent)
        if root_code := params.get("subtree"):
            root = Office.objects.filter(code=root_code).first()
            if root is None:
                raise ValidationError({"subtree": f"No office with code {root_code}."})
            queryset = queryset.filter(path__startswith=root.path)
        return queryset


class StaffViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff of the caller's office and the offices below it."""

    serializer_class = StaffSerializer

    def get_queryset(self):
        return selectors.visible_staff(self.request.user)


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
        if year := self.request.query_params.get("year"):
            if not year.isdigit():
                raise ValidationError({"year": "A year is four digits."})
            queryset = queryset.filter(date__year=int(year))
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
