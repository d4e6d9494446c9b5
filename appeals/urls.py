from django.urls import path

from appeals.views import files, public, staff

urlpatterns = [
    # Citizens.
    path("appeal/", public.file_appeal, name="file-appeal"),
    path("appeal/confirm/<uuid:uuid>/", public.confirm, name="appeal-confirm"),
    path("appeal/confirm/<uuid:uuid>/again/", public.code_again, name="appeal-code-again"),
    path("appeal/filed/", public.filed, name="appeal-filed"),
    path("appeal/status/", public.status, name="appeal-status"),
    path("appeal/status/letter/", public.status_letter, name="appeal-status-letter"),
    # Staff.
    path("appeals/", staff.appeal_list, name="appeal-list"),
    path("appeals/new/", staff.register, name="appeal-register"),
    path("appeals/<uuid:uuid>/", staff.detail, name="appeal-detail"),
    path("appeals/<uuid:uuid>/act/<slug:action>/", staff.act, name="appeal-act"),
    path("appeals/<uuid:uuid>/attach/", staff.attach, name="appeal-attach"),
    path("appeals/<uuid:uuid>/letters/<uuid:letter_uuid>/", files.letter, name="appeal-letter"),
    path(
        "appeals/<uuid:uuid>/files/<uuid:attachment_uuid>/",
        files.attachment,
        name="appeal-attachment",
    ),
]
