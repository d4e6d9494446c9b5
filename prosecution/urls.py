from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from acts import document_urls as act_document_urls
from acts.api import ActViewSet
from appeals.api import AppealViewSet
from appeals.reception import api as reception_api
from appeals.reception import urls as reception_urls
from legal_statistics.register_api import RegistrationViewSet
from prosecution import views
from prosecution.accounts import views as signin_views
from prosecution.api import views as api
from supervision.api import CheckViewSet
from supervision.functions import api as function_api

router = DefaultRouter()
router.register("offices", api.OfficeViewSet, basename="office")
router.register("staff", api.StaffViewSet, basename="staff")
router.register("calendar", api.CalendarViewSet, basename="calendar")
router.register("deadlines", api.DeadlineViewSet, basename="deadline")
router.register("appeals", AppealViewSet, basename="appeal")
# Legality checks (supervision/) and their register (legal_statistics/).
router.register("checks", CheckViewSet, basename="check")
router.register("register", RegistrationViewSet, basename="registration")
# Acts of the prosecutor's office (acts/).
router.register("acts", ActViewSet, basename="act")
# Analyses, assessments (Art. 20, 21), requests for information and summons (Art. 26).
router.register("analyses", function_api.AnalysisViewSet, basename="analysis")
router.register("assessments", function_api.AssessmentViewSet, basename="assessment")
router.register(
    "information-requests", function_api.InformationRequestViewSet, basename="information-request"
)
router.register("summonses", function_api.SummonsViewSet, basename="summons")
# Personal receptions (appeals/reception/): the project URLconf is where prosecution meets apps.
router.register(
    "receptions/schedules", reception_api.ScheduleViewSet, basename="reception-schedule"
)
router.register("receptions/bookings", reception_api.BookingViewSet, basename="reception-booking")

urlpatterns = [
    path("", views.home, name="home"),
    path("reception/", include(reception_urls)),  # public booking and staff pages
    path("work/", views.my_work, name="my-work"),
    path("notices/", views.notices, name="notices"),
    path("offices/<uuid:uuid>/", views.office_detail, name="office-page"),
    path("accounts/login/", signin_views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", signin_views.login_code, name="login-code"),
    path("accounts/login/enrol/", signin_views.login_enrol, name="login-enrol"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", signin_views.api_tokens, name="api-tokens"),
    path(
        "accounts/tokens/<str:handle>/revoke/",
        signin_views.revoke_api_token,
        name="api-token-revoke",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the staff sign-in (second factor, lockout), never its own form.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("api/schema/", api.SchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v1/auth/token/", signin_views.ObtainToken.as_view(), name="api-token"),
    path(
        "api/v1/receptions/",
        include((reception_urls.api_urlpatterns, "reception-api")),
    ),
    path("api/v1/", include((router.urls, "api"))),
    path("", include("appeals.urls")),  # /appeal/ (citizens), /appeals/ (staff)
    # /dashboard/, its exports, /api/v1/dashboard/, /register/ (the register of checks)
    path("", include("legal_statistics.urls")),
    path("", include("supervision.urls")),  # /check/ (the audited subject), /checks/ (staff)
    # An act's PDF per language and its publication preview (staff), before acts.urls, whose
    # /acts/<uuid>/<action>/ would take /acts/<uuid>/publication/; the published acts (public).
    path("", include((act_document_urls.staff_urlpatterns, "act_documents"))),
    path("", include((act_document_urls.public_urlpatterns, "acts_public"))),
    path("", include("acts.urls")),  # /acts/ (staff)
]

handler400 = "prosecution.api.errors.bad_request"
handler404 = "prosecution.api.errors.page_not_found"
handler500 = "prosecution.api.errors.server_error"
