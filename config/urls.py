from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("today.urls")),
    path("", include("core.urls")),
    path("accounts/", include("allauth.urls")),
    path("settings/", include("accounts.urls")),
    path("skills/", include("skills.urls")),
    path("people/", include("people.urls")),
    path("notifications/", include("notifications.urls")),
    path("asks/", include("asks.urls")),
    path("inbox/", include("routing.urls")),
    path("office-hours/", include("officehours.urls")),
    path("sessions/", include("mentoring.urls")),
    path("recognition/", include("recognition.urls")),
    path("moments/", include("moments.urls")),
    path("library/", include("library.urls")),
    path("goals/", include("goals.urls")),
    path("programmes/", include("programmes.urls")),
    path("insights/", include("insights.urls")),
    path("insights/network/", include("network.urls")),
    path("imports/", include("imports.urls")),
    path("api/", include("config.api_urls")),
    path("admin/", admin.site.urls),
]
