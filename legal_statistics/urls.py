"""Routes of legal statistics, included at the root by prosecution/urls.py."""

from django.urls import path

from legal_statistics import api, monthly_views, register_views, report_api, report_views, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.csv", views.export_csv, name="dashboard-csv"),
    path("dashboard/export.xlsx", views.export_xlsx, name="dashboard-xlsx"),
    # The register of legality checks (Art. 18(4), 19(1)).
    path("register/", register_views.queue, name="register-queue"),
    path(
        "register/<uuid:uuid>/<slug:decision>/",
        register_views.decide,
        name="register-decide",
    ),
    path("api/v1/dashboard/", api.DashboardView.as_view(), name="api-dashboard"),
    # Reports (issue 17): a report's table, each figure's records, its CSV; the same in the API.
    path("reports/", report_views.index, name="reports"),
    # The monthly reports' archive, its form to build one by hand, and each PDF.
    path("reports/monthly/", monthly_views.archive, name="monthly-reports"),
    path(
        "reports/monthly/<uuid:uuid>.pdf",
        monthly_views.download,
        name="monthly-report-download",
    ),
    path("reports/<slug:report>/export.csv", report_views.export_csv, name="report-csv"),
    path("reports/<slug:report>/export.xlsx", report_views.export_xlsx, name="report-xlsx"),
    path("reports/<slug:report>/<slug:figure>/", report_views.figure, name="report-figure"),
    path("api/v1/reports/<slug:report>/", report_api.ReportView.as_view(), name="api-report"),
    # Before the figure's route: "trend" is no figure's key (reports/trends.py).
    path(
        "api/v1/reports/<slug:report>/trend/",
        report_api.TrendView.as_view(),
        name="api-report-trend",
    ),
    path(
        "api/v1/reports/<slug:report>/<slug:figure>/",
        report_api.FigureRecordsView.as_view(),
        name="api-report-figure",
    ),
]
