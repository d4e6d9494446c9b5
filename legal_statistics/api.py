"""GET /api/v1/dashboard/: the deadline roll-up of the caller's scope. Thin: the selectors do the
work, through the access policy."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from legal_statistics import selectors
from legal_statistics.serializers import DashboardQuerySerializer, DashboardSerializer


class DashboardView(APIView):
    """Active terms of an office and everything below it in five bands (overdue, due today, due
    within 3 working days, on time, suspended): in all, by direct child office (each with its
    whole subtree; drill down by `dashboard_url`), by kind, by responsible person (the 20 with the
    most overdue terms), and the terms missed per week over the last 12 weeks (the kind and person
    filters apply to the trend; the state and the period do not: it has its own)."""

    @extend_schema(
        operation_id="dashboard_retrieve",
        parameters=[DashboardQuerySerializer],
        responses=DashboardSerializer,
    )
    def get(self, request):
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        office = selectors.scope_office(request.user, query.validated_data.get("office", ""))
        filters = query.filters()
        data = selectors.dashboard(request.user, office, filters, sort=query.validated_data["sort"])
        context = {"request": request, "filters": filters, "office": office}
        return Response(DashboardSerializer(data, context=context).data)
