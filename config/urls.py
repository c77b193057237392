from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("openhelp.today.urls")),
    path("", include("openhelp.platform.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("settings/", include("openhelp.platform.accounts.urls")),
    path("skills/", include("openhelp.directory.skills.urls")),
    path("people/", include("openhelp.directory.people.urls")),
    path("notifications/", include("openhelp.platform.notifications.urls")),
    path("asks/", include("openhelp.help.asks.urls")),
    path("inbox/", include("openhelp.help.routing.urls")),
    path("office-hours/", include("openhelp.help.officehours.urls")),
    path("sessions/", include("openhelp.help.mentoring.urls")),
    path("recognition/", include("openhelp.community.recognition.urls")),
    path("moments/", include("openhelp.community.moments.urls")),
    path("library/", include("openhelp.directory.library.urls")),
    path("goals/", include("openhelp.community.goals.urls")),
    path("programmes/", include("openhelp.directory.programmes.urls")),
    path("insights/", include("openhelp.organisers.insights.urls")),
    path("insights/network/", include("openhelp.organisers.network.urls")),
    path("imports/", include("openhelp.organisers.imports.urls")),
    path("settings/calendars/", include("openhelp.directory.calendars.urls")),
    path("scim/v2/", include("openhelp.organisers.provisioning.urls")),
    path("provisioning/", include("openhelp.organisers.provisioning.web_urls")),
    path("integrations/webhooks/", include("openhelp.integrations.webhooks.urls")),
    path("integrations/slack/", include("openhelp.integrations.slack.urls")),
    path("integrations/matrix/", include("openhelp.integrations.matrix.urls")),
    path("sso/", include("openhelp.integrations.sso.urls")),
    path("api/", include("config.api_urls")),
    path("admin/", admin.site.urls),
]

# A failed request: 503 + Retry-After while the database is unreachable, otherwise 500 (core.errors).
handler500 = "openhelp.platform.core.errors.server_error"
# No such page: JSON in the API's error shape under /api/, the usual page elsewhere.
handler404 = "openhelp.platform.core.errors.page_not_found"
