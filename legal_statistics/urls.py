"""Routes of legal statistics, included at the root by prosecution/urls.py."""

from django.urls import path

from legal_statistics import api, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.csv", views.export_csv, name="dashboard-csv"),
    path("dashboard/export.xlsx", views.export_xlsx, name="dashboard-xlsx"),
    path("api/v1/dashboard/", api.DashboardView.as_view(), name="api-dashboard"),
]
