from django.urls import path

from openhelp.today import api

urlpatterns = [
    path("search/", api.SearchView.as_view(), name="search"),
    path("today/", api.TodayView.as_view(), name="today"),
]
