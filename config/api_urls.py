"""/api/v1/: each domain app contributes its own api_urls module. Wired here with the rest of the URLs, so
the api app stays plumbing below every app (errors, fields, pagination, the schema helpers)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from openhelp.platform.api import schema  # noqa: F401 - the schema extensions register on import
from openhelp.platform.api.schema_view import SchemaView

v1 = [
    path("", include("openhelp.platform.accounts.api_urls")),
    path("", include("openhelp.directory.people.api_urls")),
    path("", include("openhelp.directory.skills.api_urls")),
    path("", include("openhelp.platform.notifications.api_urls")),
    path("", include("openhelp.help.asks.api_urls")),
    path("", include("openhelp.help.routing.api_urls")),
    path("", include("openhelp.help.officehours.api_urls")),
    path("", include("openhelp.help.mentoring.api_urls")),
    path("", include("openhelp.community.recognition.api_urls")),
    path("", include("openhelp.community.moments.api_urls")),
    path("", include("openhelp.directory.library.api_urls")),
    path("", include("openhelp.community.goals.api_urls")),
    path("", include("openhelp.directory.programmes.api_urls")),
    path("", include("openhelp.organisers.insights.api_urls")),
    path("", include("openhelp.organisers.network.api_urls")),
    path("", include("openhelp.organisers.imports.api_urls")),
    path("", include("openhelp.organisers.provisioning.api_urls")),
    path("", include("openhelp.directory.calendars.api_urls")),
    path("", include("openhelp.integrations.webhooks.api_urls")),
    path("", include("openhelp.integrations.slack.api_urls")),
    path("", include("openhelp.integrations.matrix.api_urls")),
    path("", include("openhelp.integrations.sso.api_urls")),
    path("", include("openhelp.today.api_urls")),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
