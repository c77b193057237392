from django.urls import path

from openhelp.organisers.provisioning import api

urlpatterns = [
    path("provisioning/tokens/", api.ScimTokenListView.as_view(), name="scim-tokens"),
    path("provisioning/tokens/<int:token_id>/", api.ScimTokenDetailView.as_view(), name="scim-token"),
]
