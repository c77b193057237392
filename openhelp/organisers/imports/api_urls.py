from django.urls import path

from openhelp.organisers.imports import api

urlpatterns = [
    path("people/import/preview/", api.PeopleImportPreviewView.as_view(), name="people-import-preview"),
    path("people/import/apply/", api.PeopleImportApplyView.as_view(), name="people-import-apply"),
    path("people/export/", api.PeopleExportView.as_view(), name="people-export"),
]
