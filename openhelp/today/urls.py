from django.urls import path

from openhelp.today import home, search

app_name = "today"

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", search.search, name="search"),
]
