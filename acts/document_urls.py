"""The URLs of acts' documents and publication (acts/document_views.py, acts/public_views.py),
mounted by prosecution/urls.py under two namespaces: act_documents (staff) and acts_public."""

from django.urls import path

from acts import document_views, public_views

staff_urlpatterns = [
    path(
        "acts/<uuid:uuid>/document/<str:language>/",
        document_views.document,
        name="document",
    ),
    path(
        "acts/<uuid:uuid>/publication/",
        document_views.publication_preview,
        name="publication",
    ),
]

public_urlpatterns = [
    path("published-acts/", public_views.published_list, name="list"),
    path("published-acts/<uuid:uuid>/", public_views.published_detail, name="detail"),
]
