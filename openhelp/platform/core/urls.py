from django.urls import path

from openhelp.platform.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("style/", views.style, name="style"),
    path("theme/", views.set_theme, name="theme"),
    path("integrations/", views.integrations, name="integrations"),
]
