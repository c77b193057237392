"""A URLconf whose views fail, with the project's own handler500 (tests/web/test_server_errors.py)."""

from django.db import OperationalError
from django.urls import path

from config.urls import handler500  # noqa: F401 - Django reads it from the URLconf module


def database_down(request):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("people/", database_down),
    path("api/v1/people/", database_down),
    path("asks/", broken),
    path("api/v1/asks/", broken),
]
