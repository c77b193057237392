"""/api/v1/: each domain app contributes its own api_urls module. Wired here with the rest of the URLs, so
the api app stays plumbing below every app (errors, fields, pagination, the schema helpers)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api import schema  # noqa: F401 - the schema extensions register on import

v1 = [
    path("", include("accounts.api_urls")),
    path("", include("people.api_urls")),
    path("", include("skills.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("asks.api_urls")),
    path("", include("routing.api_urls")),
    path("", include("officehours.api_urls")),
    path("", include("mentoring.api_urls")),
    path("", include("recognition.api_urls")),
    path("", include("moments.api_urls")),
    path("", include("library.api_urls")),
    path("", include("goals.api_urls")),
    path("", include("programmes.api_urls")),
    path("", include("insights.api_urls")),
    path("", include("network.api_urls")),
    path("", include("imports.api_urls")),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
