from django.urls import path

from openhelp.directory.calendars import api

urlpatterns = [
    path("calendars/connection/", api.ConnectionView.as_view(), name="calendar-connection"),
    path("calendars/connection/sync/", api.SyncView.as_view(), name="calendar-connection-sync"),
]
