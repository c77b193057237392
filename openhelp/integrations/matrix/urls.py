from django.urls import path

from openhelp.integrations.matrix import views

app_name = "matrix"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("unlink/", views.unlink, name="unlink"),
    path("link/<str:code>/", views.confirm_link, name="confirm-link"),
    path("bot/", views.bot_settings, name="bot"),
]
