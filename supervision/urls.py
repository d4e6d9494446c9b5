from django.urls import path

from supervision.functions import views as function_views
from supervision.views import public, staff

urlpatterns = [
    path("check/", public.lookup, name="check-lookup"),  # the audited subject (Art. 19(1))
    path("checks/", staff.check_list, name="check-list"),
    path("checks/appoint/", staff.appoint, name="check-appoint"),
    path("checks/<uuid:uuid>/", staff.check_detail, name="check-detail"),
    path("checks/<uuid:uuid>/correct/", staff.correct, name="check-correct"),
    path(
        "checks/<uuid:uuid>/certificate/<slug:language>.pdf",
        staff.certificate,
        name="check-certificate",
    ),
    path("checks/<uuid:uuid>/<slug:action>/", staff.check_action, name="check-action"),
]

# Analyses, assessments (Art. 20, 21), requests for information and summons (Art. 26).
_FUNCTIONS = "<slug:slug>"
urlpatterns += [
    path(
        "supervision/information-requests/<uuid:uuid>/files/<uuid:file_uuid>/",
        function_views.request_file,
        name="information-request-file",
    ),
    path(
        f"supervision/{_FUNCTIONS}/",
        function_views.record_list,
        name="function-list",
    ),
    path(f"supervision/{_FUNCTIONS}/new/", function_views.record_new, name="function-new"),
    path(
        f"supervision/{_FUNCTIONS}/<uuid:uuid>/",
        function_views.record_detail,
        name="function-detail",
    ),
    path(
        f"supervision/{_FUNCTIONS}/<uuid:uuid>/<slug:action>/",
        function_views.record_action,
        name="function-action",
    ),
]
