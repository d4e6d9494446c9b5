from django.urls import path

from acts.views import staff

urlpatterns = [
    path("acts/", staff.act_list, name="act-list"),
    path("acts/new/", staff.act_new, name="act-new"),
    path("acts/<uuid:uuid>/", staff.act_detail, name="act-detail"),
    path("acts/<uuid:uuid>/correct/", staff.act_correct, name="act-correct"),
    path("acts/<uuid:uuid>/<slug:action>/", staff.act_action, name="act-action"),
]
