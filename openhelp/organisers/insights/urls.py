from django.urls import path

from openhelp.organisers.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:name>.csv", views.download, name="download"),
]
