from django.urls import path

from openhelp.organisers.insights import api

urlpatterns = [
    path("insights/", api.InsightsView.as_view(), name="insights"),
]
