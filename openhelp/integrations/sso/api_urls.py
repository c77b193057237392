from django.urls import path

from openhelp.integrations.sso import api

urlpatterns = [
    path("sso/providers/", api.ProviderListView.as_view(), name="sso-provider-list"),
    path("sso/providers/<int:pk>/", api.ProviderDetailView.as_view(), name="sso-provider-detail"),
    path("sso/providers/<int:pk>/check/", api.ProviderCheckView.as_view(), name="sso-provider-check"),
]
