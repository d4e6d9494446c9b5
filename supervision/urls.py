from django.urls import path

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
