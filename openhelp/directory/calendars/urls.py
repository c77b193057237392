from django.urls import path

from openhelp.directory.calendars import views

app_name = "calendars"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("connect/", views.connect, name="connect"),
    path("choose/", views.choose, name="choose"),
    path("sync/", views.sync_now, name="sync"),
    path("disconnect/", views.disconnect, name="disconnect"),
]
