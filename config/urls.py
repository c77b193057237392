from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("allauth.urls")),
    path("settings/", include("accounts.urls")),
    path("skills/", include("skills.urls")),
    path("people/", include("people.urls")),
    path("notifications/", include("notifications.urls")),
    path("asks/", include("asks.urls")),
    path("inbox/", include("routing.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
