from django.urls import path

from openhelp.organisers.imports import views

app_name = "imports"
urlpatterns = [
    path("people/", views.upload, name="upload"),
    path("people/export.csv", views.export, name="export"),
    path("people/<str:token>/", views.preview, name="preview"),
    path("people/<str:token>/apply/", views.apply, name="apply"),
]
