"""Routes of receptions: the public pages under /reception/ (namespace "reception"), the staff
pages under /reception/staff/, and the public API paths under /api/v1/receptions/ (the staff
viewsets are on the router in prosecution/urls.py). Included by prosecution/urls.py."""

from django.urls import path

from appeals.reception import api, views_public, views_staff

app_name = "reception"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("office/<uuid:uuid>/", views_public.office, name="office"),
    path("official/<uuid:uuid>/", views_public.schedule, name="schedule"),
    path("official/<uuid:uuid>/book/", views_public.book, name="book"),
    path("confirm/<uuid:uuid>/", views_public.confirm, name="confirm"),
    path("confirm/<uuid:uuid>/again/", views_public.code_again, name="code-again"),
    path("manage/<str:token>/", views_public.manage, name="manage"),
    path("staff/", views_staff.home, name="staff-home"),
    path("staff/schedules/", views_staff.schedule_list, name="staff-schedules"),
    path("staff/schedules/new/", views_staff.schedule_edit, name="staff-schedule-new"),
    path("staff/schedules/<uuid:uuid>/", views_staff.schedule_edit, name="staff-schedule"),
    path(
        "staff/schedules/<uuid:uuid>/deactivate/",
        views_staff.schedule_deactivate,
        name="staff-schedule-deactivate",
    ),
    path("staff/book/", views_staff.book, name="staff-book"),
    path("staff/requests/", views_staff.requests, name="staff-requests"),
    path("staff/day/", views_staff.day, name="staff-day"),
    path("staff/day/cancel/", views_staff.cancel_day, name="staff-cancel-day"),
    path("staff/supervision/", views_staff.supervision, name="staff-supervision"),
    path("staff/walk-in/<uuid:uuid>/", views_staff.walk_in, name="staff-walk-in"),
    path("staff/bookings/<uuid:uuid>/", views_staff.booking_detail, name="staff-booking"),
    path(
        "staff/bookings/<uuid:uuid>/<slug:action>/",
        views_staff.booking_action,
        name="staff-booking-action",
    ),
]

# /api/v1/receptions/...: what a citizen may do, without signing in (rate-limited), and the
# figures for legal statistics.
api_urlpatterns = [
    path("public/offices/<uuid:uuid>/", api.PublicOfficeView.as_view(), name="office"),
    path("public/slots/", api.PublicSlotsView.as_view(), name="slots"),
    path("public/bookings/", api.PublicBookView.as_view(), name="book"),
    path("public/bookings/<uuid:uuid>/confirm/", api.PublicConfirmView.as_view(), name="confirm"),
    path("public/manage/", api.PublicManageView.as_view(), name="manage"),
    path("figures/", api.FiguresView.as_view(), name="figures"),
]
